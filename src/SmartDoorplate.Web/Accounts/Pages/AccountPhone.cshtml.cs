using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts.Pages;

// /accounts/{id}/phone: an admin sets or removes an account's contact phone. The admin sees the
// current one masked only: entering a new number needs no view of the old one.
[Authorize(Policy = Policies.Admin)]
public sealed class AccountPhoneModel(SmartDoorplateDb db, AuditTrail audit, PersonalDataProtector protector) : PageModel
{
    [BindProperty] public string? Phone { get; set; }
    public string UserName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string? MaskedPhone { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var errors = await AccountCommands.SetPhoneAsync(id, Phone, db, audit, protector, ct);
        if (errors is null) return NotFound();
        if (errors.Count == 0) return Redirect($"/accounts?done=phone-set&q={Uri.EscapeDataString(UserName)}");
        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.UserName, u.DisplayName, u.ContactPhoneCipher }).FirstOrDefaultAsync(ct);
        if (user is null) return false;
        (UserName, DisplayName) = (user.UserName, user.DisplayName);
        MaskedPhone = user.ContactPhoneCipher is null ? null : Masking.MaskMobilePhone(protector.Decrypt(user.ContactPhoneCipher));
        return true;
    }
}
