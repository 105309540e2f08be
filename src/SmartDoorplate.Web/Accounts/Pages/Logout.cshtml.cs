using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Audit;

namespace SmartDoorplate.Accounts.Pages;

public sealed class LogoutModel(AuditTrail audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/login");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEntry("sign_out"), ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/login");
    }
}
