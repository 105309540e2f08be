using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public sealed record OccupantView(Guid RegistrationId, string Name, string IdNumber, string Phone, DateOnly MoveInDate, RegistrationStatus Status);

public sealed record RoomView(long Id, int Floor, string Number, decimal? AreaM2, int Beds, IReadOnlyList<OccupantView> Occupants)
{
    public int Vacancies => Math.Max(0, Beds - Occupants.Count);
}

public sealed record BuildingView(long Id, string Code, string Address, IReadOnlyList<RoomView> Rooms, IReadOnlyList<OccupantView> WithoutRoom)
{
    public int Beds => Rooms.Sum(r => r.Beds);
    public int Occupants => Rooms.Sum(r => r.Occupants.Count) + WithoutRoom.Count;
    public int Vacancies => Rooms.Sum(r => r.Vacancies);
}

public sealed record PendingView(
    Guid Id, long BuildingId, string BuildingCode, string? Room, string Name, string IdNumber, string Phone, DateOnly MoveInDate,
    DateTimeOffset SubmittedAt, DateTimeOffset Deadline, bool Late, RegistrationChannel Channel, uint Version)
{
    public bool Overdue(DateTimeOffset now) => now > Deadline;
}

public sealed record LandlordOverviewData(IReadOnlyList<BuildingView> Buildings, IReadOnlyList<PendingView> Pending);

// What the landlord's home page shows: their buildings with rooms, beds and current occupants, and
// the submissions waiting for them. The scope filters keep it to the landlord's own buildings. ID
// numbers and phones are masked; names are shown, since the landlord must recognise whom they confirm.
public static class LandlordOverview
{
    public static async Task<LandlordOverviewData> LoadAsync(
        SmartDoorplateDb db, PersonalDataProtector protector, int deadlineDays, CancellationToken ct)
    {
        var buildings = await db.Buildings.AsNoTracking().OrderBy(b => b.Code)
            .Select(b => new { b.Id, b.Code, Address = b.Address!.FullText }).ToListAsync(ct);
        var rooms = await db.Rooms.AsNoTracking().Where(r => r.RetiredAt == null)
            .OrderBy(r => r.Floor).ThenBy(r => r.Number)
            .Select(r => new { r.Id, r.BuildingId, r.Floor, r.Number, r.AreaM2, r.Beds }).ToListAsync(ct);
        var occupants = (await db.Registrations.AsNoTracking().Where(ResidenceRegistration.IsOccupying)
            .OrderBy(r => r.MoveInDate)
            .Select(r => new
            {
                r.Id, r.BuildingId, r.RoomId, r.Person!.Name, r.Person.IdNumberCipher, r.Person.PhoneCipher, r.MoveInDate, r.Status,
            })
            .ToListAsync(ct))
            .Select(o => (o.BuildingId, o.RoomId, View: new OccupantView(o.Id, o.Name,
                Masking.MaskResidentId(protector.Decrypt(o.IdNumberCipher)), Masking.MaskMobilePhone(protector.Decrypt(o.PhoneCipher)),
                o.MoveInDate, o.Status)))
            .ToList();
        var pending = await db.Registrations.AsNoTracking().Where(r => r.Status == RegistrationStatus.Submitted)
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new
            {
                r.Id, r.BuildingId, BuildingCode = r.Building!.Code, Room = r.Room != null ? r.Room.Number : r.RoomLabel,
                Name = r.SubmittedName ?? r.Person!.Name, r.Person!.IdNumberCipher, r.ContactPhoneCipher, r.Person.PhoneCipher,
                r.MoveInDate, r.SubmittedAt, r.Late, r.Channel, r.Version,
            })
            .ToListAsync(ct);

        // Occupants of a building without a room list (or of a room retired under them) are listed apart.
        var activeRooms = rooms.Select(r => r.Id).ToHashSet();
        var occupantsByRoom = occupants.Where(o => o.RoomId is { } id && activeRooms.Contains(id)).ToLookup(o => o.RoomId!.Value, o => o.View);
        var withoutRoom = occupants.Where(o => o.RoomId is not { } id || !activeRooms.Contains(id)).ToLookup(o => o.BuildingId, o => o.View);
        var roomsByBuilding = rooms.ToLookup(r => r.BuildingId, r => new RoomView(r.Id, r.Floor, r.Number, r.AreaM2, r.Beds, [.. occupantsByRoom[r.Id]]));
        return new LandlordOverviewData(
            [.. buildings.Select(b => new BuildingView(b.Id, b.Code, b.Address, [.. roomsByBuilding[b.Id]], [.. withoutRoom[b.Id]]))],
            [.. pending.Select(p => new PendingView(p.Id, p.BuildingId, p.BuildingCode, p.Room, p.Name,
                Masking.MaskResidentId(protector.Decrypt(p.IdNumberCipher)),
                Masking.MaskMobilePhone(protector.Decrypt(p.ContactPhoneCipher ?? p.PhoneCipher)),
                p.MoveInDate, p.SubmittedAt, p.SubmittedAt.AddDays(deadlineDays), p.Late, p.Channel, p.Version))]);
    }
}
