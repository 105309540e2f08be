using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

public sealed record OccupantCountsDto(int Submitted, int Confirmed, int Verified, int Rejected, int Ended);

public sealed record NearbyCaseDto(string CaseNumber, string Type, string TypeName, DateTimeOffset OccurredAt, string Status, int DistanceMetres);

public sealed record BuildingPanelDto(
    long Id, string Code, string Address, string GridCode, string GridName, string? DoorplateCode, string? Landlord, string? LandlordPhone,
    int Floors, string Use, double Longitude, double Latitude, int Residents, int Floating,
    OccupantCountsDto Occupants, IReadOnlyList<NearbyCaseDto> RecentCases);

public sealed record BuildingHitDto(long Id, string Code, string Address, string? DoorplateCode, double Longitude, double Latitude);

public sealed record ResidentListDto(long BuildingId, int Total, bool Truncated, IReadOnlyList<MaskedResidentDto> Residents);

// What the side panel shows for a building clicked on the map: counts, nearby cases and the
// landlord's name and phone (in full to the station's police, audited: LandlordContacts). No resident appears here;
// the resident list is a separate, audited call with a purpose, and so is revealing one resident
// (Registrations/PersonsApi). EF query filters keep everything in the caller's scope.
public static class BuildingPanel
{
    public const double NearbyCaseMetres = 100;
    public static readonly TimeSpan RecentCasePeriod = TimeSpan.FromDays(365);
    public const int RecentCaseCount = 5;

    public static async Task<Results<Ok<BuildingPanelDto>, NotFound>> GetAsync(
        long id, SmartDoorplateDb db, TimeProvider clock, LandlordContacts landlords, CancellationToken ct)
    {
        var building = await db.Buildings.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new
            {
                b.Id, b.Code, Address = b.Address!.FullText, GridCode = b.Grid!.Code, GridName = b.Grid.Name, b.Floors, b.Use, b.Entrance,
                Landlord = b.Owner != null ? b.Owner.DisplayName : null, LandlordPhone = b.Owner != null ? b.Owner.ContactPhoneCipher : null, b.OwnerId,
                Doorplate = db.Doorplates.Where(d => d.BuildingId == b.Id && d.RevokedAt == null).Select(d => d.Code).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (building is null) return TypedResults.NotFound();

        var byStatus = await db.Registrations.Where(r => r.BuildingId == id).GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, ct);
        var current = db.Registrations.Where(r => r.BuildingId == id).Where(CurrentResidents.IsCurrent);
        var residents = await current.CountAsync(ct);
        var floating = await current.CountAsync(CurrentResidents.IsFloatingResident, ct);

        var since = clock.GetUtcNow() - RecentCasePeriod;
        var cases = await db.CasesWithin(building.Entrance, NearbyCaseMetres).Where(c => c.OccurredAt >= since)
            .OrderByDescending(c => c.OccurredAt).Take(RecentCaseCount)
            .Select(c => new { c.CaseNumber, c.Type, c.OccurredAt, c.Status, Distance = EF.Functions.Distance(c.Location, building.Entrance, true) })
            .ToListAsync(ct);

        var landlord = await landlords.ForPanelAsync(building.Id, building.OwnerId, building.Landlord, building.LandlordPhone, ct);
        int Count(RegistrationStatus status) => byStatus.GetValueOrDefault(status);
        return TypedResults.Ok(new BuildingPanelDto(
            building.Id, building.Code, building.Address, building.GridCode, building.GridName, building.Doorplate,
            landlord?.Name, landlord?.Phone,
            building.Floors, SnakeCaseEnum.ToCode(building.Use), building.Entrance.X, building.Entrance.Y, residents, floating,
            new OccupantCountsDto(Count(RegistrationStatus.Submitted), Count(RegistrationStatus.Confirmed), Count(RegistrationStatus.Verified),
                Count(RegistrationStatus.Rejected), Count(RegistrationStatus.Ended)),
            cases.Select(c => new NearbyCaseDto(c.CaseNumber, SnakeCaseEnum.ToCode(c.Type), CaseTypes.ChineseNames[c.Type],
                c.OccurredAt.ToOffset(ChinaTime.Offset), SnakeCaseEnum.ToCode(c.Status), (int)Math.Round(c.Distance))).ToList()));
    }

    // Those living there now and those awaiting the landlord's confirmation, masked.
    public static async Task<Results<Ok<ResidentListDto>, NotFound, ValidationProblem>> ListResidentsAsync(
        long id, ResidentListRequest request, SmartDoorplateDb db, MaskedResidents residents, CancellationToken ct)
    {
        if (LookUpPurpose.Errors(request.Purpose) is { } errors) return ValidationProblems.For(errors);
        if (!await db.Buildings.AnyAsync(b => b.Id == id, ct)) return TypedResults.NotFound();
        var registrations = db.Registrations.Where(r => r.BuildingId == id)
            .Where(r => r.Status == RegistrationStatus.Submitted || ((r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null));
        var (listed, total) = await residents.ListAsync(registrations, ct);
        await residents.AuditAsync(request.Purpose!, new { buildingId = id }, listed, total, ct);
        return TypedResults.Ok(new ResidentListDto(id, total, total > listed.Count, listed));
    }

    // The page's search box: a building code, a doorplate code or part of an address.
    public static async Task<Results<Ok<List<BuildingHitDto>>, ValidationProblem>> SearchAsync(string? q, SmartDoorplateDb db, CancellationToken ct)
    {
        var term = q?.Trim() ?? "";
        if (term.Length is < 2 or > 50) return ValidationProblems.For(new Dictionary<string, string[]> { ["q"] = [MapText.SearchTerm.ToString()] });
        var code = term.ToUpperInvariant();
        // REVIEW: a contains-search of addresses scans standard_addresses; a pg_trgm index is the
        // fix once the city-scale address table makes it slow.
        var hits = await db.Buildings.AsNoTracking()
            .Where(b => b.Code.StartsWith(code) || b.Address!.FullText.Contains(term)
                        || db.Doorplates.Any(d => d.BuildingId == b.Id && d.RevokedAt == null && d.Code == code))
            .OrderBy(b => b.Code).Take(10)
            .Select(b => new
            {
                b.Id, b.Code, Address = b.Address!.FullText, b.Entrance,
                Doorplate = db.Doorplates.Where(d => d.BuildingId == b.Id && d.RevokedAt == null).Select(d => d.Code).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(hits.Select(h => new BuildingHitDto(h.Id, h.Code, h.Address, h.Doorplate, h.Entrance.X, h.Entrance.Y)).ToList());
    }
}
