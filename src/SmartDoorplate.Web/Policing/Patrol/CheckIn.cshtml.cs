using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Patrol;

// The 巡查签到 button of the scan page posts here; success redirects to the visit (post/redirect/get,
// so a reload does not check in twice). Another station's building is refused with a message (404).
[Authorize(Policy = Policies.Police)]
public sealed class PatrolCheckInModel(SmartDoorplateDb db, PatrolCheckIn patrol) : PageModel
{
    [BindProperty] public string? Lat { get; set; }
    [BindProperty] public string? Lon { get; set; }
    [BindProperty] public string? Accuracy { get; set; }

    public PublicPlateView? Plate { get; private set; }
    public bool InScope { get; private set; }
    public Dictionary<string, Bilingual>? Errors { get; private set; }
    public Language Language { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct);

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        await LoadAsync(code, ct);
        if (Plate is null || !InScope) return Page();

        var errors = new Dictionary<string, Bilingual>();
        var input = new PatrolCheckInInput(Plate.Code, Parse(Lat, "lat", errors), Parse(Lon, "lon", errors), Parse(Accuracy, "accuracy", errors));
        var outcome = errors.Count > 0 ? new PatrolOutcome.Invalid(errors) : await patrol.CheckInAsync(input, ct);
        switch (outcome)
        {
            case PatrolOutcome.Recorded recorded:
                var query = new List<string>();
                if (recorded.Repeated) query.Add("repeated=1");
                if (Language == Language.En) query.Add("lang=en");
                return Redirect($"/patrol/visits/{recorded.Visit.Id}" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            case PatrolOutcome.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                InScope = false;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
        }
    }

    // Hidden fields the script fills; empty means the browser gave no position.
    private static double? Parse(string? text, string field, Dictionary<string, Bilingual> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        errors[field] = PatrolText.NotANumber;
        return null;
    }

    private async Task LoadAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Plate = await PublicPlate.FindCurrentAsync(db, code, ct);
        InScope = Plate is not null && await patrol.InScopeAsync(Plate.Code, ct);
        if (!InScope) Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
