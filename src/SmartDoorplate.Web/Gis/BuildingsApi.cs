using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;

namespace SmartDoorplate.Gis;

public sealed record BuildingDto(
    long Id, string Code, string Address, string GridCode, string GridName, string StationName, string StationHotline,
    int Floors, string Use, string? DoorplateCode, int Residents, int Floating, int PendingRegistrations);

public static class BuildingsApi
{
    public static IEndpointRouteBuilder MapBuildings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/buildings").WithTags("Buildings").RequireAuthorization();
        group.MapGet("/{id:long}", GetBuilding);
        group.MapGet("/", GetBuildingsInBox).RequireAuthorization(Policies.PoliceOrAdmin);
        return app;
    }

    public const string GeoJsonContentType = "application/geo+json";

    private static async Task<Results<ContentHttpResult, ValidationProblem>> GetBuildingsInBox(
        string? bbox, [FromKeyedServices(DataServices.SpatialReads)] NpgsqlDataSource dataSource, CallerScope scope, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (BoundingBox.Parse(bbox, errors) is not { } box) return ValidationProblems.For(errors, title: GisText.BboxTitle);
        await using var command = BuildingsSql.InBox(dataSource, box, scope);
        var json = (string)(await command.ExecuteScalarAsync(ct))!;
        return TypedResults.Text(json, GeoJsonContentType, System.Text.Encoding.UTF8);
    }

    // Scope is enforced by the DbContext's query filters: a building outside the caller's
    // jurisdiction or ownership is simply not found.
    private static async Task<Results<Ok<BuildingDto>, NotFound>> GetBuilding(long id, SmartDoorplateDb db, CancellationToken ct)
    {
        var building = await db.Buildings.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new
            {
                b.Id, b.Code, Address = b.Address!.FullText, GridCode = b.Grid!.Code, GridName = b.Grid.Name,
                StationName = b.Grid.Station!.Name, b.Grid.Station.Hotline, b.Floors, b.Use,
                Doorplate = db.Doorplates.Where(d => d.BuildingId == b.Id && d.RevokedAt == null).Select(d => d.Code).FirstOrDefault(),
                // building_counts, i.e. CurrentResidents (a move-out date, even one ahead, ends a resident).
                Counts = db.BuildingCounts.Where(c => c.BuildingId == b.Id).Select(c => new { c.Residents, c.Floating, c.Pending }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return building is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new BuildingDto(building.Id, building.Code, building.Address, building.GridCode, building.GridName,
                building.StationName, building.Hotline, building.Floors, SnakeCaseEnum.ToCode(building.Use), building.Doorplate,
                building.Counts?.Residents ?? 0, building.Counts?.Floating ?? 0, building.Counts?.Pending ?? 0));
    }
}
