using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Registrations.Scan;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = ScanPageCache.PolicyName)]
public sealed class PlateModel(SmartDoorplateDb db, AuditTrail audit, PatrolCheckIn patrol) : PageModel
{
    public PublicPlateView? Plate { get; private set; }
    public Language Language { get; private set; }
    // Only for a signed-in officer: the 巡查签到 button (or why not). Such a page is never cached.
    public PatrolButton? Patrol { get; private set; }
    public string LangQuery => Language == Language.En ? "?lang=en" : "";

    public async Task OnGetAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Plate = await PublicPlate.FindAsync(db, code, ct);
        if (Plate is null)
        {
            ScanPageCache.DoNotCache(HttpContext);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        // A scan of a replaced plate may mean the old one was copied or stolen: police see it.
        if (Plate.Revoked)
        {
            ScanPageCache.DoNotCache(HttpContext);
            await audit.AppendAsync(new AuditEntry(AuditActions.RevokedPlateScanned, "building",
                Plate.BuildingId.ToString(System.Globalization.CultureInfo.InvariantCulture), Details: new { code = Plate.Code }), ct);
        }
        else if (PatrolCheckIn.IsPolice(User))
        {
            // The default output-cache policy already skips signed-in callers; this page must never be
            // stored for the anonymous public even if that policy changes.
            ScanPageCache.DoNotCache(HttpContext);
            Patrol = new PatrolButton(Plate.Code, await patrol.InScopeAsync(Plate.Code, ct), Language);
        }
    }
}
