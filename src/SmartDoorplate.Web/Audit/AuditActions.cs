using System.Reflection;

namespace SmartDoorplate.Audit;

// An audit action: the snake_case code stored in audit_events.action, and what the audit page and
// the resident's access log call it. AuditEntry takes only these, so no request can write a code
// that is not in the list below.
public sealed record AuditAction(string Code, string Chinese, string English)
{
    public static implicit operator string(AuditAction action) => action.Code;

    public override string ToString() => Code;
}

// The one vocabulary of audit actions: one line each.
public static class AuditActions
{
    public static readonly AuditAction SignIn = new("sign_in", "登录", "Signed in");
    public static readonly AuditAction SignInFailed = new("sign_in_failed", "登录失败（密码错误）", "Sign-in failed (wrong password)");
    public static readonly AuditAction SignInRefused = new("sign_in_refused", "登录被拒绝", "Sign-in refused");
    public static readonly AuditAction SignOut = new("sign_out", "退出登录", "Signed out");
    public static readonly AuditAction SessionsEnded = new("sessions_ended", "结束全部会话", "All sessions ended");
    public static readonly AuditAction SignInThrottled = new("sign_in_throttled", "登录受限（需等待）", "Sign-in throttled (must wait)");   // refused unchecked: this name from this address must wait
    public static readonly AuditAction SignInBlocked = new("sign_in_blocked", "登录被封禁（来自该地址）", "Sign-in blocked from an address"); // a name from one address reached the block (SignInThrottle)
    public static readonly AuditAction AccountUnlocked = new("account_unlocked", "解除登录封禁", "Account unlocked");                   // an admin cleared an account's failed sign-ins
    public static readonly AuditAction AccountCreated = new("account_created", "创建账号", "Account created");
    public static readonly AuditAction AccountEnabled = new("account_enabled", "启用账号", "Account enabled");
    public static readonly AuditAction AccountDisabled = new("account_disabled", "停用账号", "Account disabled");
    public static readonly AuditAction AccountPhoneSet = new("account_phone_set", "修改账号联系电话", "Account's contact phone changed"); // never the number itself
    public static readonly AuditAction PasswordReset = new("password_reset", "重置密码", "Password reset");             // by an admin; the account's sessions end with it
    public static readonly AuditAction PersonView = new("person_view", "查看人员", "Person viewed");
    public static readonly AuditAction PersonReveal = new("person_reveal", "显示完整证件号/电话", "ID number or phone shown in full");
    public static readonly AuditAction PersonSearch = new("person_search", "查询人员", "Persons searched");
    public static readonly AuditAction LandlordContactView = new("landlord_contact_view", "查看房东联系方式", "Landlord's contact viewed"); // the police map's building panel
    public static readonly AuditAction RegistrationSubmitted = new("registration_submitted", "提交居住登记", "Registration submitted");
    public static readonly AuditAction RegistrationConfirmed = new("registration_confirmed", "确认居住登记", "Registration confirmed");
    public static readonly AuditAction RegistrationSuperseded = new("registration_superseded", "旧登记被取代", "Registration superseded");
    public static readonly AuditAction RegistrationRejected = new("registration_rejected", "驳回居住登记", "Registration rejected");
    public static readonly AuditAction RegistrationVerified = new("registration_verified", "核验居住登记", "Registration verified");
    public static readonly AuditAction RegistrationMovedOut = new("registration_moved_out", "登记搬离", "Moved out");
    public static readonly AuditAction TenantListView = new("tenant_list_view", "房东查看租客名单", "Tenant list viewed");
    public static readonly AuditAction TenantExport = new("tenant_export", "房东导出租客名单", "Tenant list exported");
    public static readonly AuditAction RoomAdded = new("room_added", "新增房间", "Room added");
    public static readonly AuditAction RoomUpdated = new("room_updated", "修改房间", "Room changed");
    public static readonly AuditAction RoomRetired = new("room_retired", "停用房间", "Room retired");
    public static readonly AuditAction DoorplatesIssued = new("doorplates_issued", "发放门牌", "Doorplates issued");
    public static readonly AuditAction DoorplateReissued = new("doorplate_reissued", "补发门牌", "Doorplate reissued");
    public static readonly AuditAction DoorplatesPrinted = new("doorplates_printed", "打印门牌", "Doorplates printed");
    public static readonly AuditAction RevokedPlateScanned = new("revoked_plate_scanned", "扫描已作废门牌", "Revoked doorplate scanned");
    public static readonly AuditAction AuditSearch = new("audit_search", "查阅审计日志", "Audit log read");                 // supervisors reading this log are logged too
    public static readonly AuditAction ReceiptLookUpBlocked = new("receipt_look_up_blocked", "回执查询被限制", "Receipt look-ups blocked"); // a receipt had its wrong phones for the hour
    public static readonly AuditAction ReceiptRecovered = new("receipt_recovered", "凭证件号和手机号找回回执", "Receipt recovered with document number and phone"); // also a repeated registration answered with the first
    public static readonly AuditAction ReceiptRecoveryBlocked = new("receipt_recovery_blocked", "找回回执被限制", "Receipt recovery blocked"); // a document number or phone had its misses for the hour
    public static readonly AuditAction AccessLogView = new("access_log_view", "居民查询访问记录", "Resident read their access log");
    public static readonly AuditAction RetentionAnonymise = new("retention_anonymise", "到期匿名化", "Expired records anonymised");
    public static readonly AuditAction EncryptionKeysRotated = new("encryption_keys_rotated", "轮换加密密钥", "Encryption keys rotated");
    public static readonly AuditAction PatrolCheckIn = new("patrol_check_in", "巡查签到", "Patrol check-in");              // an officer's visit at a building (Policing/PatrolCheckIn)
    public static readonly AuditAction CaseChange = new("case_change", "录入/修改/导入案件", "Case recorded, edited or imported");
    public static readonly AuditAction ReportExport = new("report_export", "导出试点报告", "Pilot report exported");         // as PDF or PNG
    public static readonly AuditAction StatisticsExport = new("statistics_export", "导出统计", "Statistics exported");       // counts only, no person: Details say which area
    public static readonly AuditAction WatchListUpload = new("watch_list_upload", "上传布控名单", "Watch list uploaded");     // Details: counts and the alerts raised, never an ID number
    public static readonly AuditAction WatchListRemove = new("watch_list_remove", "移出布控名单", "Removed from the watch list");
    public static readonly AuditAction WatchAlertRaised = new("watch_alert_raised", "布控预警", "Watch alert raised");       // a new registration matched the list
    public static readonly AuditAction WatchAlertProposed = new("watch_alert_proposed", "布控预警初审", "Watch alert proposed");
    public static readonly AuditAction WatchAlertDecided = new("watch_alert_decided", "布控预警复核", "Watch alert decided"); // the second officer of the four eyes

    // Every action above, in the order written, by reflection so that a new action is one line.
    public static readonly IReadOnlyList<AuditAction> All = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(AuditAction))
        .Select(f => (AuditAction)f.GetValue(null)!)
        .ToArray();

    private static readonly Dictionary<string, AuditAction> ByCode = All.ToDictionary(a => a.Code, StringComparer.Ordinal);

    // An action code read back from the log; null for a code no longer in the list.
    public static AuditAction? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var action) ? action : null;

    // The actions whose Chinese or English name contains the text (case-insensitive): the audit
    // filter's search by label. None for text no label holds.
    public static IReadOnlyList<AuditAction> MatchingLabel(string text) =>
        [.. All.Where(a => a.Chinese.Contains(text, StringComparison.OrdinalIgnoreCase) || a.English.Contains(text, StringComparison.OrdinalIgnoreCase))];

    // What a resident's access log lists: someone looked at their personal data.
    public static readonly string[] PersonReads = [PersonView.Code, PersonReveal.Code];
}
