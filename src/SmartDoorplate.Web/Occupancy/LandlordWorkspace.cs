using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

// What the landlord asked to see: one building and one room of it, pending or confirmed tenants, a
// part of a name, a page. Everything comes from the query string (and from the hidden copy a decision
// form posts back), so each value is bounded here and a bad one is dropped rather than refused: an
// edited link still shows the workspace.
public sealed record WorkspaceFilter(long? Building, string? Room, string? Status, string? Name, int Page)
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const int MaxNameLength = 50;

    public static WorkspaceFilter From(long? building, string? room, string? status, string? name, int? page)
    {
        static string? Text(string? value, int max) =>
            value?.Trim() is { Length: > 0 } t && t.Length <= max && !t.Any(char.IsControl) ? t : null;
        return new(building is > 0 ? building : null, Text(room, RoomRules.MaxNumberLength),
            status is Pending or Confirmed ? status : null, Text(name, MaxNameLength), page is > 1 and < 100_000 ? page.Value : 1);
    }

    public bool IsEmpty => Building is null && Room is null && Status is null && Name is null;

    // The query string of this filter (with `page` and `lang` when they are not the default), for
    // page links, the pager and the redirect after a decision.
    public string Query(string? lang, int? page = null)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null) parts.Add(key + "=" + Uri.EscapeDataString(value));
        }
        Add("building", Building?.ToString(CultureInfo.InvariantCulture));
        Add("room", Room);
        Add("status", Status);
        Add("q", Name);
        var p = page ?? Page;
        Add("page", p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null);
        Add("lang", lang);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public WorkspaceFilter With(long? building = null, string? room = null, string? status = null) =>
        new(building ?? Building, room, status, null, 1);
}

public sealed record RoomLoad(long Id, int Floor, string Number, int Beds, int Occupants)
{
    public int Vacancies => Math.Max(0, Beds - Occupants);
    public bool Full => Occupants >= Beds;
    public bool Overcrowded => Occupants > Beds;
}

public sealed record BuildingSummary(long Id, string Code, string Address, int Pending, int Occupants, int Beds);

public sealed record TenantItem(
    Guid Id, RegistrationStatus Status, long BuildingId, string BuildingCode, long? RoomId, string? Room, string Name, string IdNumber,
    string Phone, DateOnly MoveInDate, DateTimeOffset SubmittedAt, DateTimeOffset Deadline, bool Late, RegistrationChannel Channel,
    uint Version, RoomLoad? RoomLoad)
{
    public bool Pending => Status == RegistrationStatus.Submitted;
    public bool Overdue(DateTimeOffset now) => Pending && now > Deadline;
}

public sealed record LandlordWorkspaceData(
    WorkspaceFilter Filter, int PendingTotal, int ConfirmedTotal, IReadOnlyList<BuildingSummary> Buildings,
    BuildingSummary? Building, IReadOnlyList<RoomLoad> Rooms, IReadOnlyList<TenantItem> Items, int Matching, int Pages)
{
    public static readonly LandlordWorkspaceData Empty = new(WorkspaceFilter.From(null, null, null, null, null), 0, 0, [], null, [], [], 0, 1);
}

// The landlord's workspace: the submissions waiting for them first, then their current tenants, a
// page at a time, with counts over everything. Read through the scope filters, so only the signed-in
// landlord's own buildings. A page decrypts and masks only its own rows (PageSize at most).
//
// The name search matches a part of the name, in the landlord's own bounded set: names are stored as
// text (persons.name: the landlord must recognise whom they confirm, and the police search by it), so
// the database compares them; ID numbers and phones stay encrypted and are never searched here.
public static class LandlordWorkspace
{
    public const int PageSize = 20;

