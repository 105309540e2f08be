using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy.Landlord;

public sealed record RegistrationDetails(
    Guid Id, RegistrationStatus Status, RegistrationChannel Channel, string Name, string IdNumber, string Phone, string BuildingCode,
    string Address, string? Room, DateOnly MoveInDate, DateOnly? MoveOutDate, DateTimeOffset SubmittedAt, DateTimeOffset? ConfirmedAt,
    bool Late, string? Rejection, uint Version, bool Open);

// One registration of the landlord's buildings: confirm or reject it while it waits, record the move-out
// while it is open. The same RegistrationDecisions as the API, so the same rules and the same 409s.
[Authorize(Policy = Policies.Landlord)]
public sealed class RegistrationModel(
    SmartDoorplateDb db, PersonalDataProtector protector, RegistrationDecisions decisions, IOptions<RegistrationOptions> options,
    TimeProvider clock) : PageModel
{
    public RegistrationDetails? Details { get; private set; }
    public Language Language { get; private set; }
    public DateTimeOffset Deadline { get; private set; }
    public TimeProvider Clock => clock;
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    public string? Problem { get; private set; }
    [BindProperty] public uint? Version { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? MoveOutDate { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        if (Details is null) return NotFound();
        MoveOutDate = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, decisions.ConfirmAsync(id, Version, ct), LandlordText.Confirmed, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, decisions.RejectAsync(id, Reason, Text, Version, ct), LandlordText.Rejected, ct);

    public Task<IActionResult> OnPostMoveOutAsync(Guid id, CancellationToken ct) =>
        DecideAsync(id, decisions.MoveOutAsync(id, MoveOutDate, Version, ct), LandlordText.MovedOut, ct);

    private async Task<IActionResult> DecideAsync(Guid id, Task<DecisionOutcome> decision, Bilingual done, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var outcome = await decision;
        if (outcome is DecisionOutcome.Done)
        {
            TempData[IndexModel.MessageKey] = done.In(Language);
            return RedirectToPage("/Occupancy/Landlord/Index", new { lang = LandlordPages.LanguageRouteValue(Language) });
        }
        if (outcome is DecisionOutcome.Invalid invalid) Errors = invalid.Errors;
        (Problem, Response.StatusCode) = LandlordPages.Describe(outcome, Language);
        // Reload rather than keep the posted version: after a conflict the page shows what is true now.
        await LoadAsync(id, ct);
        return Details is null ? NotFound() : Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var row = await db.Registrations.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new
            {
                Registration = r, Name = r.SubmittedName ?? r.Person!.Name, r.Person!.IdNumberCipher, r.Person.PhoneCipher,
                BuildingCode = r.Building!.Code, Address = r.Building.Address!.FullText, Room = r.Room != null ? r.Room.Number : r.RoomLabel,
            })
            .FirstOrDefaultAsync(ct);
        if (row is null) return;
        var r = row.Registration;
        Details = new RegistrationDetails(r.Id, r.Status, r.Channel, row.Name, Masking.MaskResidentId(protector.Decrypt(row.IdNumberCipher)),
            Masking.MaskMobilePhone(protector.Decrypt(r.ContactPhoneCipher ?? row.PhoneCipher)), row.BuildingCode, row.Address, row.Room,
            r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.ConfirmedAt, r.Late, r.RejectionText(Language), r.Version, r.IsOpen);
        Deadline = r.SubmittedAt.AddDays(options.Value.LandlordDeadlineDays);
    }
}
