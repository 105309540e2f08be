using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartDoorplate.Data;

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

    // REVIEW: labels move to the zh-CN/en resources once the app's localisation is set up.
    public static string ActionLabel(string action) => action switch
    {
        AuditActions.SignIn => "登录",
        AuditActions.SignInFailed => "登录失败",
        AuditActions.PersonView => "查看人员",
        AuditActions.PersonReveal => "显示完整证件号/电话",
        AuditActions.PersonSearch => "查询人员",
        AuditActions.RegistrationChange => "变更登记",
        AuditActions.BuildingChange => "变更房屋",
        AuditActions.DoorplateChange => "变更门牌",
        AuditActions.AccountChange => "变更账号",
        AuditActions.AuditSearch => "查阅审计日志",
        AuditActions.AccessLogView => "居民查询访问记录",
        AuditActions.RetentionAnonymise => "到期匿名化",
        AuditActions.PatrolCheckIn => "巡查签到",
        AuditActions.CaseChange => "录入/修改/导入案件",
        AuditActions.ReportExport => "导出试点报告",
        AuditActions.StatisticsExport => "导出统计",
        _ => action,
    };

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

    public static string BeijingTime(DateTimeOffset at) => at.ToOffset(AuditLog.BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss");
}
