using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Tips;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Registrations.Scan;

public sealed class TipModel(SmartDoorplateDb db, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Text { get; set; }
    public PublicPlateView? Plate { get; private set; }
    public Bilingual? Error { get; private set; }
    public bool Sent { get; private set; }
    public Language Language { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct);

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        await LoadAsync(code, ct);
        if (Plate is null) return Page();
        var text = Text?.Trim() ?? "";
        if (text.Length is < 5 or > TipConfiguration.MaxTextLength)
        {
            Error = ScanText.TipRequired;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        db.Tips.Add(new Tip { BuildingId = Plate.BuildingId, Text = text, SubmittedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        Sent = true;
        return Page();
    }

    private async Task LoadAsync(string code, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Plate = await PublicPlate.FindCurrentAsync(db, code, ct);
        if (Plate is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
