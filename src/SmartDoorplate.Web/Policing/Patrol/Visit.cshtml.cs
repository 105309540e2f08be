using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Accounts;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Patrol;

// The confirmation after a check-in: time (Guiyang), distance when known, a far one flagged in red.
[Authorize(Policy = Policies.Police)]
public sealed class PatrolVisitModel(PatrolCheckIn patrol) : PageModel
{
    public PatrolVisitDto? Visit { get; private set; }
    public bool Repeated { get; private set; }
    public Language Language { get; private set; }
    public string LocalTime => Visit is null ? "" : Visit.VisitedAt.ToOffset(CaseFilter.ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public async Task OnGetAsync(long id, bool repeated, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Repeated = repeated;
        Visit = await patrol.FindAsync(id, ct);
        if (Visit is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
