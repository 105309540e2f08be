using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public static class OccupancyText
{
    public static readonly Bilingual RegistrationNotFound = new("登记不存在或不在您的管辖范围内", "No such registration in your scope");
    public static readonly Bilingual BuildingRequired = new("请选择楼栋", "Choose the building");
    public static readonly Bilingual BuildingNotFound = new("楼栋不存在或不属于您", "No such building in your scope");
    public static readonly Bilingual RoomNotFound = new("房间不存在或不属于您", "No such room in your scope");
    public static readonly Bilingual Stale = new("此记录已被他人修改，请刷新后重试", "Someone else changed this record: reload it and try again");
    public static readonly Bilingual VersionRequired = new("请提供所编辑的版本（If-Match 或 version），以免覆盖他人的修改",
        "Send the version you edited (If-Match or version) so that no one else's change is overwritten");
    public static readonly Bilingual VersionMalformed = new("版本号无效：If-Match 须为本系统给出的 ETag，且与 version 一致",
        "Invalid version: If-Match must be an ETag given by this server and agree with version");
    public static readonly Bilingual ValidationTitle = new("填写有误，请按提示修改", "Some fields need correcting");

    public static Bilingual OnlySubmittedCanBeConfirmed(RegistrationStatus current) => WithStatus(
        new("只有待确认的登记可以确认", "Only a submitted registration can be confirmed"), current);
    public static Bilingual OnlySubmittedCanBeRejected(RegistrationStatus current) => WithStatus(
        new("只有待确认的登记可以拒绝", "Only a submitted registration can be rejected"), current);
    public static Bilingual OnlyConfirmedCanBeVerified(RegistrationStatus current) => WithStatus(
        new("只有房东已确认的登记可以核验", "Only a confirmed registration can be verified"), current);
    public static Bilingual OnlyOpenCanMoveOut(RegistrationStatus current) => WithStatus(
        new("此登记已结束，不能再登记退租", "This registration has ended: there is no move-out to record"), current);

    public static readonly Bilingual RejectionReasonRequired = new("请从列表中选择拒绝原因", "Choose a reason for the rejection from the list");
    public static readonly Bilingual RejectionExplain = new("选择“其他原因”时请写明原因", "Explain the other reason");
    public static readonly Bilingual RejectionTextTooLong = new("说明不能超过 {0} 个字", "The explanation can have at most {0} characters");
    public static readonly Bilingual RejectionTextCharacters = new("说明不能包含 < > 等符号", "The explanation cannot contain < or >");

    public static readonly Bilingual RoomFloor = new("楼层须为 {0} 到 {1} 之间的整数", "The floor must be a whole number from {0} to {1}");
    public static readonly Bilingual RoomNumberRequired = new("请填写房间号", "Enter the room number");
    public static readonly Bilingual RoomNumberTooLong = new("房间号不能超过 {0} 个字", "The room number can have at most {0} characters");
    public static readonly Bilingual RoomNumberCharacters = new("房间号不能包含 < > 等符号", "The room number cannot contain < or >");
    public static readonly Bilingual RoomNumberTaken = new("本楼已有此房间号", "This building already has a room with this number");
    public static readonly Bilingual RoomArea = new("面积须为大于 0、不超过 {0} 的平方米数（最多一位小数）",
        "The area must be square metres above 0 and at most {0}, with at most one decimal");
    public static readonly Bilingual RoomBeds = new("床位须为 {0} 到 {1} 之间的整数", "Beds must be a whole number from {0} to {1}");
    public static readonly Bilingual RoomRetired = new("此房间已停用，不能再修改", "This room is retired and can no longer be changed");
    public static readonly Bilingual RoomOccupied = new("此房间仍有在住租户，请先登记他们退租", "Tenants still live in this room: record their move-out first");

    public static readonly IReadOnlyList<Bilingual> ExportColumns =
    [
        new("楼栋编号", "Building"), new("地址", "Address"), new("房间", "Room"), new("姓名", "Name"), new("身份证号码", "ID number"),
        new("手机号码", "Phone"), new("入住日期", "Move-in date"), new("居住事由", "Reason"), new("状态", "Status"),
    ];
    public static readonly Bilingual ExportSheetName = new("在住租户", "Current tenants");

    private static Bilingual WithStatus(Bilingual message, RegistrationStatus current)
    {
        var status = RegistrationText.Statuses[current];
        return new($"{message.Zh}（当前：{status.Zh}）", $"{message.En} (it is: {status.En})");
    }
}
