using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Policing.WatchList;

// /watch-list (布控名单): load a list, see what is listed, take entries off, see the alerts raised.
// No ID number appears: the list holds blind indexes only, the alerts list names buildings, rooms and
// the list's reference, never a person (the map's alert panel is where police read one, audited).
// Proposing and deciding an alert stay with two officers of the station (four eyes), on the map.
[Authorize(Policy = Policies.WatchListManager)]
public sealed class WatchListPageModel(SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public sealed record EntryRow(long Id, string? Reference, string? Reason, Guid UploadId, string AddedBy, DateTimeOffset AddedAt, int Alerts, bool Removable);
    public sealed record AlertRow(long Id, WatchAlertStatus Status, DateTimeOffset RaisedAt, string StationName, string BuildingCode, string Address,
        string? Room, string? Reference);

    [BindProperty(SupportsGet = true)] public long? Before { get; set; }
    [BindProperty(SupportsGet = true)] public bool Removed { get; set; }

    public IReadOnlyList<EntryRow> Entries { get; private set; } = [];
    public long? NextBefore { get; private set; }
    public IReadOnlyList<AlertRow> Alerts { get; private set; } = [];
    public int OpenAlerts { get; private set; }
    public WatchListUploadDto? Stored { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        var outcome = await WatchListUpload.StoreAsync(file, db, protector, audit, clock, ct);
        Stored = outcome.Stored;
        if (Stored is null)
        {
            Errors["file"] = [WatchListText.UploadRejected.ToString(), .. outcome.Problems];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct) =>
        await WatchListUpload.RemoveAsync(id, db, audit, clock, ct) switch
        {
            EntryRemoval.Removed => Redirect("/watch-list?removed=true"),
            EntryRemoval.NotYours => Forbid(),
            _ => NotFound(),
        };

    public static Bilingual StatusName(WatchAlertStatus status) => WatchListText.StatusNames[status];

    private async Task LoadAsync(CancellationToken ct)
    {
        var scope = db.Scope;
        // Newest first, by id (entries of one upload share their time), PageSize at a time.
        var query = db.WatchEntries.AsNoTracking().Where(e => e.RemovedAt == null);
        if (Before is { } before) query = query.Where(e => e.Id < before);
        var rows = await query.OrderByDescending(e => e.Id).Take(PageSize + 1)
            .Select(e => new EntryRow(e.Id, e.Reference, e.Reason, e.UploadId,
                db.Users.Where(u => u.Id == e.AddedById).Select(u => u.UserName).FirstOrDefault() ?? "",
                e.AddedAt, db.WatchAlerts.Count(a => a.EntryId == e.Id), scope.SeesEverything || e.AddedById == scope.UserId))
            .ToListAsync(ct);
        Entries = rows.Take(PageSize).ToList();
        NextBefore = rows.Count > PageSize ? Entries[^1].Id : null;

        // Through the scope filters: an admin sees every station's alerts, a chief their own.
        var open = db.WatchAlerts.AsNoTracking().Where(a => a.Status == WatchAlertStatus.Raised
            || a.Status == WatchAlertStatus.ProposedConfirm || a.Status == WatchAlertStatus.ProposedDismiss);
        OpenAlerts = await open.CountAsync(ct);
        Alerts = await db.WatchAlerts.AsNoTracking()
            .OrderBy(a => a.Status == WatchAlertStatus.Confirmed || a.Status == WatchAlertStatus.Dismissed).ThenByDescending(a => a.Id)
            .Take(PageSize)
            .Select(a => new AlertRow(a.Id, a.Status, a.RaisedAt, a.Station!.Name, a.Building!.Code, a.Building.Address!.FullText,
                a.Registration!.Room != null ? a.Registration.Room.Number : a.Registration.RoomLabel, a.Entry!.Reference))
            .ToListAsync(ct);
    }
}
