using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;

namespace SmartDoorplate.Gis;

// /stations: the jurisdictions at a glance for an admin — per station (or, with ?station=CODE, per
// grid of it) how many grids, buildings, residents, floating residents, pending registrations and
// police accounts. Counts only, from building_counts (kept by triggers): no person is read.
[Authorize(Policy = Policies.Admin)]
public sealed class StationsPageModel(SmartDoorplateDb db) : PageModel
{
    public sealed record Counts(int Grids, int Buildings, int Residents, int Floating, int Pending, int Officers);
    public sealed record StationRow(string Code, string Name, string District, Counts Counts);
    public sealed record GridRow(string Code, string Name, Counts Counts);

    [BindProperty(SupportsGet = true)] public string? Station { get; set; }

    public IReadOnlyList<StationRow> Stations { get; private set; } = [];
    public StationRow? Chosen { get; private set; }
    public IReadOnlyList<GridRow> Grids { get; private set; } = [];
    public Counts Total { get; private set; } = new(0, 0, 0, 0, 0, 0);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Three grouped reads for the whole city, joined here: one row per grid each.
        var grids = await db.Grids.AsNoTracking().Select(g => new { g.Id, g.Code, g.Name, g.StationId }).ToListAsync(ct);
        var buildings = await db.Buildings.AsNoTracking().GroupBy(b => b.GridId)
            .Select(g => new { GridId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.GridId, g => g.Count, ct);
        var people = await db.BuildingCounts.AsNoTracking().GroupBy(c => c.Building!.GridId)
            .Select(g => new { GridId = g.Key, Residents = g.Sum(c => c.Residents), Floating = g.Sum(c => c.Floating), Pending = g.Sum(c => c.Pending) })
            .ToDictionaryAsync(g => g.GridId, ct);
        var officers = await db.Users.AsNoTracking().Where(u => u.StationId != null && u.DisabledAt == null).GroupBy(u => u.StationId!.Value)
            .Select(g => new { StationId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.StationId, g => g.Count, ct);
        var stations = await db.PoliceStations.AsNoTracking().OrderBy(s => s.District!.Code).ThenBy(s => s.Code)
            .Select(s => new { s.Id, s.Code, s.Name, District = s.District!.Name }).ToListAsync(ct);

        Counts GridCounts(long gridId) => people.TryGetValue(gridId, out var p)
            ? new(1, buildings.GetValueOrDefault(gridId), p.Residents, p.Floating, p.Pending, 0)
            : new(1, buildings.GetValueOrDefault(gridId), 0, 0, 0, 0);
        static Counts Sum(IEnumerable<Counts> counts, int officers) => counts.Aggregate(new Counts(0, 0, 0, 0, 0, officers), (a, c) =>
            new(a.Grids + c.Grids, a.Buildings + c.Buildings, a.Residents + c.Residents, a.Floating + c.Floating, a.Pending + c.Pending, a.Officers));

        var gridsByStation = grids.ToLookup(g => g.StationId);
        Stations = stations.Select(s => new StationRow(s.Code, s.Name, s.District,
            Sum(gridsByStation[s.Id].Select(g => GridCounts(g.Id)), officers.GetValueOrDefault(s.Id)))).ToList();
        var totals = Sum(Stations.Select(s => s.Counts), 0);
        Total = totals with { Officers = Stations.Sum(s => s.Counts.Officers) };

        if (!string.IsNullOrWhiteSpace(Station))
        {
            var code = Station.Trim();
            var station = stations.FirstOrDefault(s => s.Code == code);
            if (station is null) return NotFound();
            Chosen = Stations.First(s => s.Code == code);
            Grids = gridsByStation[station.Id].OrderBy(g => g.Code).Select(g => new GridRow(g.Code, g.Name, GridCounts(g.Id))).ToList();
        }
        return Page();
    }
}
