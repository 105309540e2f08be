using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public sealed record RoomDto(
    long Id, long BuildingId, int Floor, string Number, decimal? AreaM2, int Beds, int Occupants, int Vacancies,
    DateTimeOffset? RetiredAt, uint Version);

// Any JSON value is accepted for each field (2, "2", null…) and checked by RoomRules, so that a wrong
// type gets the same field-by-field answer as a wrong value.
public sealed record RoomRequest(JsonElement? Floor, JsonElement? Number, JsonElement? AreaM2, JsonElement? Beds, JsonElement? Version)
{
    public RoomInput AsInput() => new(Text(Floor), Text(Number), Text(AreaM2), Text(Beds));

    public static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { } e => e.GetRawText(),
    };
}

public sealed record RetireRequest(uint? Version);

public static class RoomsApi
{
    // Mapped inside the landlord group (policy Landlord, scope by ownership).
    public static RouteGroupBuilder MapRooms(this RouteGroupBuilder group)
    {
        group.MapGet("/buildings/{id:long}/rooms", List);
        group.MapPost("/buildings/{id:long}/rooms", Add).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/rooms/{id:long}", Update).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost("/rooms/{id:long}/retire", Retire).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<RoomDto>>, ProblemHttpResult>> List(
        long id, bool? includeRetired, SmartDoorplateDb db, CancellationToken ct)
    {
        if (!await db.Buildings.AnyAsync(b => b.Id == id, ct)) return BuildingNotFound();
        var rooms = await AsDtos(db, db.Rooms.Where(r => r.BuildingId == id && (includeRetired == true || r.RetiredAt == null))
            .OrderBy(r => r.RetiredAt != null).ThenBy(r => r.Floor).ThenBy(r => r.Number)).ToListAsync(ct);
        return TypedResults.Ok(rooms);
    }

    private static async Task<Results<Created<RoomDto>, ValidationProblem, ProblemHttpResult>> Add(
        long id, RoomRequest body, RoomChanges rooms, SmartDoorplateDb db, HttpContext http, CancellationToken ct)
    {
        var outcome = await rooms.AddAsync(id, body.AsInput(), ct);
        if (outcome is not RoomOutcome.Done done) return Refused<Created<RoomDto>>(outcome, notFound: BuildingNotFound());
        var room = await LoadAsync(db, done.Room.Id, http, ct);
        return TypedResults.Created($"/api/landlord/rooms/{room.Id}", room);
    }

    private static async Task<Results<Ok<RoomDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, RoomRequest body, RoomChanges rooms, SmartDoorplateDb db, HttpContext http, CancellationToken ct)
    {
        if (RowVersion.Read(http.Request, RoomRequest.Text(body.Version), out var version) == RowVersionRead.Malformed)
            return RegistrationDecisionsApi.ValidationProblem(new() { ["version"] = OccupancyText.VersionMalformed });

        var outcome = await rooms.UpdateAsync(id, body.AsInput(), version, ct);
        if (outcome is not RoomOutcome.Done done) return Refused<Ok<RoomDto>>(outcome, notFound: RoomNotFound());
        return TypedResults.Ok(await LoadAsync(db, done.Room.Id, http, ct));
    }

    private static async Task<Results<Ok<RoomDto>, ValidationProblem, ProblemHttpResult>> Retire(
        long id, RetireRequest? body, RoomChanges rooms, SmartDoorplateDb db, HttpContext http, CancellationToken ct)
    {
        if (RowVersion.Read(http.Request, body?.Version, out var version) == RowVersionRead.Malformed)
            return RegistrationDecisionsApi.ValidationProblem(new() { ["version"] = OccupancyText.VersionMalformed });
        var outcome = await rooms.RetireAsync(id, version, ct);
        if (outcome is not RoomOutcome.Done done) return Refused<Ok<RoomDto>>(outcome, notFound: RoomNotFound());
        return TypedResults.Ok(await LoadAsync(db, done.Room.Id, http, ct));
    }

    // Filter and order the rooms before this: EF cannot see through the DTO's constructor.
    private static IQueryable<RoomDto> AsDtos(SmartDoorplateDb db, IQueryable<Room> rooms) =>
        rooms.AsNoTracking().Select(r => new
        {
            Room = r,
            Occupants = db.Registrations.Where(ResidenceRegistration.IsOccupying).Count(g => g.RoomId == r.Id),
        })
        .Select(x => new RoomDto(x.Room.Id, x.Room.BuildingId, x.Room.Floor, x.Room.Number, x.Room.AreaM2, x.Room.Beds, x.Occupants,
            x.Room.Beds > x.Occupants ? x.Room.Beds - x.Occupants : 0, x.Room.RetiredAt, x.Room.Version));

    private static async Task<RoomDto> LoadAsync(SmartDoorplateDb db, long roomId, HttpContext http, CancellationToken ct)
    {
        var room = await AsDtos(db, db.Rooms.Where(r => r.Id == roomId)).FirstAsync(ct);
        RowVersion.SetETag(http.Response, room.Version);
        return room;
    }

    private static Results<TOk, ValidationProblem, ProblemHttpResult> Refused<TOk>(RoomOutcome outcome, ProblemHttpResult notFound)
        where TOk : IResult => outcome switch
    {
        RoomOutcome.Invalid invalid => RegistrationDecisionsApi.ValidationProblem(invalid.Errors),
        RoomOutcome.Stale => TypedResults.Problem(title: OccupancyText.Stale.ToString(), statusCode: StatusCodes.Status409Conflict),
        RoomOutcome.WrongState wrong => TypedResults.Problem(title: wrong.Title.ToString(), statusCode: StatusCodes.Status409Conflict),
        RoomOutcome.VersionRequired => TypedResults.Problem(title: OccupancyText.VersionRequired.ToString(), statusCode: StatusCodes.Status428PreconditionRequired),
        _ => notFound,
    };

    private static ProblemHttpResult BuildingNotFound() =>
        TypedResults.Problem(title: OccupancyText.BuildingNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult RoomNotFound() =>
        TypedResults.Problem(title: OccupancyText.RoomNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
}
