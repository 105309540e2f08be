using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartDoorplate.Accounts.Pages;

// Signed-in staff land on their own work page; everyone else sees how to register.
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated != true) return Page();
        if (User.IsInRole(Roles.Landlord)) return LocalRedirect("/landlord");
        if (Roles.Police.Any(User.IsInRole)) return LocalRedirect("/police/map");
        if (User.IsInRole(Roles.Admin)) return LocalRedirect("/accounts");
        return Page();
    }
}
