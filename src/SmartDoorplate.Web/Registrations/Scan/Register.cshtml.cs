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
            new RegistrationInput(Plate.Code, Input.Room, Input.Name, Input.IdNumber, Input.Phone, Input.MoveInDate, Input.Reason, Input.Employer, Input.Consent),
            RegistrationChannel.Scan, token, ct);
        var registered = outcome switch
        {
            SubmissionOutcome.Created c => c.Registration,
            SubmissionOutcome.Repeated r => r.Registration,
            _ => null,
        };
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
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case SubmissionOutcome.Throttled:
                Errors = new() { ["form"] = RegistrationText.TooManyForPlate };
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Plate = null;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
        }
    }

    private async Task LoadAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
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
