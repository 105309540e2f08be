using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Queue;

public enum PoliceQueueItemType { OverdueConfirmation, OvercrowdedRoom, ResidencePermitEligible, ForeignerStay }

// `since`: when the item began to need attention — the landlord's deadline passing, the latest move-in
// into an overcrowded room, the day six months after a move-in, a foreigner's submission.
// `dueBy`: a foreigner's stay only — when the 24 hours to register it with the police run out.
public sealed record PoliceQueueItemDto(
    string Type, string Title, long BuildingId, string BuildingCode, string Address, string GridCode, double Lon, double Lat,
    Guid? RegistrationId, long? RoomId, string? Room, int? Occupants, int? Beds, DateTimeOffset Since, DateTimeOffset? DueBy = null);

// Counts are the true number of items of each kind and Total their sum; Items (the map's markers)
// hold at most MarkerLimit of each kind, the oldest first. /api/police/queue/list pages a kind.
public sealed record PoliceQueueDto(string? Grid, int DeadlineDays, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<PoliceQueueItemDto> Items)
{
    public int Total { get; init; }
    public int MarkerLimit { get; init; }
}

public sealed record PoliceQueuePageDto(string Type, string? Grid, int Total, int Page, int PageSize, IReadOnlyList<PoliceQueueItemDto> Items);

// The grid officer's to-do list. Everything is read through the scope filters, so an officer sees
// only their station's (or district's) buildings; a grid outside that scope is not found.
public static class PoliceQueueApi
{
    public const int ResidencePermitMonths = 6;   // 《居住证暂行条例》: six months' residence qualifies
    public const int MaxItemsPerType = 500;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static readonly IReadOnlyDictionary<PoliceQueueItemType, Bilingual> Titles = new Dictionary<PoliceQueueItemType, Bilingual>
    {
        [PoliceQueueItemType.OverdueConfirmation] = new("房东逾期未确认登记", "Registration not confirmed by the landlord in time"),
        [PoliceQueueItemType.OvercrowdedRoom] = new("在住人数超过床位", "More occupants than beds"),
        [PoliceQueueItemType.ResidencePermitEligible] = new("居住满六个月，可办理居住证", "Six months' residence: eligible for a residence permit"),
        [PoliceQueueItemType.ForeignerStay] = new("境外人员住宿登记，须 24 小时内核查", "A foreigner's stay: to be registered with the police within 24 hours"),
    };

