using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Audit;

// Kind is "view" (the record was opened, personal data masked) or "reveal" (an ID number or phone
// was shown in full), Label and LabelEn say it in words (AuditActions). Organisation is null when
// the viewer belongs to none (a landlord).
public sealed record AccessLogEntry(string? Organisation, DateTimeOffset At, string Kind, string Label, string LabelEn);

public sealed record ResidentAccessLog(string Receipt, IReadOnlyList<AccessLogEntry> Entries);

// PIPL Art. 44/45: a resident may learn how their personal information is handled. From their receipt
// they see which organisations read their record and when, and never which officer: officers' names
// and roles stay with the supervisors who read the full audit log.
public static class ResidentAccessLogApi
{
    // The most recent reads; a record read more often than this is a matter for the station chief.
    private const int MaxEntries = 500;

    public static IEndpointRouteBuilder MapResidentAccessLog(this IEndpointRouteBuilder app)
    {
        // The phone in the body, as for the status: a query string ends up in proxy logs.
        app.MapPost("/api/registrations/receipt/{receipt}/access-log",
                (string receipt, ReceiptLookUpRequest body, HttpContext http, SmartDoorplateDb db, TenantRegistration registrations, AuditTrail trail, CancellationToken ct) =>
                    GetAsync(receipt, body.Phone, http, db, registrations, trail, ct))
            .WithTags("Registrations")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        // Kept for clients written before the POST; answers the same.
        app.MapGet("/api/registrations/receipt/{receipt}/access-log", GetAsync)
            .WithTags("Registrations")
            .AllowAnonymous()
            .AddOpenApiOperationTransformer((operation, _, _) => { operation.Deprecated = true; return Task.CompletedTask; })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Ok<ResidentAccessLog>, ProblemHttpResult>> GetAsync(
        string receipt, string? phone, HttpContext http, SmartDoorplateDb db, TenantRegistration registrations, AuditTrail trail, CancellationToken cancellationToken)
    {
        var found = await registrations.FindByReceiptAsync(receipt, phone, cancellationToken);
        if (found.Registration is not { } registration) return found.Refusal(http.Response);
        var personId = registration.PersonId.ToString("D");
        var reads = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetType == AuditTargets.Person && e.TargetId == personId && AuditActions.PersonReads.Contains(e.Action))
            .OrderByDescending(e => e.Id)
            .Take(MaxEntries)
            .Select(e => new { e.ActorOrganisation, e.At, e.Action })
            .ToListAsync(cancellationToken);
        var entries = reads.Select(e =>
        {
            var action = e.Action == AuditActions.PersonReveal.Code ? AuditActions.PersonReveal : AuditActions.PersonView;
            return new AccessLogEntry(e.ActorOrganisation, e.At, action == AuditActions.PersonReveal ? "reveal" : "view", action.Chinese, action.English);
        }).ToList();
        await trail.AppendAsync(new AuditEntry(AuditActions.AccessLogView, AuditTargets.Person, personId), cancellationToken);
        return TypedResults.Ok(new ResidentAccessLog(registration.Receipt, entries));
    }
}
