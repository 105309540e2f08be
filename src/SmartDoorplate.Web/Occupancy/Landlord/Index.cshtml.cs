using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy.Landlord;

[Authorize(Policy = Policies.Landlord)]
public sealed class IndexModel(
    SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, RegistrationDecisions decisions,
    IOptions<RegistrationOptions> options, TimeProvider clock) : PageModel
{
    public const string MessageKey = "landlord-message";

    public LandlordOverviewData Overview { get; private set; } = new([], []);
    public Language Language { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public TimeProvider Clock => clock;
    [TempData(Key = MessageKey)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    // The quick confirm beside each pending card; rejecting needs a reason and goes through the details page.
    public async Task<IActionResult> OnPostConfirmAsync(Guid id, uint? version, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var outcome = await decisions.ConfirmAsync(id, version, ct);
        if (outcome is DecisionOutcome.Done)
        {
            Message = LandlordText.Confirmed.In(Language);
            return RedirectToPage(new { lang = Language == Language.En ? "en" : null });
        }
        (Problem, Response.StatusCode) = LandlordPages.Describe(outcome, Language);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Now = clock.GetUtcNow();
        Overview = await LandlordOverview.LoadAsync(db, protector, options.Value.LandlordDeadlineDays, ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.TenantListView, Details: new
        {
            page = "landlord",
            occupants = Overview.Buildings.Sum(b => b.Occupants),
            pending = Overview.Pending.Count,
        }), ct);
    }
}
