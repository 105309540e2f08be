using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.WatchList;

public static class WatchListText
{
    public static readonly Bilingual UploadRejected = new("布控名单有误，未保存任何条目", "The watch list has errors; nothing was stored");
    public static readonly Bilingual FileMissing = new("请上传名单文件（表单字段 file）", "Upload the list as the form field 'file'");
    public static readonly Bilingual FileTooLarge = new("名单文件不能超过 {0} 字节", "The list file may not exceed {0} bytes");
    public static readonly Bilingual FileNotUtf8 = new("名单文件须为 UTF-8 文本", "The list file must be UTF-8 text");
    public static readonly Bilingual AtLine = new("第 {0} 行：{1}", "Line {0}: {2}");
    public static readonly Bilingual LineQuoting = new("引号不成对", "unbalanced quotes");
    public static readonly Bilingual HeaderColumns = new("表头只能包含 {0}", "the header may only name {0}");
    public static readonly Bilingual TooManyFields = new("最多 {0} 列", "at most {0} columns");
    public static readonly Bilingual IdMissing = new("缺少身份证号码", "the ID number is missing");
    public static readonly Bilingual ReferenceTooLong = new("案件编号不能超过 {0} 个字", "the reference may not exceed {0} characters");
    public static readonly Bilingual ReasonTooLong = new("布控事由不能超过 {0} 个字", "the reason may not exceed {0} characters");
    public static readonly Bilingual TextCharacters = new("编号和事由不能包含 < > 或控制字符", "reference and reason may not contain < > or control characters");
    public static readonly Bilingual Empty = new("名单中没有身份证号码", "The list holds no ID number");
    public static readonly Bilingual TooManyEntries = new("一次最多上传 {0} 个身份证号码", "At most {0} ID numbers per upload");

    public static readonly Bilingual EntryNotFound = new("布控条目不存在", "No such watch-list entry");
    public static readonly Bilingual NotYourEntry = new("只能撤销本人上传的布控条目", "Only the officer who listed an entry (or an admin) may remove it");
    public static readonly Bilingual AlertNotFound = new("预警不存在或不在您的辖区", "No such alert in your jurisdiction");
    public static readonly Bilingual Stale = new("预警已被他人处理，请刷新后重试", "The alert was changed by someone else; reload and try again");
    public static readonly Bilingual VersionMalformed = new("版本号格式不正确", "The version is malformed");
    public static readonly Bilingual AlreadyProposed = new("该预警已有处理意见或已办结", "This alert already has a proposal or a decision");
    public static readonly Bilingual NothingToDecide = new("该预警尚无待审核的处理意见", "This alert has no proposal to decide on");
    public static readonly Bilingual OwnProposal = new("不能审核自己提出的处理意见（双人复核）", "You cannot decide on your own proposal (four eyes)");
    public static readonly Bilingual DecisionInvalid = new("处理意见须为 confirm（确认）或 dismiss（排除）", "decision must be confirm or dismiss");
    public static readonly Bilingual ApproveMissing = new("请说明是否同意（approve: true 或 false）", "Say whether you approve (approve: true or false)");
    public static readonly Bilingual NoteRequired = new("请填写说明（至少 4 个字）", "Write a note (at least 4 characters)");
    public static readonly Bilingual NoteTooLong = new("说明不能超过 {0} 个字", "The note may not exceed {0} characters");

    public static readonly IReadOnlyDictionary<WatchAlertStatus, Bilingual> StatusNames = new Dictionary<WatchAlertStatus, Bilingual>
    {
        [WatchAlertStatus.Raised] = new("待处理", "raised"),
        [WatchAlertStatus.ProposedConfirm] = new("拟确认，待复核", "confirmation proposed"),
        [WatchAlertStatus.ProposedDismiss] = new("拟排除，待复核", "dismissal proposed"),
        [WatchAlertStatus.Confirmed] = new("已确认", "confirmed"),
        [WatchAlertStatus.Dismissed] = new("已排除", "dismissed"),
    };
}
