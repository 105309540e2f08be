using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Registrations.Scan;

// The tenant's own view of their registration: receipt number + phone, nothing else.
public sealed class ReceiptModel(SmartDoorplateDb db, TenantRegistration registrations) : PageModel
{
    public const string JustSubmittedKey = "just-submitted";
    // Set with JustSubmittedKey: why the receipt shown is an earlier one ("already" or "recovered").
    public const string AlreadyRegisteredKey = "already-registered";
    public const string RecoveredKey = "recovered";

    [BindProperty(SupportsGet = true)] public string? Receipt { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? MoveOutDate { get; set; }
    public ReceiptStatusDto? Status { get; private set; }
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    public Language Language { get; private set; }
    public Bilingual? Notice { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var normalised = RegistrationReceipt.Normalize(Receipt);
        if (normalised is not null && TempData[JustSubmittedKey] as string == normalised)
        {
            var registration = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
                .Include(r => r.Building!).ThenInclude(b => b.Address).Include(r => r.Room)
                .FirstOrDefaultAsync(r => r.Receipt == normalised, ct);
            Status = registration?.AsReceiptDto(Language);
            if (TempData[AlreadyRegisteredKey] is true) Notice = ScanText.AlreadyRegistered;
            else if (TempData[RecoveredKey] is true) Notice = ScanText.Recovered;
        }
    }

    public async Task<IActionResult> OnPostLookupAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is { } registration) Status = registration.AsReceiptDto(Language);
        return Page();
    }

    public async Task<IActionResult> OnPostMoveOutAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } registration) return Page();
        Errors = await registrations.MoveOutAsync(registration, MoveOutDate, ct);
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        Status = registration.AsReceiptDto(Language);
        return Page();
    }

    // A wrong receipt and a wrong phone get the same answer.
    private async Task<ResidenceRegistration?> FindAsync(CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var found = await registrations.FindByReceiptAsync(Receipt, Phone, ct);
        if (found.RetryAfter is { } wait)
        {
            var seconds = Hosting.RetryAfter.Set(Response, wait);
            Errors["receipt"] = RegistrationText.ReceiptTooManyTriesFor.Format(Hosting.RetryAfter.WholeMinutes(seconds));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        else if (found.Registration is null)
        {
            Errors["receipt"] = RegistrationText.ReceiptNotFound;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return found.Registration;
    }
}
