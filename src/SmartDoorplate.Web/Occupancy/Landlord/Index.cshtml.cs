using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy.Landlord;

// The second step of confirming a tenant into a room without a free bed.
public sealed record FullRoomStep(Guid Id, uint? Version, string Name, RoomLoad Room, Guid? Next);

// The landlord's workspace (LandlordWorkspace): a filtered page of pending and current tenants.
// Every decision posts back the filter it was taken under and the neighbouring card (`next`), and
// redirects to the same filter and page with that card as the anchor: without JavaScript the landlord
// lands where they were; landlord-workspace.js does the same request with fetch and swaps the list in place.
// The page number binds from the query by name: `page` alone is Razor Pages' own route value (the page's path).
[Authorize(Policy = Policies.Landlord)]
public sealed class IndexModel(
    SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, RegistrationDecisions decisions,
    IOptions<RegistrationOptions> options, TimeProvider clock) : PageModel
{
    public const string MessageKey = "landlord-message";
    public const string AcknowledgeFull = "ack";

    public LandlordWorkspaceData Workspace { get; private set; } = LandlordWorkspaceData.Empty;
    public Language Language { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public TimeProvider Clock => clock;
    [TempData(Key = MessageKey)] public string? Message { get; set; }
    public string? Problem { get; private set; }
    public FullRoomStep? FullRoom { get; private set; }
    public Guid? RejectFor { get; private set; }
    public Dictionary<string, Bilingual> RejectErrors { get; private set; } = [];
    public string? Reason { get; private set; }
    public string? Text { get; private set; }

    public string? Lang => LandlordPages.LanguageRouteValue(Language);

    public async Task OnGetAsync(long? building, string? room, string? status, string? q, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct) =>
        await LoadAsync(WorkspaceFilter.From(building, room, status, q, pageNumber), ct);

    // Confirming into a room with no free bed first asks again (FullRoomStep); `full=ack` is the answer.
    // The check is advice, not a lock: two landlords' tabs confirming at once both pass it, and the
    // police queue flags the room either way, from the same count.
    public async Task<IActionResult> OnPostConfirmAsync(
        Guid id, uint? version, string? full, Guid? next, long? building, string? room, string? status, string? q, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var filter = WorkspaceFilter.From(building, room, status, q, pageNumber);
        if (full != AcknowledgeFull && await RoomLoads.FullRoomOfAsync(db, id, ct) is { } load)
        {
            var name = await db.Registrations.AsNoTracking().Where(r => r.Id == id).Select(r => r.SubmittedName ?? r.Person!.Name).FirstAsync(ct);
            FullRoom = new FullRoomStep(id, version, name, load, next);
            Workspace = LandlordWorkspaceData.Empty with { Filter = filter };
            return Page();
        }

        var outcome = await decisions.ConfirmAsync(id, version, ct);
        if (outcome is DecisionOutcome.Done done)
        {
            var overcrowded = done.Registration.RoomId is { } roomId
                && (await RoomLoads.Of(db, db.Rooms.AsNoTracking().Where(r => r.Id == roomId)).FirstOrDefaultAsync(ct))?.Overcrowded == true;
            Message = overcrowded
                ? LandlordText.ConfirmedOvercrowded.Format(done.Registration.Room?.Number ?? "").In(Language)
                : LandlordText.Confirmed.In(Language);
            return BackToPlace(filter, next);
        }
        (Problem, Response.StatusCode) = LandlordPages.Describe(outcome, Language);
        await LoadAsync(filter, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(
        Guid id, uint? version, string? reason, string? text, Guid? next, long? building, string? room, string? status, string? q, [FromQuery(Name = "page")] int? pageNumber,
        CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var filter = WorkspaceFilter.From(building, room, status, q, pageNumber);
        var outcome = await decisions.RejectAsync(id, reason, text, version, ct);
        if (outcome is DecisionOutcome.Done)
        {
            Message = LandlordText.Rejected.In(Language);
            return BackToPlace(filter, next);
        }
        if (outcome is DecisionOutcome.Invalid invalid)
        {
            (RejectFor, RejectErrors, Reason, Text) = (id, invalid.Errors, reason, text);
            Problem = LandlordText.Fix.In(Language);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else (Problem, Response.StatusCode) = LandlordPages.Describe(outcome, Language);
        await LoadAsync(filter, ct);
        return Page();
    }

    public string PageUrl(WorkspaceFilter filter, int? page = null) => "/landlord" + filter.Query(Lang, page);

    // A decision form's action: the handler and the filter it was shown under, which the handler binds from the query.
    public string HandlerUrl(string handler)
    {
        var url = PageUrl(Workspace.Filter);
        return url + (url.Contains('?') ? "&" : "?") + "handler=" + handler;
    }

    // The card that took the decided one's place (or the list's top): the fragment is built from a
    // parsed Guid only, so nothing posted reaches the Location header unchecked.
    private RedirectResult BackToPlace(WorkspaceFilter filter, Guid? next) =>
        Redirect(PageUrl(filter) + (next is { } n ? "#r-" + n.ToString("D") : "#list"));

    private async Task LoadAsync(WorkspaceFilter filter, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Now = clock.GetUtcNow();
        Workspace = await LandlordWorkspace.LoadAsync(db, protector, options.Value.LandlordDeadlineDays, filter, ct);
        var f = Workspace.Filter;
        // Whose names were shown, by count and filter; the searched text itself is personal data and stays out of the log.
        await audit.AppendAsync(new AuditEntry(AuditActions.TenantListView, Details: new
        {
            page = "landlord",
            shown = Workspace.Items.Count,
            pending = Workspace.Items.Count(i => i.Pending),
            filter = new { building = f.Building, room = f.Room, status = f.Status, search = f.Name is not null, page = f.Page },
        }), ct);
    }
}
