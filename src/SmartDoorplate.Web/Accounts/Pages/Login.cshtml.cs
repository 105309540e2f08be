using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Accounts.Pages;

// Razor Pages validate the anti-forgery token on every POST, so the session cookie this sets
// cannot be used by another site to post on the officer's behalf.
[EnableRateLimiting(RateLimiting.SignIn)]
public sealed class LoginModel(PasswordSignIn signIn) : PageModel
{
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public bool Failed { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await signIn.SignInAsync(HttpContext, Username, Password, ct);
        if (outcome is null)
        {
            Failed = true;
            Password = null;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
