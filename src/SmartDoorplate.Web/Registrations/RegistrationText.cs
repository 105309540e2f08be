using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations;

public static class RegistrationText
{
    public static readonly Bilingual NameRequired = new("请填写姓名", "Enter your name");
    public static readonly Bilingual NameTooLong = new("姓名不能超过 {0} 个字", "The name can have at most {0} characters");
    public static readonly Bilingual NameCharacters = new("姓名只能包含文字、间隔号 · 和空格", "The name may contain only letters, the middle dot · and spaces");
    public static readonly Bilingual IdRequired = new("请填写身份证号码", "Enter your resident ID number");
    public static readonly Bilingual IdWrongLength = new("身份证号码应为 18 位", "A resident ID number has 18 characters");
    public static readonly Bilingual IdCharacters = new("身份证号码只能是数字，最后一位可以是 X", "A resident ID number has digits only, the last may be X");
    public static readonly Bilingual IdRegion = new("身份证号码的地区码不存在", "The region code of this ID number does not exist");
    public static readonly Bilingual IdBirthDate = new("身份证号码中的出生日期不正确", "The birth date in this ID number is not a real date");
    public static readonly Bilingual IdBirthFuture = new("身份证号码中的出生日期在未来", "The birth date in this ID number is in the future");
    public static readonly Bilingual IdCheckDigit = new("身份证号码校验位不对，请核对是否输错", "The check digit does not match: please check for a typo");
    // What is wrong with an ID number, for every place that reads one (the form, the watch-list
    // file); an empty one is said in the words of that place.
    public static Bilingual IdProblem(ResidentIdError error, Bilingual whenEmpty) => error switch
    {
        ResidentIdError.Empty => whenEmpty,
        ResidentIdError.WrongLength => IdWrongLength,
        ResidentIdError.InvalidCharacters => IdCharacters,
        ResidentIdError.UnknownRegion => IdRegion,
        ResidentIdError.BirthDateInFuture => IdBirthFuture,
        ResidentIdError.WrongCheckDigit => IdCheckDigit,
        _ => IdBirthDate,
    };

    public static readonly Bilingual PhoneRequired = new("请填写手机号码", "Enter your mobile number");
    public static readonly Bilingual PhoneInvalid = new("请填写 11 位中国大陆手机号码", "Enter an 11-digit mainland China mobile number");
    public static readonly Bilingual RoomRequired = new("请选择或填写房间号", "Choose or enter your room");
    public static readonly Bilingual RoomUnknown = new("请从本楼的房间列表中选择", "Choose a room from this building's list");
    public static readonly Bilingual RoomTooLong = new("房间号不能超过 20 个字", "The room can have at most 20 characters");
    public static readonly Bilingual MoveInRequired = new("请填写入住日期（年-月-日）", "Enter the move-in date (yyyy-MM-dd)");
    public static readonly Bilingual MoveInTooLate = new("入住日期不能晚于 {0} 天后", "The move-in date can be at most {0} days from today");
    public static readonly Bilingual MoveInTooEarly = new("入住日期不能早于 1950 年", "The move-in date cannot be before 1950");
    public static readonly Bilingual ReasonInvalid = new("请选择居住事由", "Choose the reason for living here");
    public static readonly Bilingual EmployerTooLong = new("工作单位不能超过 100 个字", "The employer can have at most 100 characters");
    public static readonly Bilingual EmployerCharacters = new("工作单位不能包含 < > 等符号", "The employer cannot contain < or >");
    public static readonly Bilingual ConsentRequired = new("请阅读并同意个人信息处理说明", "Read and accept the personal information notice");
    public static readonly Bilingual PlateUnknown = new("门牌不存在或已更换，请扫描门上的最新二维码", "This doorplate does not exist or was replaced: scan the current QR code on the door");
    public static readonly Bilingual IdempotencyConflict = new("该 Idempotency-Key 已用于另一份登记", "This Idempotency-Key was already used for a different registration");
    public static readonly Bilingual IdempotencyKeyInvalid = new("Idempotency-Key 须为 1–100 个可见字符", "Idempotency-Key must be 1–100 visible characters");
    public static readonly Bilingual TooManyForPlate = new("此门牌的登记过于频繁，请稍后再试", "Too many registrations for this doorplate: please try again later");
    public static readonly Bilingual ValidationTitle = new("登记信息有误，请按提示修改", "Some fields need correcting");
    public static readonly Bilingual ReceiptNotFound = new("回执号或手机号不正确", "Wrong receipt number or phone number");
    // The API's title (its Retry-After says when); the page says the wait in minutes.
    public static readonly Bilingual ReceiptTooManyTries = new("此回执号本小时内错误尝试过多，请稍后再试", "Too many wrong tries for this receipt number this hour: try again later");
    public static readonly Bilingual ReceiptTooManyTriesFor = new("此回执号本小时内错误尝试过多，请 {0} 分钟后再试", "Too many wrong tries for this receipt number this hour: try again in {0} minutes");

    public static readonly Bilingual Superseded = new("已在新住址登记", "Registered at a new address");
    public static readonly Bilingual RejectedBecause = new("未通过原因", "Reason");

    public static readonly IReadOnlyDictionary<RejectionCode, Bilingual> RejectionCodes = new Dictionary<RejectionCode, Bilingual>
    {
        [RejectionCode.NotATenant] = new("非本房屋租户", "Not a tenant of this building"),
        [RejectionCode.WrongRoom] = new("房间号不符", "Wrong room"),
        [RejectionCode.WrongPerson] = new("身份信息与本人不符", "The personal details do not match the tenant"),
        [RejectionCode.WrongMoveInDate] = new("入住日期不符", "Wrong move-in date"),
        [RejectionCode.Duplicate] = new("重复登记", "Registered twice"),
        [RejectionCode.AlreadyLeft] = new("已搬离", "Has already moved out"),
        [RejectionCode.Other] = new("其他原因", "Another reason"),
    };

    public static readonly IReadOnlyDictionary<ResidenceReason, Bilingual> Reasons = new Dictionary<ResidenceReason, Bilingual>
    {
        [ResidenceReason.Work] = new("务工", "Work"),
        [ResidenceReason.Study] = new("就学", "Study"),
        [ResidenceReason.Business] = new("经商", "Business"),
        [ResidenceReason.Family] = new("投亲靠友", "Family"),
        [ResidenceReason.Other] = new("其他", "Other"),
    };

    public static readonly IReadOnlyDictionary<RegistrationStatus, Bilingual> Statuses = new Dictionary<RegistrationStatus, Bilingual>
    {
        [RegistrationStatus.Submitted] = new("已提交，等待房东确认", "Submitted, waiting for the landlord"),
        [RegistrationStatus.Confirmed] = new("房东已确认", "Confirmed by the landlord"),
        [RegistrationStatus.Verified] = new("民警已核验", "Verified by the police"),
        [RegistrationStatus.Rejected] = new("未通过", "Rejected"),
        [RegistrationStatus.Ended] = new("已退租", "Moved out"),
    };
}
