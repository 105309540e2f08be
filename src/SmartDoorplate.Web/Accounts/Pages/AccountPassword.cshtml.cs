using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts.Pages;

// /accounts/{id}/password: an admin sets a new password (typed twice); the account's sessions end.
[Authorize(Policy = Policies.Admin)]
public sealed class AccountPasswordModel(SmartDoorplateDb db, AuditTrail audit, AccountAccess access, PersonalDataProtector protector,
    IPasswordHasher<User> hasher) : PageModel
{
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Repeat { get; set; }
    public string UserName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (AccountRules.CheckPassword(Password) is { } problem) Errors["password"] = [problem];
        else if (Password != Repeat) Errors["repeat"] = ["两次输入的密码不一致 / The two passwords differ"];
        if (Errors.Count == 0)
        {
            var errors = await AccountCommands.ResetPasswordAsync(id, Password, db, hasher, audit, access, protector, ct);
            if (errors is null) return NotFound();
            if (errors.Count == 0) return Redirect($"/accounts?done=password-reset&q={Uri.EscapeDataString(UserName)}");
            Errors = errors;
        }
        Password = Repeat = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.UserName, u.DisplayName }).FirstOrDefaultAsync(ct);
        if (user is null) return false;
        (UserName, DisplayName) = (user.UserName, user.DisplayName);
        return true;
    }
}