    public static async Task<LandlordWorkspaceData> LoadAsync(
        SmartDoorplateDb db, PersonalDataProtector protector, int deadlineDays, WorkspaceFilter filter, CancellationToken ct)
    {
        var open = db.Registrations.AsNoTracking()
            .Where(r => r.Status == RegistrationStatus.Submitted
                || ((r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null));

        // Counts by building and kind in one grouped read; beds by building in another.
        var counts = await open.GroupBy(r => new { r.BuildingId, Pending = r.Status == RegistrationStatus.Submitted })
            .Select(g => new { g.Key.BuildingId, g.Key.Pending, Count = g.Count() }).ToListAsync(ct);
        var beds = await db.Rooms.AsNoTracking().Where(r => r.RetiredAt == null).GroupBy(r => r.BuildingId)
            .Select(g => new { BuildingId = g.Key, Beds = g.Sum(r => r.Beds) }).ToDictionaryAsync(x => x.BuildingId, x => x.Beds, ct);
        var buildings = (await db.Buildings.AsNoTracking().OrderBy(b => b.Code)
                .Select(b => new { b.Id, b.Code, Address = b.Address!.FullText }).ToListAsync(ct))
            .Select(b => new BuildingSummary(b.Id, b.Code, b.Address,
                counts.Where(c => c.BuildingId == b.Id && c.Pending).Sum(c => c.Count),
                counts.Where(c => c.BuildingId == b.Id && !c.Pending).Sum(c => c.Count),
                beds.GetValueOrDefault(b.Id)))
            .ToList();

        // A building that is not the landlord's (or no longer is) is dropped from the filter, not shown empty.
        var building = buildings.FirstOrDefault(b => b.Id == filter.Building);
        filter = filter with { Building = building?.Id };
        var rooms = building is null ? [] : await RoomLoadsAsync(db, building.Id, ct);

        var matching = open;
        if (building is not null) matching = matching.Where(r => r.BuildingId == building.Id);
        if (filter.Room is { } room) matching = matching.Where(r => (r.Room != null ? r.Room.Number : r.RoomLabel) == room);
        if (filter.Status == WorkspaceFilter.Pending) matching = matching.Where(r => r.Status == RegistrationStatus.Submitted);
        if (filter.Status == WorkspaceFilter.Confirmed) matching = matching.Where(r => r.Status != RegistrationStatus.Submitted);
        if (filter.Name is { } name)
        {
            var pattern = "%" + name.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            matching = matching.Where(r => EF.Functions.ILike(r.SubmittedName ?? r.Person!.Name, pattern));
        }

        var total = await matching.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        filter = filter with { Page = Math.Min(filter.Page, pages) };

        // Pending first, oldest first (the nearest deadline); then tenants by building and room.
        var rows = await matching
            .OrderBy(r => r.Status == RegistrationStatus.Submitted ? 0 : 1)
            .ThenBy(r => r.Status == RegistrationStatus.Submitted ? r.SubmittedAt : DateTimeOffset.MinValue)
            .ThenBy(r => r.Building!.Code).ThenBy(r => r.Room != null ? r.Room.Number : r.RoomLabel).ThenBy(r => r.MoveInDate).ThenBy(r => r.Id)
            .Skip((filter.Page - 1) * PageSize).Take(PageSize)
            .Select(r => new
            {
                r.Id, r.Status, r.BuildingId, BuildingCode = r.Building!.Code, r.RoomId, Room = r.Room != null ? r.Room.Number : r.RoomLabel,
                Name = r.SubmittedName ?? r.Person!.Name, r.Person!.IdNumberCipher, r.ContactPhoneCipher, r.Person.PhoneCipher,
                r.MoveInDate, r.SubmittedAt, r.Late, r.Channel, r.Version,
            })
            .ToListAsync(ct);

        var roomIds = rows.Where(r => r.RoomId is not null).Select(r => r.RoomId!.Value).Distinct().ToArray();
        var loads = rooms.Count > 0 ? rooms.ToDictionary(r => r.Id) : (await RoomLoadsAsync(db, roomIds, ct)).ToDictionary(r => r.Id);
        var items = rows.Select(r => new TenantItem(r.Id, r.Status, r.BuildingId, r.BuildingCode, r.RoomId, r.Room, r.Name,
                Masking.MaskResidentId(protector.Decrypt(r.IdNumberCipher)),
                Masking.MaskMobilePhone(protector.Decrypt(r.Status == RegistrationStatus.Submitted ? r.ContactPhoneCipher ?? r.PhoneCipher : r.PhoneCipher)),
                r.MoveInDate, r.SubmittedAt, r.SubmittedAt.AddDays(deadlineDays), r.Late, r.Channel, r.Version,
                r.RoomId is { } id ? loads.GetValueOrDefault(id) : null))
            .ToList();

        return new LandlordWorkspaceData(filter, buildings.Sum(b => b.Pending), buildings.Sum(b => b.Occupants), buildings, building, rooms,
            items, total, pages);
    }

    private static Task<List<RoomLoad>> RoomLoadsAsync(SmartDoorplateDb db, long buildingId, CancellationToken ct) =>
        RoomLoads.Of(db, db.Rooms.AsNoTracking().Where(r => r.BuildingId == buildingId).OrderBy(r => r.Floor).ThenBy(r => r.Number)).ToListAsync(ct);

    private static Task<List<RoomLoad>> RoomLoadsAsync(SmartDoorplateDb db, long[] roomIds, CancellationToken ct) =>
        roomIds.Length == 0 ? Task.FromResult(new List<RoomLoad>())
            : RoomLoads.Of(db, db.Rooms.AsNoTracking().Where(r => roomIds.Contains(r.Id))).ToListAsync(ct);
}
