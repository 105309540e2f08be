using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Registrations.Scan;

public sealed class RegisterForm
{
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public string? Room { get; set; }
    public string? MoveInDate { get; set; }
    public string? Reason { get; set; } = "work";
    public string? Employer { get; set; }
    public bool? Consent { get; set; }
    public string? DocumentType { get; set; }
    public string? Nationality { get; set; }
    public string? Sex { get; set; }
    public string? BirthDate { get; set; }
}

// Works without JavaScript: the server validates and re-renders with the errors next to each field.
// The hidden form token makes a double tap or a resubmitted form land on the same registration.
public sealed class RegisterModel(SmartDoorplateDb db, TenantRegistration registrations) : PageModel
{
    [BindProperty] public RegisterForm Input { get; set; } = new();
    [BindProperty] public string? FormToken { get; set; }
    public PublicPlateView? Plate { get; private set; }
    public string[] Rooms { get; private set; } = [];
    public IReadOnlySet<string> FullRooms { get; private set; } = new HashSet<string>();
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    public SmartDoorplate.Shared.ErrorSummary? Summary { get; private set; }
    public IReadOnlyList<Analytics.Identity.Country> Countries { get; private set; } = [];
    public Language Language { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken ct)
    {
        await LoadAsync(code, ct);
        FormToken = Guid.NewGuid().ToString("N");
        Input.MoveInDate = DateOnly.FromDateTime(DateTime.Today).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        await LoadAsync(code, ct);
        if (Plate is null) return Page();
        var token = Guid.TryParse(FormToken, out var t) ? "form:" + t.ToString("N") : null;
        var outcome = await registrations.SubmitAsync(
            new RegistrationInput(Plate.Code, Input.Room, Input.Name, Input.IdNumber, Input.Phone, Input.MoveInDate, Input.Reason, Input.Employer, Input.Consent,
                Input.DocumentType, Input.Nationality, Input.Sex, Input.BirthDate),
            RegistrationChannel.Scan, token, ct);
        var registered = outcome switch
        {
            SubmissionOutcome.Created c => c.Registration,
            SubmissionOutcome.Repeated r => r.Registration,
            SubmissionOutcome.AlreadyRegistered a => a.Registration,
            _ => null,
        };
        if (outcome is SubmissionOutcome.AlreadyRegistered) TempData[ReceiptModel.AlreadyRegisteredKey] = true;
        if (registered is not null)
        {
            // Shown once without asking for the phone again: the tenant has just typed it.
            TempData[ReceiptModel.JustSubmittedKey] = registered.Receipt;
            return RedirectToPage("/Registrations/Scan/Receipt", new { receipt = RegistrationReceipt.Format(registered.Receipt), lang = Language == Language.En ? "en" : null });
        }
        switch (outcome)
        {
            case SubmissionOutcome.Invalid invalid:
                Errors = invalid.Errors;
                Summary = SummaryOf(Errors, Language);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case SubmissionOutcome.Throttled:
                Errors = new() { ["form"] = RegistrationText.TooManyForPlate };
                Summary = SummaryOf(Errors, Language);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Plate = null;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
        }
    }

    // The fields in the order the form shows them; the summary lists the errors in that order.
    private static readonly string[] FieldOrder =
        ["form", "name", "documentType", "nationality", "idNumber", "sex", "birthDate", "phone", "room", "moveInDate", "reason", "employer", "consent"];

    private static SmartDoorplate.Shared.ErrorSummary SummaryOf(Dictionary<string, Bilingual> errors, Language language) =>
        new(ScanText.Fix.In(language), errors.OrderBy(e => Array.IndexOf(FieldOrder, e.Key) is var i and >= 0 ? i : FieldOrder.Length)
            .Select(e => new SmartDoorplate.Shared.ErrorSummaryItem(e.Key == "form" ? null : e.Key, e.Value.In(language))).ToList());

    private async Task LoadAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        // Chinese names sort by their pinyin in zh-CN's collation, English ones alphabetically.
        var collation = System.Globalization.CultureInfo.GetCultureInfo(Language == Language.En ? "en-US" : "zh-CN").CompareInfo;
        Countries = Analytics.Identity.Countries.All
            .OrderBy(c => Language == Language.En ? c.EnglishName : c.ChineseName, Comparer<string>.Create((a, b) => collation.Compare(a, b)))
            .ToList();
        Plate = await PublicPlate.FindCurrentAsync(db, code, ct);
        if (Plate is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var plate = await registrations.FindPlateAsync(Plate.Code, ct);
        Rooms = plate?.Rooms ?? [];
        if (Rooms.Length > 0) FullRooms = await Occupancy.RoomLoads.FullRoomNumbersAsync(db, plate!.Value.BuildingId, ct);
    }
}
