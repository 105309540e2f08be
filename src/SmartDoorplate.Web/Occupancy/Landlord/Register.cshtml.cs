using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy.Landlord;

public sealed class TenantForm
{
    public string? Room { get; set; }
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public string? MoveInDate { get; set; }
    public string? Reason { get; set; } = "work";
    public string? Employer { get; set; }
    public bool? Consent { get; set; }
}

public sealed record BuildingChoice(long Id, string Code, string Address);

// The landlord registers a tenant who has no smartphone: the tenant's own form and rules, for one of
// the landlord's buildings, confirmed at once. The form token makes a double tap one registration.
[Authorize(Policy = Policies.Landlord)]
public sealed class RegisterModel(SmartDoorplateDb db, TenantRegistration registrations, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? Building { get; set; }
    [BindProperty] public TenantForm Input { get; set; } = new();
    [BindProperty] public string? FormToken { get; set; }
    public IReadOnlyList<BuildingChoice> Buildings { get; private set; } = [];
    public BuildingChoice? Chosen { get; private set; }
    public string[] Rooms { get; private set; } = [];
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    public Language Language { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        FormToken = Guid.NewGuid().ToString("N");
        Input.MoveInDate = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Chosen is null)
        {
            Errors["building"] = OccupancyText.BuildingRequired;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var landlordId = db.Scope.UserId!.Value;
        var key = Guid.TryParse(FormToken, out var token) ? LandlordApi.LandlordIdempotencyKey(landlordId, "form:" + token.ToString("N")) : null;
        var outcome = await registrations.EnterForTenantAsync(Chosen.Id,
            new RegistrationInput(null, Input.Room, Input.Name, Input.IdNumber, Input.Phone, Input.MoveInDate, Input.Reason, Input.Employer, Input.Consent),
            landlordId, key, ct);
        var registered = outcome switch
        {
            SubmissionOutcome.Created c => c.Registration,
            SubmissionOutcome.Repeated r => r.Registration,
            _ => null,
        };
        if (registered is not null)
        {
            TempData[IndexModel.MessageKey] = LandlordText.Entered.Format(RegistrationReceipt.Format(registered.Receipt)).In(Language);
            return RedirectToPage("/Occupancy/Landlord/Index", new { lang = LandlordPages.LanguageRouteValue(Language) });
        }
        Errors = outcome is SubmissionOutcome.Invalid invalid ? invalid.Errors : new() { ["building"] = OccupancyText.BuildingNotFound };
        Response.StatusCode = outcome is SubmissionOutcome.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Buildings = await db.Buildings.AsNoTracking().OrderBy(b => b.Code)
            .Select(b => new BuildingChoice(b.Id, b.Code, b.Address!.FullText)).ToListAsync(ct);
        // One building needs no choosing.
        Chosen = Buildings.FirstOrDefault(b => b.Id == Building) ?? (Buildings.Count == 1 ? Buildings[0] : null);
        if (Chosen is not null)
        {
            Rooms = await db.Rooms.AsNoTracking().Where(r => r.BuildingId == Chosen.Id && r.RetiredAt == null)
                .OrderBy(r => r.Floor).ThenBy(r => r.Number).Select(r => r.Number).ToArrayAsync(ct);
        }
    }
}
