using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Queue;

public enum PoliceQueueItemType { OverdueConfirmation, OvercrowdedRoom, ResidencePermitEligible, ForeignerStay }

// `since`: when the item began to need attention — the landlord's deadline passing, the latest move-in
// into an overcrowded room, the day six months after a move-in.
public sealed record PoliceQueueItemDto(
    string Type, string Title, long BuildingId, string BuildingCode, string Address, string GridCode, double Lon, double Lat,
    Guid? RegistrationId, long? RoomId, string? Room, int? Occupants, int? Beds, DateTimeOffset Since, DateTimeOffset? DueBy = null);

public sealed record PoliceQueueDto(string? Grid, int DeadlineDays, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<PoliceQueueItemDto> Items);

// The grid officer's to-do list. Everything is read through the scope filters, so an officer sees
// only their station's (or district's) buildings; a grid outside that scope is not found.
public static class PoliceQueueApi
{
    public const int ResidencePermitMonths = 6;   // 《居住证暂行条例》: six months' residence qualifies
    public const int MaxItemsPerType = 500;

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
        return app;
    }

    private static async Task<Results<Ok<PoliceQueueDto>, ProblemHttpResult>> Queue(
        string? grid, SmartDoorplateDb db, TimeProvider clock, IOptions<RegistrationOptions> options, CancellationToken ct)
    {
        long? gridId = null;
        if (!string.IsNullOrWhiteSpace(grid))
        {
            var found = await db.Grids.AsNoTracking().Where(g => g.Code == grid.Trim())
                .Select(g => new { g.Id, g.StationId, g.Station!.DistrictId }).FirstOrDefaultAsync(ct);
            if (found is null || !db.Scope.Covers(found.StationId, found.DistrictId))
                return TypedResults.Problem(title: "网格不存在或不在您的辖区 / No such grid in your jurisdiction", statusCode: StatusCodes.Status404NotFound);
            gridId = found!.Id;
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var deadlineDays = options.Value.LandlordDeadlineDays;
        var submittedBefore = now.AddDays(-deadlineDays);
        var movedInBy = today.AddMonths(-ResidencePermitMonths);
        var offset = clock.LocalTimeZone.GetUtcOffset(now);

        var registrations = db.Registrations.AsNoTracking().Where(r => gridId == null || r.Building!.GridId == gridId);

        var overdue = await registrations
            .Where(r => r.Status == RegistrationStatus.Submitted && r.SubmittedAt < submittedBefore)
            .OrderBy(r => r.SubmittedAt).Take(MaxItemsPerType)
            .Select(r => new
            {
                r.BuildingId, r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, r.Id, r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.SubmittedAt,
            })
            .ToListAsync(ct);

        var overcrowded = await db.Rooms.AsNoTracking()
            .Where(room => room.RetiredAt == null && (gridId == null || room.Building!.GridId == gridId))
            .Select(room => new
            {
                room.Id, room.Number, room.Beds, room.BuildingId, room.Building!.Code, Address = room.Building.Address!.FullText,
                GridCode = room.Building.Grid!.Code, Lon = room.Building.Entrance.X, Lat = room.Building.Entrance.Y,
                Occupants = db.Registrations.Where(ResidenceRegistration.IsOccupying).Count(r => r.RoomId == room.Id),
                LatestMoveIn = db.Registrations.Where(ResidenceRegistration.IsOccupying).Where(r => r.RoomId == room.Id).Max(r => (DateOnly?)r.MoveInDate),
            })
            .Where(x => x.Occupants > x.Beds)
            .OrderBy(x => x.LatestMoveIn).Take(MaxItemsPerType)
            .ToListAsync(ct);

        // Only people from outside Guiyang need a residence permit here.
        var permit = await registrations.Where(ResidenceRegistration.IsOccupying)
            .Where(r => r.MoveInDate <= movedInBy).Where(CurrentResidents.IsFloatingResident)
            .OrderBy(r => r.MoveInDate).Take(MaxItemsPerType)
            .Select(r => new
            {
                r.BuildingId, r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, r.Id, r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.MoveInDate,
            })
            .ToListAsync(ct);

        // 出境入境管理法 第三十九条: every foreigner's stay reaches the station at once, whatever the
        // landlord does, and stays in the queue until an officer verifies it (or it ends).
        var foreigners = await registrations
            .Where(r => r.PoliceReportDueAt != null && (r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.Confirmed))
            .OrderBy(r => r.PoliceReportDueAt).Take(MaxItemsPerType)
            .Select(r => new
            {
                r.BuildingId, r.Building!.Code, Address = r.Building.Address!.FullText, GridCode = r.Building.Grid!.Code,
                Lon = r.Building.Entrance.X, Lat = r.Building.Entrance.Y, r.Id, r.RoomId,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.SubmittedAt, DueBy = r.PoliceReportDueAt!.Value,
            })
            .ToListAsync(ct);

        DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), offset);
        var items = new List<PoliceQueueItemDto>();
        items.AddRange(overdue.Select(r => Item(PoliceQueueItemType.OverdueConfirmation, r.BuildingId, r.Code, r.Address, r.GridCode, r.Lon, r.Lat,
            r.Id, r.RoomId, r.Room, null, null, r.SubmittedAt.AddDays(deadlineDays))));
        items.AddRange(overcrowded.Select(r => Item(PoliceQueueItemType.OvercrowdedRoom, r.BuildingId, r.Code, r.Address, r.GridCode, r.Lon, r.Lat,
            null, r.Id, r.Number, r.Occupants, r.Beds, StartOf(r.LatestMoveIn ?? today))));
        items.AddRange(permit.Select(r => Item(PoliceQueueItemType.ResidencePermitEligible, r.BuildingId, r.Code, r.Address, r.GridCode, r.Lon, r.Lat,
            r.Id, r.RoomId, r.Room, null, null, StartOf(r.MoveInDate.AddMonths(ResidencePermitMonths)))));

        items.AddRange(foreigners.Select(r => Item(PoliceQueueItemType.ForeignerStay, r.BuildingId, r.Code, r.Address, r.GridCode, r.Lon, r.Lat,
            r.Id, r.RoomId, r.Room, null, null, r.SubmittedAt) with { DueBy = r.DueBy }));

        var counts = Enum.GetValues<PoliceQueueItemType>().ToDictionary(SnakeCaseEnum.ToCode, t => items.Count(i => i.Type == SnakeCaseEnum.ToCode(t)));
        return TypedResults.Ok(new PoliceQueueDto(grid?.Trim(), deadlineDays, counts, items.OrderBy(i => i.Since).ToList()));
    }

    private static PoliceQueueItemDto Item(
        PoliceQueueItemType type, long buildingId, string code, string address, string gridCode, double lon, double lat,
        Guid? registrationId, long? roomId, string? room, int? occupants, int? beds, DateTimeOffset since) =>
        new(SnakeCaseEnum.ToCode(type), Titles[type].ToString(), buildingId, code, address, gridCode, lon, lat,
            registrationId, roomId, room, occupants, beds, since);
}
