using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Shared;

namespace SmartDoorplate.Registrations.Scan;

// A lost receipt, found again on the plate's page: the document number and the phone given with the
// registration. A match goes to the receipt page; every miss reads the same (TenantRegistration.RecoverReceiptAsync).
public sealed class RecoverModel(SmartDoorplateDb db, TenantRegistration registrations) : PageModel
{
    [BindProperty] public string? DocumentType { get; set; }
    [BindProperty] public string? Nationality { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Phone { get; set; }
    public PublicPlateView? Plate { get; private set; }
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    public ErrorSummary? Summary { get; private set; }
    public Language Language { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct);

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        await LoadAsync(code, ct);
        if (Plate is null) return Page();
        var found = await registrations.RecoverReceiptAsync(Plate.Code,
            new RegistrationInput(Plate.Code, null, null, IdNumber, Phone, null, null, null, null, DocumentType, Nationality), Errors, ct);
        if (found.Registration is { } registration)
        {
            TempData[ReceiptModel.JustSubmittedKey] = registration.Receipt;
            TempData[ReceiptModel.RecoveredKey] = true;
            return RedirectToPage("/Registrations/Scan/Receipt", new { receipt = RegistrationReceipt.Format(registration.Receipt), lang = Language == Language.En ? "en" : null });
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Summary = new(ScanText.Fix.In(Language), Errors.Select(e => new ErrorSummaryItem(e.Key, e.Value.In(Language))).ToList());
        }
        else if (found.RetryAfter is { } wait)
        {
            var seconds = Hosting.RetryAfter.Set(Response, wait);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Summary = new(RegistrationText.RecoveryTooManyTriesFor.Format(Hosting.RetryAfter.WholeMinutes(seconds)).In(Language), []);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Summary = new(RegistrationText.RecoveryNotFound.In(Language), []);
        }
        return Page();
    }

    private async Task LoadAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Plate = await PublicPlate.FindCurrentAsync(db, code, ct);
        if (Plate is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
