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
    public bool Throttled { get; private set; }
    public int? RetryAfterSeconds { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var attempt = await signIn.SignInAsync(HttpContext, Username, Password, ct);
        if (attempt.Outcome is null)
        {
            Failed = true;
            Throttled = attempt.RetryAfter is not null;
            Password = null;
            if (attempt.RetryAfter is { } wait)
                RetryAfterSeconds = Hosting.RetryAfter.Set(Response, wait);
            Response.StatusCode = Throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