    public static IEndpointRouteBuilder MapPoliceQueue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/police/queue", Queue).WithTags("Policing").RequireAuthorization(Policies.Police).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/police/queue/list", List).WithTags("Policing").RequireAuthorization(Policies.Police).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<PoliceQueueDto>, ProblemHttpResult>> Queue(
        string? grid, SmartDoorplateDb db, TimeProvider clock, IOptions<RegistrationOptions> options, CancellationToken ct)
    {
        var (found, gridId) = await GridAsync(db, grid, ct);
        if (!found) return GridNotFound();

        var sources = Sources(db, gridId, clock, options.Value);

        // The markers: at most MaxItemsPerType of each kind; the counts are the true totals, counted
        // apart, so that a cap on what is drawn never passes for the size of the queue.
        var counts = new Dictionary<string, int>();
        var items = new List<PoliceQueueItemDto>();
        foreach (var type in Enum.GetValues<PoliceQueueItemType>())
        {
            var source = sources.Of(type);
            counts[SnakeCaseEnum.ToCode(type)] = await source.CountAsync(ct);
            items.AddRange((await source.Take(MaxItemsPerType).ToListAsync(ct)).Select(row => sources.Item(type, row)));
        }
        return TypedResults.Ok(new PoliceQueueDto(grid?.Trim(), sources.DeadlineDays, counts, items.OrderBy(i => i.Since).ToList())
        {
            Total = counts.Values.Sum(),
            MarkerLimit = MaxItemsPerType,
        });
    }

    // GET /api/police/queue/list?type=…&grid=…&page=…&pageSize=…: one kind of the queue, oldest first,
    // a page at a time, with the kind's true total — the list beside the map, however long the queue.
    private static async Task<Results<Ok<PoliceQueuePageDto>, ValidationProblem, ProblemHttpResult>> List(
        string? type, string? grid, int? page, int? pageSize, SmartDoorplateDb db, TimeProvider clock,
        IOptions<RegistrationOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = Enum.GetValues<PoliceQueueItemType>().Cast<PoliceQueueItemType?>()
            .FirstOrDefault(t => SnakeCaseEnum.ToCode(t!.Value) == type?.Trim());
        if (kind is null) errors["type"] = [PoliceQueueText.TypeUnknown.Format(string.Join(", ", Enum.GetValues<PoliceQueueItemType>().Select(t => SnakeCaseEnum.ToCode(t)))).ToString()];
        var pageNumber = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (pageNumber < 1) errors["page"] = [PoliceQueueText.PageInvalid.ToString()];
        if (size is < 1 or > MaxPageSize) errors["pageSize"] = [PoliceQueueText.PageSizeInvalid.Format(MaxPageSize).ToString()];
        if (errors.Count > 0) return ValidationProblems.For(errors);

        var (found, gridId) = await GridAsync(db, grid, ct);
        if (!found) return GridNotFound();

        var sources = Sources(db, gridId, clock, options.Value);
        var source = sources.Of(kind!.Value);
        var total = await source.CountAsync(ct);
        var rows = await source.Skip((pageNumber - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PoliceQueuePageDto(SnakeCaseEnum.ToCode(kind.Value), grid?.Trim(), total, pageNumber, size,
            rows.Select(row => sources.Item(kind.Value, row)).ToList()));
    }

    private static ProblemHttpResult GridNotFound() =>
        TypedResults.Problem(title: "网格不存在或不在您的辖区 / No such grid in your jurisdiction", statusCode: StatusCodes.Status404NotFound);

    // No grid asked: the caller's whole scope. A grid outside that scope is not found.
    private static async Task<(bool Found, long? GridId)> GridAsync(SmartDoorplateDb db, string? grid, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(grid)) return (true, null);
        var found = await db.Grids.AsNoTracking().Where(g => g.Code == grid.Trim())
            .Select(g => new { g.Id, g.StationId, g.Station!.DistrictId }).FirstOrDefaultAsync(ct);
        return found is null || !db.Scope.Covers(found.StationId, found.DistrictId) ? (false, null) : (true, found.Id);
    }

    // One row of any kind, as the database returns it; Item turns it into what the API answers.
    private sealed class QueueRow
    {
        public long BuildingId { get; init; }
        public required string Code { get; init; }
        public required string Address { get; init; }
        public required string GridCode { get; init; }
        public double Lon { get; init; }
        public double Lat { get; init; }
        public Guid? RegistrationId { get; init; }
        public long? RoomId { get; init; }
        public string? Room { get; init; }
        public int? Occupants { get; init; }
        public int? Beds { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
        public DateOnly? Day { get; init; }
        public DateTimeOffset? DueBy { get; init; }
    }

    // The four kinds as ordered queries (oldest first), read through the scope filters: counted,
    // capped for the markers or paged for the list by the callers.
    private sealed record QueueSources(
        IQueryable<QueueRow> Overdue, IQueryable<QueueRow> Overcrowded, IQueryable<QueueRow> Permit, IQueryable<QueueRow> Foreigners,
        int DeadlineDays, DateOnly Today, TimeSpan Offset)
    {
        public IQueryable<QueueRow> Of(PoliceQueueItemType type) => type switch
        {
            PoliceQueueItemType.OverdueConfirmation => Overdue,
            PoliceQueueItemType.OvercrowdedRoom => Overcrowded,
            PoliceQueueItemType.ForeignerStay => Foreigners,
            _ => Permit,
        };

        public PoliceQueueItemDto Item(PoliceQueueItemType type, QueueRow r)
        {
            DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
            var since = type switch
            {
                PoliceQueueItemType.OverdueConfirmation => r.SubmittedAt!.Value.AddDays(DeadlineDays),
                PoliceQueueItemType.OvercrowdedRoom => StartOf(r.Day ?? Today),
                PoliceQueueItemType.ForeignerStay => r.SubmittedAt!.Value,
                _ => StartOf(r.Day!.Value.AddMonths(ResidencePermitMonths)),
            };
            return PoliceQueueApi.Item(type, r.BuildingId, r.Code, r.Address, r.GridCode, r.Lon, r.Lat,
                r.RegistrationId, r.RoomId, r.Room, r.Occupants, r.Beds, since) with { DueBy = r.DueBy };
        }
    }

    private static QueueSources Sources(SmartDoorplateDb db, long? gridId, TimeProvider clock, RegistrationOptions options)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var deadlineDays = options.LandlordDeadlineDays;
        var submittedBefore = now.AddDays(-deadlineDays);
        var movedInBy = today.AddMonths(-ResidencePermitMonths);
        var offset = clock.LocalTimeZone.GetUtcOffset(now);

        var registrations = db.Registrations.AsNoTracking().Where(r => gridId == null || r.Building!.GridId == gridId);

        var overdue = registrations
            .Where(r => r.Status == RegistrationStatus.Submitted && r.SubmittedAt < submittedBefore)
            .OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id)
            .Select(r => new QueueRow
            {
                BuildingId = r.BuildingId, Code = r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, RegistrationId = r.Id, RoomId = r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, SubmittedAt = r.SubmittedAt,
            });

        var overcrowded = db.Rooms.AsNoTracking()
            .Where(room => room.RetiredAt == null && (gridId == null || room.Building!.GridId == gridId))
            .Select(room => new
            {
                room.Id, room.Number, room.Beds, room.BuildingId, room.Building!.Code, Address = room.Building.Address!.FullText,
                GridCode = room.Building.Grid!.Code, Lon = room.Building.Entrance.X, Lat = room.Building.Entrance.Y,
                Occupants = db.Registrations.Where(ResidenceRegistration.IsOccupying).Count(r => r.RoomId == room.Id),
                LatestMoveIn = db.Registrations.Where(ResidenceRegistration.IsOccupying).Where(r => r.RoomId == room.Id).Max(r => (DateOnly?)r.MoveInDate),
            })
            .Where(x => x.Occupants > x.Beds)
            .OrderBy(x => x.LatestMoveIn).ThenBy(x => x.Id)
            .Select(x => new QueueRow
            {
                BuildingId = x.BuildingId, Code = x.Code, Address = x.Address, GridCode = x.GridCode, Lon = x.Lon, Lat = x.Lat,
                RoomId = x.Id, Room = x.Number, Occupants = x.Occupants, Beds = x.Beds, Day = x.LatestMoveIn,
            });

        // Only people from outside Guiyang need a residence permit here.
        var permit = registrations.Where(ResidenceRegistration.IsOccupying)
            .Where(r => r.MoveInDate <= movedInBy).Where(CurrentResidents.IsFloatingResident)
            .OrderBy(r => r.MoveInDate).ThenBy(r => r.Id)
            .Select(r => new QueueRow
            {
                BuildingId = r.BuildingId, Code = r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, RegistrationId = r.Id, RoomId = r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, Day = r.MoveInDate,
            });

        // 出境入境管理法 第三十九条: every foreigner's stay reaches the station at once, whatever the
        // landlord does, and stays in the queue until an officer verifies it (or it ends).
        var foreigners = registrations
            .Where(r => r.PoliceReportDueAt != null && (r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.Confirmed))
            .OrderBy(r => r.PoliceReportDueAt).ThenBy(r => r.Id)
            .Select(r => new QueueRow
            {
                BuildingId = r.BuildingId, Code = r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, RegistrationId = r.Id, RoomId = r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, SubmittedAt = r.SubmittedAt, DueBy = r.PoliceReportDueAt,
            });

        return new QueueSources(overdue, overcrowded, permit, foreigners, deadlineDays, today, offset);
    }

    private static PoliceQueueItemDto Item(
        PoliceQueueItemType type, long buildingId, string code, string address, string gridCode, double lon, double lat,
        Guid? registrationId, long? roomId, string? room, int? occupants, int? beds, DateTimeOffset since) =>
        new(SnakeCaseEnum.ToCode(type), Titles[type].ToString(), buildingId, code, address, gridCode, lon, lat,
            registrationId, roomId, room, occupants, beds, since);
}
