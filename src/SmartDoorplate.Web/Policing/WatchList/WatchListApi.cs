using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Policing.WatchList;

public sealed record WatchListUploadDto(Guid UploadId, int Lines, int Added, int AlreadyListed, int AlertsRaised);

public sealed record WatchEntryDto(long Id, string? Reference, string? Reason, Guid UploadId, DateTimeOffset AddedAt, int Alerts);

public sealed record WatchAlertDto(
    long Id, string Status, string StatusName, DateTimeOffset RaisedAt,
    long BuildingId, string BuildingCode, string Address, string GridCode, long StationId, string StationName, double Lon, double Lat,
    string? Room, string? Reference, string? Reason,
    string? ProposedBy, DateTimeOffset? ProposedAt, string? ProposalNote,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote,
    bool CanPropose, bool CanDecide, uint Version);

// Masking's policy: the prefecture beside the masked number, never the county.
public sealed record WatchAlertPersonDto(Guid Id, string Name, string IdNumber, string Sex, string OriginPrefecture, string RegistrationStatus, DateOnly MoveInDate);

public sealed record WatchAlertDetailDto(WatchAlertDto Alert, WatchAlertPersonDto Person);

public sealed record WatchAlertsDto(int Count, IReadOnlyList<WatchAlertDto> Alerts);

public sealed record ProposeRequest(string? Decision, string? Note, uint? Version);

public sealed record DecideRequest(bool? Approve, string? Note, uint? Version);

// 布控预警. Station chiefs, district officers and admins load lists of wanted ID
// numbers; the numbers are kept only as blind indexes. A match with an open registration — one that
// existed when the list came in, or any later one (Registrations/TenantRegistration) — raises one alert
// for the station of the building. Police of that station (or its district) see it on the map; one
// officer proposes confirm or dismiss, a second one decides (four eyes). Every step is audited.
public static class WatchListApi
{
    public const int MinNoteLength = 4;
    public const int MaxListed = 500;

