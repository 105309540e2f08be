using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Registrations.Scan;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = ScanPageCache.PolicyName)]
public sealed class PlateModel(SmartDoorplateDb db, AuditTrail audit) : PageModel
{
    public PublicPlateView? Plate { get; private set; }
    public Language Language { get; private set; }
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
            await audit.AppendAsync(new AuditEntry("revoked_plate_scanned", "building",
                Plate.BuildingId.ToString(System.Globalization.CultureInfo.InvariantCulture), Details: new { code = Plate.Code }), ct);
        }
    }
}
