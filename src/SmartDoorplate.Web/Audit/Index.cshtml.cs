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

    public async Task OnGetAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        // A hand-edited page number should still show a page, not an error.
        Filter = filter with { Page = Math.Max(1, filter.Page) };
        Results = await AuditLog.SearchAsync(db, Filter, User, cancellationToken);
        await AuditLog.RecordSearchAsync(trail, Filter, cancellationToken);
    }

    public string PageLink(int page) => Url.Page("/Audit/Index", new
    {
        from = Filter.From?.ToString("yyyy-MM-dd"),
        to = Filter.To?.ToString("yyyy-MM-dd"),
        action = Filter.Action,
        actor = Filter.Actor,
        targetType = Filter.TargetType,
        targetId = Filter.TargetId,
        page,
    })!;

    // The vocabulary's label, the code itself for an action no longer in the list.
    public static string ActionLabel(string action) => AuditActions.Find(action)?.Chinese ?? action;

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