    public static IEndpointRouteBuilder MapWatchList(this IEndpointRouteBuilder app)
    {
        var list = app.MapGroup("/api/watch-list").WithTags("Policing")
            .RequireAuthorization(Policies.WatchListManager);
        // The form is read by hand (no IFormFile parameter, hence no antiforgery metadata): API
        // clients send a bearer token, and the session cookie is SameSite=Strict, so no other site
        // can post a list in an officer's name.
        list.MapPost("", Upload).Accepts<IFormFile>("multipart/form-data");
        list.MapGet("", ListEntries);
        list.MapDelete("/{id:long}", RemoveEntry);

        var alerts = app.MapGroup("/api/watch-alerts").WithTags("Policing").RequireAuthorization(Policies.PoliceOrAdmin);
        alerts.MapGet("", ListAlerts);
        alerts.MapGet("/{id:long}", GetAlert);
        alerts.MapPost("/{id:long}/propose", Propose).RequireAuthorization(Policies.Police).ProducesProblem(StatusCodes.Status409Conflict);
        alerts.MapPost("/{id:long}/decide", Decide).RequireAuthorization(Policies.Police).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<WatchListUploadDto>, ValidationProblem>> Upload(
        HttpRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var file = request.HasFormContentType ? (await request.ReadFormAsync(ct)).Files.GetFile("file") : null;
        var outcome = await WatchListUpload.StoreAsync(file, db, protector, audit, clock, ct);
        if (outcome.Stored is not { } stored)
        {
            return ValidationProblems.For(new Dictionary<string, string[]> { ["file"] = [.. outcome.Problems] }, title: WatchListText.UploadRejected,
                extensions: new Dictionary<string, object?> { ["lines"] = outcome.Lines });
        }
        return TypedResults.Created($"/api/watch-list?upload={stored.UploadId:D}", stored);
    }

    private static async Task<Ok<List<WatchEntryDto>>> ListEntries(Guid? upload, SmartDoorplateDb db, CancellationToken ct)
    {
        var entries = await db.WatchEntries.AsNoTracking()
            .Where(e => e.RemovedAt == null && (upload == null || e.UploadId == upload))
            .OrderByDescending(e => e.AddedAt).ThenBy(e => e.Id).Take(1000)
            .Select(e => new WatchEntryDto(e.Id, e.Reference, e.Reason, e.UploadId, e.AddedAt,
                db.WatchAlerts.Count(a => a.EntryId == e.Id)))
            .ToListAsync(ct);
        return TypedResults.Ok(entries);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveEntry(
        long id, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
        await WatchListUpload.RemoveAsync(id, db, audit, clock, ct) switch
        {
            EntryRemoval.Removed => TypedResults.NoContent(),
            EntryRemoval.NotYours => TypedResults.Problem(title: WatchListText.NotYourEntry.ToString(), statusCode: StatusCodes.Status403Forbidden),
            _ => TypedResults.Problem(title: WatchListText.EntryNotFound.ToString(), statusCode: StatusCodes.Status404NotFound),
        };

    // The station's alerts for the map: no person appears in the list (building, room and the
    // list's reference only), so reading it is not a person view; the detail is.
    private static async Task<Results<Ok<WatchAlertsDto>, ValidationProblem>> ListAlerts(
        string? status, SmartDoorplateDb db, CancellationToken ct)
    {
        var query = db.WatchAlerts.AsNoTracking();
        var wanted = status?.Trim().ToLowerInvariant();
        if (wanted is null or "" or "open")
            query = query.Where(a => a.Status == WatchAlertStatus.Raised || a.Status == WatchAlertStatus.ProposedConfirm || a.Status == WatchAlertStatus.ProposedDismiss);
        else if (SnakeCaseEnum.TryParse<WatchAlertStatus>(wanted, out var one) && SnakeCaseEnum.ToCode(one) == wanted) query = query.Where(a => a.Status == one);
        else if (wanted != "all")
            return ValidationProblems.For(new Dictionary<string, string[]>
            {
                ["status"] = [$"open | all | {string.Join(" | ", Enum.GetValues<WatchAlertStatus>().Select(SnakeCaseEnum.ToCode))}"],
            });

        var alerts = await Project(db, query.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(MaxListed)).ToListAsync(ct);
        return TypedResults.Ok(new WatchAlertsDto(alerts.Count,
            [.. alerts.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Select(a => a.AsDto(db.Scope))]));
    }

    private static async Task<Results<Ok<WatchAlertDetailDto>, ProblemHttpResult>> GetAlert(
        long id, HttpResponse response, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, CancellationToken ct)
    {
        var alert = await Project(db, db.WatchAlerts.AsNoTracking().Where(a => a.Id == id)).FirstOrDefaultAsync(ct);
        if (alert is null) return AlertNotFound();
        // The alert's station is the building's, so the person is in the caller's scope through the
        // registration; read without the person filter so that the detail never depends on its phrasing.
        var person = await db.Persons.IgnoreQueryFilters().AsNoTracking().Where(p => p.Id == alert.PersonId)
            .Select(p => new { p.Id, p.Name, p.IdNumberCipher, p.Sex, p.OriginRegionCode }).FirstAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.PersonView, AuditTargets.Person, person.Id.ToString("D"),
            $"布控预警 {id} / watch alert {id}", new { watchAlert = id, registration = alert.RegistrationId }), ct);
        RowVersion.SetETag(response, alert.Version);
        return TypedResults.Ok(new WatchAlertDetailDto(alert.AsDto(db.Scope), new WatchAlertPersonDto(
            person.Id, Masking.MaskChineseName(person.Name), Masking.MaskResidentId(protector.Decrypt(person.IdNumberCipher)),
            SnakeCaseEnum.ToCode(person.Sex), Masking.OriginPrefecture(person.OriginRegionCode), SnakeCaseEnum.ToCode(alert.RegistrationStatus), alert.MoveInDate)));
    }

    private static async Task<Results<Ok<WatchAlertDto>, ValidationProblem, ProblemHttpResult>> Propose(
        long id, ProposeRequest body, HttpRequest request, HttpResponse response, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var decision = body.Decision?.Trim().ToLowerInvariant() switch
        {
            "confirm" => WatchAlertStatus.ProposedConfirm,
            "dismiss" => WatchAlertStatus.ProposedDismiss,
            _ => (WatchAlertStatus?)null,
        };
        if (decision is null) errors["decision"] = [WatchListText.DecisionInvalid.ToString()];
        var note = NoteErrors(body.Note, errors);
        if (RowVersion.Read(request, body.Version, out var version) == RowVersionRead.Malformed) errors["version"] = [WatchListText.VersionMalformed.ToString()];
        if (errors.Count > 0) return ValidationProblems.For(errors);

        return await ChangeAsync(id, version, response, db, audit, clock, (alert, me, now) =>
        {
            if (alert.Status != WatchAlertStatus.Raised) return Conflict(WatchListText.AlreadyProposed);
            alert.Status = decision!.Value;
            alert.ProposedById = me;
            alert.ProposedAt = now;
            alert.ProposalNote = note;
            return new AuditEntry(AuditActions.WatchAlertProposed, AuditTargets.WatchAlert, Id(alert.Id), Details: new
            {
                person = alert.PersonId, registration = alert.RegistrationId, decision = decision == WatchAlertStatus.ProposedConfirm ? "confirm" : "dismiss", note,
            });
        }, ct);
    }

    private static async Task<Results<Ok<WatchAlertDto>, ValidationProblem, ProblemHttpResult>> Decide(
        long id, DecideRequest body, HttpRequest request, HttpResponse response, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Approve is null) errors["approve"] = [WatchListText.ApproveMissing.ToString()];
        var note = NoteErrors(body.Note, errors);
        if (RowVersion.Read(request, body.Version, out var version) == RowVersionRead.Malformed) errors["version"] = [WatchListText.VersionMalformed.ToString()];
        if (errors.Count > 0) return ValidationProblems.For(errors);

        return await ChangeAsync(id, version, response, db, audit, clock, (alert, me, now) =>
        {
            if (!alert.IsProposed) return Conflict(WatchListText.NothingToDecide);
            if (alert.ProposedById == me)
                return TypedResults.Problem(title: WatchListText.OwnProposal.ToString(), statusCode: StatusCodes.Status403Forbidden);
            var proposal = alert.Status;
            var proposer = alert.ProposedById;
            var proposalNote = alert.ProposalNote;
            alert.DecidedById = me;
            alert.DecidedAt = now;
            alert.DecisionNote = note;
            if (body.Approve == true)
            {
                alert.Status = proposal == WatchAlertStatus.ProposedConfirm ? WatchAlertStatus.Confirmed : WatchAlertStatus.Dismissed;
            }
            else
            {
                // Sent back: the alert is open again for a new proposal; the audit keeps the old one.
                alert.Status = WatchAlertStatus.Raised;
                alert.ProposedById = null;
                alert.ProposedAt = null;
                alert.ProposalNote = null;
            }
            return new AuditEntry(AuditActions.WatchAlertDecided, AuditTargets.WatchAlert, Id(alert.Id), Details: new
            {
                person = alert.PersonId, registration = alert.RegistrationId,
                proposal = SnakeCaseEnum.ToCode(proposal), proposedBy = proposer, proposalNote,
                approved = body.Approve == true, outcome = SnakeCaseEnum.ToCode(alert.Status), note,
            });
        }, ct);
    }

