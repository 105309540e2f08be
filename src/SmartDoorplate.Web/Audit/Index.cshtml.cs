using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Audit;

[Authorize(Policy = AuditLog.ReadersPolicy)]
public sealed class AuditLogPageModel(SmartDoorplateDb db, AuditTrail trail) : PageModel
{
    public AuditFilter Filter { get; private set; } = new();
    public AuditEventPage Results { get; private set; } = new(1, AuditLog.PageSize, false, []);
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        // A hand-edited page number or size should still show a page, not an error.
        Filter = filter with
        {
            Page = Math.Max(1, filter.Page),
            Size = filter.Size is { } size ? Math.Clamp(size, 1, AuditLog.MaxPageSize) : null,
            After = filter.Before is null ? filter.After : null,
        };
        var errors = Filter.Validate();
        if (errors.Count > 0)
        {
            Errors = errors.ToDictionary(e => e.Key, e => new[] { e.Value.ToString() });
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!string.IsNullOrWhiteSpace(Filter.Label) && AuditActions.MatchingLabel(Filter.Label.Trim()).Count == 0)
            Errors["label"] = [$"没有名称含“{Filter.Label.Trim()}”的操作 / No action's name contains “{Filter.Label.Trim()}”"];
        Results = await AuditLog.SearchAsync(db, Filter, User, cancellationToken);
        await AuditLog.RecordSearchAsync(trail, Filter, cancellationToken);
    }

    public string PageLink(long? before = null, long? after = null) => Url.Page("/Audit/Index", new
    {
        from = Filter.From?.ToString("yyyy-MM-dd"),
        to = Filter.To?.ToString("yyyy-MM-dd"),
        action = Filter.Action,
        label = Filter.Label,
        actor = Filter.Actor,
        targetType = Filter.TargetType,
        targetId = Filter.TargetId,
        size = Filter.Size,
        before,
        after,
    })!;

    // The vocabulary's labels, the code itself for an action no longer in the list.
    public static Bilingual ActionLabel(string action) => AuditActions.Find(action) is { } known ? new(known.Chinese, known.English) : new(action, action);

    public static string RoleLabel(string? role) => role switch
    {
        "admin" => "管理员",
        "station_chief" => "所长",
        "district_officer" => "分局民警",
        "police_officer" => "民警",
        "landlord" => "房东",
        "system" => "系统",
        "anonymous" => "匿名",
        null => "",
        _ => role,
    };

    public static string BeijingTime(DateTimeOffset at) => at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm:ss");
}
