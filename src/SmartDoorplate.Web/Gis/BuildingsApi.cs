using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Gis;

public sealed record BuildingDto(
    long Id, string Code, string Address, string GridCode, string GridName, string StationName, string StationHotline,
    int Floors, string Use, string? DoorplateCode, int Residents, int Floating, int PendingRegistrations);

public static class BuildingsApi
{
    // Region codes of Guiyang (5201xx): a resident whose ID was issued elsewhere is "floating" here.
    public const string LocalRegionPrefix = "5201";

    public static IEndpointRouteBuilder MapBuildings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/buildings").WithTags("Buildings").RequireAuthorization();
        group.MapGet("/{id:long}", GetBuilding);
        return app;
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
                Residents = db.Registrations.Count(r => r.BuildingId == b.Id && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified)),
                Floating = db.Registrations.Count(r => r.BuildingId == b.Id && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified)
                    && !r.Person!.OriginRegionCode.StartsWith(LocalRegionPrefix)),
                Pending = db.Registrations.Count(r => r.BuildingId == b.Id && r.Status == RegistrationStatus.Submitted),
            })
            .FirstOrDefaultAsync(ct);
        return building is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new BuildingDto(building.Id, building.Code, building.Address, building.GridCode, building.GridName,
                building.StationName, building.Hotline, building.Floors, SnakeCaseEnum.ToCode(building.Use), building.Doorplate,
                building.Residents, building.Floating, building.Pending));
    }
}
