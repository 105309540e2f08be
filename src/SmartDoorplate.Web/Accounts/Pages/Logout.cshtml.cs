using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts.Pages;

public sealed class LogoutModel(SmartDoorplateDb db, AuditTrail audit, AccountAccess access, IOptions<SignInOptions> options, TimeProvider clock)
    : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/login");

    // The header's two buttons: this session, or (everywhere) every session of the account.
    public async Task<IActionResult> OnPostAsync(bool everywhere, CancellationToken ct)
    {
        await SessionSignOut.SignOutAsync(HttpContext, everywhere, db, audit, access, options.Value, clock, ct);
        return LocalRedirect("/login");
    }
}
