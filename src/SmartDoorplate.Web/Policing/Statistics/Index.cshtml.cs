using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Statistics;

// /police/statistics: the same figures as /api/statistics, as tables (which work without
// JavaScript and for screen readers) and as ECharts charts drawn by wwwroot/js/police-statistics.js
// from the JSON in data-statistics (no inline script: CSP).
[Authorize(Policy = Policies.PoliceOrAdmin)]
public sealed class StatisticsPageModel(
    SmartDoorplateDb db, TimeProvider clock, IOptions<RegistrationOptions> registrationOptions, IOptions<StatisticsOptions> options) : PageModel
{
    public sealed record GridOption(string Code, string Name);

    [BindProperty(SupportsGet = true)]
    public string? Grid { get; set; }

    public StatisticsDto Stats { get; private set; } = null!;
    public IReadOnlyList<GridOption> Grids { get; private set; } = [];
    public int SuppressBelow => options.Value.CsvSuppressBelow;
    public string StatisticsJson => JsonSerializer.Serialize(Stats, JsonSerializerOptions.Web);
    public string CsvLink => string.IsNullOrWhiteSpace(Grid) ? "/api/statistics.csv" : $"/api/statistics.csv?grid={Uri.EscapeDataString(Grid.Trim())}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var language = Languages.Of(Request);
        var (_, area) = await StatisticsArea.ResolveAsync(db, Grid, null, language, ct);
        if (area is null) return NotFound();

        // Grids carry no scope filter of their own: the list is the caller's jurisdiction's grids.
        var scope = db.Scope;
        Grids = await db.Grids.AsNoTracking()
            .Where(g => scope.SeesEverything
                || (scope.Kind == ScopeKind.Station && g.StationId == scope.StationId)
                || (scope.Kind == ScopeKind.District && g.Station!.DistrictId == scope.DistrictId))
            .OrderBy(g => g.Code).Select(g => new GridOption(g.Code, g.Name)).ToListAsync(ct);
        Stats = await ResidentStatistics.ComputeAsync(db, area, clock, registrationOptions.Value, options.Value, language, ct);
        return Page();
    }
}
