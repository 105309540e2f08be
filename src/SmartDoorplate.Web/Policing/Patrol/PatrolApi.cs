using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Patrol;

// `lastVisitedAt` null: never visited.
public sealed record UnvisitedBuildingDto(
    long Id, string Code, string Address, string GridCode, double Lon, double Lat, DateTimeOffset? LastVisitedAt, int? DaysSinceVisit);

public sealed record UnvisitedBuildingsDto(string? Grid, int Days, int Total, IReadOnlyList<UnvisitedBuildingDto> Items);

public static class PatrolApi
{
    public const int MaxUnvisitedItems = 1000;

    public static IEndpointRouteBuilder MapPatrol(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patrol").WithTags("Policing").RequireAuthorization(Policies.Police);
        group.MapPost("/visits", CheckIn).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/visits/{id:long}", Visit);
        group.MapGet("/unvisited", Unvisited).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<PatrolVisitDto>, Ok<PatrolVisitDto>, ValidationProblem, ProblemHttpResult>> CheckIn(
        PatrolCheckInInput input, PatrolCheckIn patrol, CancellationToken ct) =>
        await patrol.CheckInAsync(input, ct) switch
        {
            PatrolOutcome.Recorded { Repeated: false } r => TypedResults.Created($"/api/patrol/visits/{r.Visit.Id}", r.Visit),
            PatrolOutcome.Recorded r => TypedResults.Ok(r.Visit),
            PatrolOutcome.Invalid i => ValidationProblems.For(i.Errors, RegistrationText.ValidationTitle),
            _ => TypedResults.Problem(title: PatrolText.NotFound.ToString(), statusCode: StatusCodes.Status404NotFound),
        };

    private static async Task<Results<Ok<PatrolVisitDto>, ProblemHttpResult>> Visit(long id, PatrolCheckIn patrol, CancellationToken ct) =>
        await patrol.FindAsync(id, ct) is { } visit
            ? TypedResults.Ok(visit)
            : TypedResults.Problem(title: PatrolText.NotFound.ToString(), statusCode: StatusCodes.Status404NotFound);

    // The buildings of the officer's scope (or one grid of it) nobody has checked in at for
    // PatrolRules.UnvisitedAfterDays: never visited first, then the longest unvisited.
    private static async Task<Results<Ok<UnvisitedBuildingsDto>, ProblemHttpResult>> Unvisited(
        string? grid, SmartDoorplateDb db, TimeProvider clock, CancellationToken ct)
    {
        long? gridId = null;
        if (!string.IsNullOrWhiteSpace(grid))
        {
            var found = await db.Grids.AsNoTracking().Where(g => g.Code == grid.Trim())
                .Select(g => new { g.Id, g.StationId, g.Station!.DistrictId }).FirstOrDefaultAsync(ct);
            if (found is null || !db.Scope.Covers(found.StationId, found.DistrictId)) return TypedResults.Problem(title: PatrolText.NoGrid.ToString(), statusCode: StatusCodes.Status404NotFound);
            gridId = found!.Id;
        }

        var now = clock.GetUtcNow();
        var since = now.AddDays(-PatrolRules.UnvisitedAfterDays);
        var unvisited = db.Buildings.AsNoTracking()
            .Where(b => gridId == null || b.GridId == gridId)
            .Select(b => new
            {
                b.Id, b.Code, Address = b.Address!.FullText, GridCode = b.Grid!.Code, Lon = b.Entrance.X, Lat = b.Entrance.Y,
                LastVisitedAt = db.PatrolVisits.Where(v => v.BuildingId == b.Id).Max(v => (DateTimeOffset?)v.VisitedAt),
            })
            .Where(x => x.LastVisitedAt == null || x.LastVisitedAt < since);
        var total = await unvisited.CountAsync(ct);
        var rows = await unvisited
            .OrderBy(x => x.LastVisitedAt != null).ThenBy(x => x.LastVisitedAt).ThenBy(x => x.Code)
            .Take(MaxUnvisitedItems).ToListAsync(ct);
        var items = rows.Select(x => new UnvisitedBuildingDto(
            x.Id, x.Code, x.Address, x.GridCode, x.Lon, x.Lat, x.LastVisitedAt,
            x.LastVisitedAt is { } last ? (int)(now - last).TotalDays : null)).ToList();
        return TypedResults.Ok(new UnvisitedBuildingsDto(grid?.Trim(), PatrolRules.UnvisitedAfterDays, total, items));
    }
}
