using System.Globalization;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Occupancy.Landlord;

public static class LandlordText
{
    public static readonly Bilingual Title = new("我的房屋", "My buildings");
    public static readonly Bilingual RegisterTenant = new("代租户登记", "Register a tenant");
    public static readonly Bilingual ExportCsv = new("导出在住租户（CSV）", "Export current tenants (CSV)");
    public static readonly Bilingual ExportXlsx = new("导出在住租户（Excel）", "Export current tenants (Excel)");
    public static readonly Bilingual Pending = new("待确认登记", "Waiting for your confirmation");
    public static readonly Bilingual NothingPending = new("没有待确认的登记。", "Nothing is waiting for you.");
    public static readonly Bilingual Submitted = new("已提交", "Submitted");
    public static readonly Bilingual Deadline = new("确认期限", "Confirm by");
    public static readonly Bilingual Overdue = new("已逾期，社区民警会看到", "Overdue: the community police can see it");
    public static readonly Bilingual Confirm = new("确认", "Confirm");
    public static readonly Bilingual Details = new("查看 / 拒绝", "Details / reject");
    public static readonly Bilingual Rooms = new("房间", "Rooms");
    public static readonly Bilingual Beds = new("床位", "Beds");
    public static readonly Bilingual Occupants = new("在住", "Living here");
    public static readonly Bilingual Vacancies = new("空床", "Free beds");
    public static readonly Bilingual Floor = new("楼层", "Floor");
    public static readonly Bilingual OnFloor = new("{0} 层", "floor {0}");
    public static readonly Bilingual AreaM2 = new("面积（㎡）", "Area (m²)");
    public static readonly Bilingual ManageRooms = new("管理房间", "Manage rooms");
    public static readonly Bilingual NoRoomList = new("未按房间登记", "Not in a listed room");
    public static readonly Bilingual Empty = new("空置", "Empty");
    public static readonly Bilingual MoveOut = new("登记退租", "Record a move-out");
    public static readonly Bilingual MovedIn = new("入住", "Moved in");
    public static readonly Bilingual Late = new("逾期登记", "Registered late");
    public static readonly Bilingual ByLandlord = new("房东代登记", "Entered by the landlord");
    public static readonly Bilingual Registration = new("登记详情", "Registration");
    public static readonly Bilingual Name = new("姓名", "Name");
    public static readonly Bilingual IdNumber = new("身份证号码", "ID number");
    public static readonly Bilingual Phone = new("手机号码", "Phone");
    public static readonly Bilingual Building = new("楼栋", "Building");
    public static readonly Bilingual Room = new("房间", "Room");
    public static readonly Bilingual Status = new("状态", "Status");
    public static readonly Bilingual Reject = new("拒绝登记", "Reject");
    public static readonly Bilingual RejectReason = new("拒绝原因", "Reason");
    public static readonly Bilingual RejectText = new("说明（选“其他原因”时必填）", "Explanation (needed for “another reason”)");
    public static readonly Bilingual ChooseReason = new("请选择", "Choose");
    public static readonly Bilingual MoveOutDate = new("退租日期", "Move-out date");
    public static readonly Bilingual Back = new("返回我的房屋", "Back to my buildings");
    public static readonly Bilingual Confirmed = new("已确认登记。", "Registration confirmed.");
    public static readonly Bilingual Rejected = new("已拒绝登记，租户可在回执中看到原因。", "Registration rejected; the tenant sees the reason on the receipt.");
    public static readonly Bilingual MovedOut = new("已登记退租，记录保留。", "Move-out recorded; the record is kept.");
    public static readonly Bilingual Entered = new("已登记并确认。请把回执号交给租户：{0}", "Registered and confirmed. Give the tenant this receipt number: {0}");
    public static readonly Bilingual EnterHint = new("为没有智能手机的租户（如老人）登记。由您登记的记录直接生效（已确认）。",
        "For tenants without a smartphone, such as elderly people. What you enter is confirmed at once.");
    public static readonly Bilingual ChooseBuilding = new("请选择楼栋", "Choose the building");
    public static readonly Bilingual TenantConsent = new("租户已知悉并同意：公安机关为办理居住登记收集其姓名、身份证号码、手机号码和居住地址。",
        "The tenant knows and agrees that the police collect their name, ID number, phone and address for the residence registration.");
    public static readonly Bilingual Save = new("保存", "Save");
    public static readonly Bilingual Retire = new("停用房间", "Retire the room");
    public static readonly Bilingual AddRoom = new("新增房间", "Add a room");
    public static readonly Bilingual RoomNumber = new("房间号", "Room number");
    public static readonly Bilingual RoomSaved = new("房间已保存。", "Room saved.");
    public static readonly Bilingual RoomAdded = new("房间已新增。", "Room added.");
    public static readonly Bilingual RoomRetired = new("房间已停用，历史记录保留。", "Room retired; its history is kept.");
    public static readonly Bilingual NoRooms = new("还没有房间。租户可自行填写房间号，也可在此新增房间。",
        "No rooms yet. Tenants can type their room, or add the rooms here.");
    public static readonly Bilingual ConfirmedOvercrowded = new("已确认登记。房间 {0} 现已超员，社区民警会看到。",
        "Registration confirmed. Room {0} now has more occupants than beds; the community police will see it.");
    public static readonly Bilingual FullRoomTitle = new("房间已住满", "This room is full");
    public static readonly Bilingual FullRoomQuestion = new("房间 {0} 有 {1} 个床位、已住 {2} 人。仍要确认{3}入住吗？",
        "Room {0} has {1} bed(s) and {2} occupant(s). Confirm {3} anyway?");
    public static readonly Bilingual FullRoomConsequence = new("确认后该房间超员，社区民警会在工作队列中看到。",
        "The room will then have more occupants than beds, and the community police will see it in their queue.");
    public static readonly Bilingual ConfirmAnyway = new("仍然确认", "Confirm anyway");
    public static readonly Bilingual Cancel = new("取消", "Cancel");
    public static readonly Bilingual Full = new("已满", "full");
    public static readonly Bilingual Overcrowded = new("超员", "overcrowded");
    public static readonly Bilingual PendingCount = new("待确认", "Pending");
    public static readonly Bilingual ConfirmedCount = new("在住", "Living here");
    public static readonly Bilingual BuildingsCount = new("楼栋", "Buildings");
    public static readonly Bilingual ByBuilding = new("按楼栋查看", "By building");
    public static readonly Bilingual AllBuildings = new("全部楼栋", "All buildings");
    public static readonly Bilingual AllRooms = new("全部房间", "All rooms");
    public static readonly Bilingual AllStatuses = new("待确认和在住", "Pending and current");
    public static readonly Bilingual PendingStatus = new("待确认", "Pending");
    public static readonly Bilingual ConfirmedStatus = new("已确认在住", "Confirmed, living here");
    public static readonly Bilingual SearchName = new("姓名", "Name");
    public static readonly Bilingual SearchHint = new("姓名中的字，如“王”", "Part of a name");
    public static readonly Bilingual Filter = new("筛选", "Filter");
    public static readonly Bilingual ClearFilter = new("清除筛选", "Clear");
    public static readonly Bilingual Found = new("共 {0} 条", "{0} found");
    public static readonly Bilingual NothingMatches = new("没有符合条件的登记。", "Nothing matches.");
    public static readonly Bilingual PageOf = new("第 {0} / {1} 页", "Page {0} of {1}");
    public static readonly Bilingual Previous = new("上一页", "Previous");
    public static readonly Bilingual Next = new("下一页", "Next");
    public static readonly Bilingual Pages = new("分页", "Pages");
    public static readonly Bilingual RoomLoad = new("床位 {0} · 在住 {1}", "{0} bed(s) · {1} living here");
    public static readonly Bilingual Fix = new("请按提示修改。", "Please correct the fields below.");

    // "刚刚提交", "3 小时前提交", "4 天前提交": how long a registration has waited, as a whole phrase
    // (Chinese puts the time before the verb; "已提交 0 小时前" reads as a machine's).
    public static string SubmittedAgo(TimeSpan age, Language language)
    {
        var days = (int)age.TotalDays;
        var hours = (int)age.TotalHours;
        return language == Language.En
            ? hours < 1 ? "Submitted just now" : days < 1 ? $"Submitted {hours} h ago" : $"Submitted {days} {(days == 1 ? "day" : "days")} ago"
            : hours < 1 ? "刚刚提交" : days < 1 ? $"{hours} 小时前提交" : $"{days} 天前提交";
    }

    public static string When(DateTimeOffset at, TimeProvider clock) =>
        TimeZoneInfo.ConvertTime(at, clock.LocalTimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
