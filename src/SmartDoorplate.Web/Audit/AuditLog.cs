using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Audit;

// Query-string filters of /api/audit and the /audit page. Dates are whole days in Beijing time,
// both ends included: that is how a station chief asks "what happened on the 23rd". Label finds the
// actions whose Chinese or English name contains it (AuditActions), so nobody needs the stored codes.
// Paging: before/after an event id (keyset: a page deep in a log of millions costs what the first
// does), or the older page number, which counts rows to skip.
public sealed record AuditFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    string? Action = null,
    string? Actor = null,
    string? TargetType = null,
    string? TargetId = null,
    int Page = 1,
    string? Label = null,
    long? Before = null,
    long? After = null,
    int? Size = null)
{
    public const int MaxLabelLength = 50;

    public int PageSize => Size ?? AuditLog.PageSize;

    public Dictionary<string, Bilingual> Validate()
    {
        var errors = new Dictionary<string, Bilingual>();
        if (Page < 1) errors["page"] = new("页码从 1 开始", "page starts at 1");
        if (From > To) errors["from"] = new("起始日期晚于结束日期", "from is after to");
        if (Size is < 1 or > AuditLog.MaxPageSize) errors["size"] = new($"每页 1–{AuditLog.MaxPageSize} 条", $"size is 1–{AuditLog.MaxPageSize}");
        if (Before is not null && After is not null) errors["before"] = new("before 与 after 只能给一个", "give before or after, not both");
        if (Page > 1 && (Before is not null || After is not null)) errors["page"] = new("page 不能与 before/after 同用", "page cannot be combined with before/after");
        if (Label?.Length > MaxLabelLength) errors["label"] = new($"操作名称最多 {MaxLabelLength} 字", $"label is at most {MaxLabelLength} characters");
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

// NextBefore: the cursor of the older page that follows (null at the end); PreviousAfter: of the newer
// page before this one (null on the newest).
public sealed record AuditEventPage(int Page, int PageSize, bool HasNextPage, IReadOnlyList<AuditEventDto> Items,
    long? NextBefore = null, long? PreviousAfter = null);

public static class AuditLog
{
    public const int PageSize = 50;
    public const int MaxPageSize = 100;
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
        if (Trimmed(filter.Label) is { } label)
        {
            var codes = AuditActions.MatchingLabel(label).Select(a => a.Code).ToArray();
            query = query.Where(e => codes.Contains(e.Action));
        }

        var size = Math.Clamp(filter.PageSize, 1, MaxPageSize);
        List<AuditEvent> rows;
        if (filter.After is { } after)
        {
            // The newer page: read upwards from the cursor, then show it newest first like every page.
            rows = await query.Where(e => e.Id > after).OrderBy(e => e.Id).Take(size + 1).ToListAsync(cancellationToken);
            var newerStill = rows.Count > size;
            rows = rows.Take(size).Reverse().ToList();
            return new AuditEventPage(filter.Page, size, HasNextPage: rows.Count > 0, rows.Select(AsDto).ToList(),
                NextBefore: rows.Count > 0 ? rows[^1].Id : null, PreviousAfter: newerStill ? rows[0].Id : null);
        }
        if (filter.Before is { } before) query = query.Where(e => e.Id < before);
        rows = await query
            .OrderByDescending(e => e.Id)
            .Skip(filter.Before is null ? (filter.Page - 1) * size : 0)
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var more = rows.Count > size;
        rows = rows.Take(size).ToList();
        var paged = filter.Before is not null || filter.Page > 1;
        return new AuditEventPage(filter.Page, size, more, rows.Select(AsDto).ToList(),
            NextBefore: more ? rows[^1].Id : null, PreviousAfter: paged && rows.Count > 0 ? rows[0].Id : null);
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