    private static string? NoteErrors(string? note, Dictionary<string, string[]> errors)
    {
        var text = note?.Trim() ?? "";
        if (text.Length < MinNoteLength) errors["note"] = [WatchListText.NoteRequired.ToString()];
        else if (text.Length > WatchAlertConfiguration.MaxNoteLength) errors["note"] = [WatchListText.NoteTooLong.Format(WatchAlertConfiguration.MaxNoteLength).ToString()];
        return text;
    }

    // The alert is read through the scope filter: another station's alert is not found.
    private static async Task<Results<Ok<WatchAlertDto>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        long id, uint? version, HttpResponse response, SmartDoorplateDb db, AuditTrail audit, TimeProvider clock,
        Func<WatchAlert, long, DateTimeOffset, Transition<ProblemHttpResult>> change, CancellationToken ct)
    {
        var me = db.Scope.UserId ?? throw new InvalidOperationException("A decision needs a signed-in caller.");
        var result = await AuditedChange.RunAsync(db, audit, ct => db.WatchAlerts.FirstOrDefaultAsync(a => a.Id == id, ct),
            a => a.Version, version, VersionRule.Optional, alert => Task.FromResult(change(alert, me, clock.GetUtcNow())), ct);
        switch (result.State)
        {
            case ChangeState.NotFound: return AlertNotFound();
            case ChangeState.Refused: return result.Refusal!;
            case ChangeState.Done: break;
            default: return Conflict(WatchListText.Stale);
        }

        db.ChangeTracker.Clear();
        var changed = await Project(db, db.WatchAlerts.AsNoTracking().Where(a => a.Id == id)).FirstAsync(ct);
        RowVersion.SetETag(response, changed.Version);
        return TypedResults.Ok(changed.AsDto(db.Scope));
    }

    private static ProblemHttpResult Conflict(Bilingual title) => TypedResults.Problem(title: title.ToString(), statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult AlertNotFound() =>
        TypedResults.Problem(title: WatchListText.AlertNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record AlertRow(
        long Id, WatchAlertStatus Status, DateTimeOffset RaisedAt, Guid PersonId, Guid RegistrationId,
        Registrations.RegistrationStatus RegistrationStatus, DateOnly MoveInDate,
        long BuildingId, string BuildingCode, string Address, string GridCode, long StationId, string StationName, double Lon, double Lat,
        string? Room, string? Reference, string? Reason,
        long? ProposedById, string? ProposedBy, DateTimeOffset? ProposedAt, string? ProposalNote,
        string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, uint Version)
    {
        public WatchAlertDto AsDto(CallerScope scope)
        {
            var police = scope.Kind is ScopeKind.Station or ScopeKind.District;
            var proposed = Status is WatchAlertStatus.ProposedConfirm or WatchAlertStatus.ProposedDismiss;
            return new(Id, SnakeCaseEnum.ToCode(Status), WatchListText.StatusNames[Status].Zh, RaisedAt,
                BuildingId, BuildingCode, Address, GridCode, StationId, StationName, Lon, Lat, Room, Reference, Reason,
                ProposedBy, ProposedAt, ProposalNote, DecidedBy, DecidedAt, DecisionNote,
                CanPropose: police && Status == WatchAlertStatus.Raised,
                CanDecide: police && proposed && ProposedById != scope.UserId,
                Version);
        }
    }

    // Everything through the scope filters (IgnoreQueryFilters would lift the alert's own filter too,
    // for the whole query). The alert's station is its building's, so both filters agree.
    private static IQueryable<AlertRow> Project(SmartDoorplateDb db, IQueryable<WatchAlert> alerts) =>
        from a in alerts
        join r in db.Registrations on a.RegistrationId equals r.Id
        join b in db.Buildings on a.BuildingId equals b.Id
        join s in db.PoliceStations on a.StationId equals s.Id
        join e in db.WatchEntries on a.EntryId equals e.Id
        select new AlertRow(
            a.Id, a.Status, a.RaisedAt, a.PersonId, a.RegistrationId, r.Status, r.MoveInDate,
            b.Id, b.Code, b.Address!.FullText, b.Grid!.Code, s.Id, s.Name, b.Entrance.X, b.Entrance.Y,
            r.Room != null ? r.Room.Number : r.RoomLabel, e.Reference, e.Reason,
            a.ProposedById, db.Users.Where(u => u.Id == a.ProposedById).Select(u => u.DisplayName).FirstOrDefault(), a.ProposedAt, a.ProposalNote,
            db.Users.Where(u => u.Id == a.DecidedById).Select(u => u.DisplayName).FirstOrDefault(), a.DecidedAt, a.DecisionNote, a.Version);
}
