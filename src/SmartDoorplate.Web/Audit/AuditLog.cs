using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Audit;

// Query-string filters of /api/audit and the /audit page. Dates are whole days in Beijing time,
// both ends included: that is how a station chief asks "what happened on the 23rd".
public sealed record AuditFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    string? Action = null,
    string? Actor = null,
    string? TargetType = null,
    string? TargetId = null,
    int Page = 1)
{
    public Dictionary<string, Bilingual> Validate()
    {
        var errors = new Dictionary<string, Bilingual>();
        if (Page < 1) errors["page"] = new("页码从 1 开始", "page starts at 1");
        if (From > To) errors["from"] = new("起始日期晚于结束日期", "from is after to");
        return errors;
    }
}

public sealed record AuditEventDto(
    long Id,
    DateTimeOffset At,
    long? ActorUserId,
    string? ActorName,
    string? ActorRole,
    string? ActorOrganisation,
    string Action,
    string? TargetType,
    string? TargetId,
    string? Purpose,
    string? ClientAddress,
    JsonElement? Details);

public sealed record AuditEventPage(int Page, int PageSize, bool HasNextPage, IReadOnlyList<AuditEventDto> Items);

public static class AuditLog
{
    public const int PageSize = 50;
    public const string ReadersPolicy = "audit_readers";

    // Newest first. A page of PageSize + 1 rows says whether another follows without counting a
    // table that only grows.
    public static async Task<AuditEventPage> SearchAsync(SmartDoorplateDb db, AuditFilter filter, ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        var query = ScopedTo(db.AuditEvents.AsNoTracking(), reader);
        if (filter.From is { } from) query = query.Where(e => e.At >= StartOfDay(from));
        if (filter.To is { } to) query = query.Where(e => e.At < StartOfDay(to.AddDays(1)));
        if (Trimmed(filter.Action) is { } action) query = query.Where(e => e.Action == action);
        if (Trimmed(filter.Actor) is { } actor)
        {
            // A user id, or the start of a user name ("police." lists every officer account).
            var pattern = EscapeLike(actor) + "%";
            query = long.TryParse(actor, out var userId)
                ? query.Where(e => e.ActorUserId == userId)
                : query.Where(e => e.ActorName != null && EF.Functions.ILike(e.ActorName, pattern));
        }
        if (Trimmed(filter.TargetType) is { } targetType) query = query.Where(e => e.TargetType == targetType);
        if (Trimmed(filter.TargetId) is { } targetId) query = query.Where(e => e.TargetId == targetId);

        var rows = await query
            .OrderByDescending(e => e.Id)
            .Skip((filter.Page - 1) * PageSize)
            .Take(PageSize + 1)
            .ToListAsync(cancellationToken);
        return new AuditEventPage(filter.Page, PageSize, rows.Count > PageSize, rows.Take(PageSize).Select(AsDto).ToList());
    }

    // Admins read everything. A station chief reads what the accounts of their own organisation
    // (the sd:org claim) did: supervising one's own officers is what 数据铁笼 asks of a chief, and
    // another station's work is outside their scope. No organisation claim, nothing to read.
    private static IQueryable<AuditEvent> ScopedTo(IQueryable<AuditEvent> events, ClaimsPrincipal reader)
    {
        if (reader.IsInRole("admin")) return events;
        var organisation = reader.FindFirstValue(AuditClaims.Organisation);
        return organisation is null ? events.Where(_ => false) : events.Where(e => e.ActorOrganisation == organisation);
    }

    private static DateTimeOffset StartOfDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static AuditEventDto AsDto(AuditEvent e) => new(
        e.Id, e.At, e.ActorUserId, e.ActorName, e.ActorRole, e.ActorOrganisation, e.Action, e.TargetType, e.TargetId,
        e.Purpose, e.ClientAddress, e.Details is null ? null : JsonDocument.Parse(e.Details).RootElement.Clone());

    // Reading the log is recorded in it: supervisors are supervised too. The criteria go in
    // Details; they name records and accounts but hold no personal data of residents.
    public static Task RecordSearchAsync(AuditTrail trail, AuditFilter filter, CancellationToken cancellationToken) =>
        trail.AppendAsync(new AuditEntry(AuditActions.AuditSearch, Details: filter), cancellationToken);
}
