using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Statistics;

public enum StatisticsAreaKind { Grid, Station, District, All }

// What the figures cover: a grid, a station, or (no code given) the caller's whole jurisdiction —
// an officer's own station, a district officer's district, everything for an admin.
public sealed record StatisticsArea(StatisticsAreaKind Kind, string? Code, string Name, long? GridId, long? StationId)
{
    public enum Outcome { Found, NotFound, Invalid }

    public static async Task<(Outcome Outcome, StatisticsArea? Area)> ResolveAsync(
        SmartDoorplateDb db, string? grid, string? station, Language language, CancellationToken ct)
    {
        grid = string.IsNullOrWhiteSpace(grid) ? null : grid.Trim();
        station = string.IsNullOrWhiteSpace(station) ? null : station.Trim();
        if (grid is not null && station is not null) return (Outcome.Invalid, null);
        var scope = db.Scope;

        if (grid is not null)
        {
            var found = await db.Grids.AsNoTracking().Where(g => g.Code == grid)
                .Select(g => new { g.Id, g.Code, g.Name, g.StationId, g.Station!.DistrictId }).FirstOrDefaultAsync(ct);
            return found is not null && scope.Covers(found.StationId, found.DistrictId)
                ? (Outcome.Found, new(StatisticsAreaKind.Grid, found.Code, found.Name, found.Id, null))
                : (Outcome.NotFound, null);
        }

        var stationId = station is null && scope.Kind == ScopeKind.Station ? scope.StationId : null;
        if (station is not null || stationId is not null)
        {
            var found = await db.PoliceStations.AsNoTracking().Where(s => station != null ? s.Code == station : s.Id == stationId)
                .Select(s => new { s.Id, s.Code, s.Name, s.DistrictId }).FirstOrDefaultAsync(ct);
            return found is not null && scope.Covers(found.Id, found.DistrictId)
                ? (Outcome.Found, new(StatisticsAreaKind.Station, found.Code, found.Name, null, found.Id))
                : (Outcome.NotFound, null);
        }

        if (scope.Kind == ScopeKind.District)
        {
            var district = await db.Districts.AsNoTracking().Where(d => d.Id == scope.DistrictId)
                .Select(d => new { d.Code, d.Name }).FirstOrDefaultAsync(ct);
            return district is null ? (Outcome.NotFound, null) : (Outcome.Found, new(StatisticsAreaKind.District, district.Code, district.Name, null, null));
        }

        return scope.SeesEverything
            ? (Outcome.Found, new(StatisticsAreaKind.All, null, StatisticsText.WholeScope.In(language), null, null))
            : (Outcome.NotFound, null);
    }
}
