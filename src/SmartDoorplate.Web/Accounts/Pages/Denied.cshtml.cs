using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartDoorplate.Accounts.Pages;

// Where a signed-in user lands on a page their role may not open (the cookie's AccessDeniedPath):
// a 403 that says so, never the sign-in form they have already passed.
public sealed class DeniedModel : PageModel
{
    public string Home { get; private set; } = "/";

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated != true) return LocalRedirect("/login");
        Home = User.IsInRole(Roles.Admin) ? "/accounts" : "/";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
