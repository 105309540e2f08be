using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Report;

// /police/report: the pilot's figures for the officer's own jurisdiction (by default all grids of
// their station; ?grid= narrows it), the same report as /police/report.pdf and .png.
[Authorize(Policy = Policies.PoliceOrAdmin)]
public sealed class PilotReportPageModel(NpgsqlDataSource dataSource, SmartDoorplateDb db, IOptions<PilotReportOptions> options, TimeProvider clock) : PageModel
{
    public PilotReport Report { get; private set; } = null!;
    public PilotReportQuery Query { get; private set; } = null!;
    public string Link { get; private set; } = "";
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = PilotReportQuery.Parse(Request, options.Value, db.Scope, errors);
        if (query is null)
        {
            // A hand-edited link: say what is wrong rather than guess.
            return BadRequest(string.Join("\n", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}")));
        }
        var report = await query.BuildAsync(dataSource, db.Scope, clock, ct);
        if (report is null) return NotFound();
        Report = report;
        Query = query;
        Link = query.QueryString(explicitDefaults: false, options.Value);
        return Page();
    }
}
