using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing;

public static class CasesText
{
    public static readonly Bilingual ValidationTitle = new("案件信息有误，请按提示修改", "Some fields of the case need correcting");
    public static readonly Bilingual CaseNumberRequired = new("请填写案件编号（不超过 40 个字符）", "caseNumber is required (at most 40 characters)");
    public static readonly Bilingual CaseNumberTaken = new("案件编号 {0} 已存在", "Case number {0} already exists");
    public static readonly Bilingual TypeInvalid = new("案件类别须取自代码表：{0}", "type must come from the code list: {0}");
    public static readonly Bilingual StatusInvalid = new("案件状态须为 open（未破）、solved（已破）或 closed（已结）", "status must be open, solved or closed");
    public static readonly Bilingual OccurredAtInvalid = new("发案时间须为带时区的 ISO 8601 时间，如 2026-03-01T21:30:00+08:00", "occurredAt must be an ISO 8601 time with its offset, e.g. 2026-03-01T21:30:00+08:00");
    public static readonly Bilingual OccurredAtFuture = new("发案时间不能晚于现在", "occurredAt cannot be in the future");
    public static readonly Bilingual LonInvalid = new("经度须为十进制度数（73–135.1）", "lon must be decimal degrees (73–135.1)");
    public static readonly Bilingual LatInvalid = new("纬度须为十进制度数（3.8–53.6）", "lat must be decimal degrees (3.8–53.6)");
    public static readonly Bilingual CrsInvalid = new("坐标系须为 wgs84 或 gcj02（高德/腾讯）", "crs must be wgs84 or gcj02 (AMap, Tencent)");
    public static readonly Bilingual SummaryTooLong = new("简要案情不能超过 1000 个字", "summary can have at most 1000 characters");
    public static readonly Bilingual OutsideJurisdiction = new("发案地点不在您辖区的任何网格内", "The location lies in no grid of your jurisdiction");
    public static readonly Bilingual NotFound = new("案件不存在或不在您的管辖范围内", "No such case in your scope");
    public static readonly Bilingual Stale = new("此案件已被他人修改，请刷新后重试", "Someone else changed this case: reload it and try again");
    public static readonly Bilingual VersionRequired = new("请提供所编辑的版本（If-Match 或 version），以免覆盖他人的修改",
        "Send the version you edited (If-Match or version) so that no one else's change is overwritten");
    public static readonly Bilingual VersionMalformed = new("版本号无效：If-Match 须为本系统给出的 ETag，且与 version 一致",
        "Invalid version: If-Match must be an ETag given by this server and agree with version");
    public static readonly Bilingual ImportTitle = new("文件中有错误，未导入任何案件", "The file has problems; no case was imported");
    public static readonly Bilingual ImportFileRequired = new("请上传 .csv 或 .geojson 文件（表单字段 file）", "Upload a .csv or .geojson file (form field file)");
    public static readonly Bilingual ImportFileType = new("只接受 .csv（含 lon、lat 列）或 .geojson 文件", "Only .csv (with lon and lat columns) or .geojson files are accepted");
    public static readonly Bilingual ImportFileTooLarge = new("文件不能超过 {0} MB", "The file can be at most {0} MB");
    public static readonly Bilingual LimitInvalid = new("limit 须为 1–5000", "limit must be 1–5000");
    public static readonly Bilingual DateFormat = new("日期格式应为 yyyy-MM-dd", "Dates are written yyyy-MM-dd");
    public static readonly Bilingual DateOrder = new("开始日期不能晚于结束日期", "The start date cannot be after the end date");
    public static readonly Bilingual CaseTypeUnknown = new("案件类别不存在：{0}；可用：{1}", "Unknown case type {0}; types: {1}");
}
