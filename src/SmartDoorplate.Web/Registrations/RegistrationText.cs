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

    public static readonly Bilingual DocumentTypeInvalid = new("请选择证件类型", "Choose the type of your document");
    public static readonly Bilingual SexRequired = new("请选择性别", "Choose your sex as on the document");
    public static readonly Bilingual BirthDateRequired = new("请填写证件上的出生日期（年-月-日）", "Enter the birth date on your document (yyyy-MM-dd)");

    // The documents, in the order the form offers them.
    public static readonly IReadOnlyDictionary<DocumentType, Bilingual> DocumentTypes = new Dictionary<DocumentType, Bilingual>
    {
        [DocumentType.ResidentId] = new("居民身份证", "PRC resident ID card"),
        [DocumentType.ResidencePermit] = new("港澳台居民居住证", "Residence permit for Hong Kong, Macao or Taiwan residents"),
        [DocumentType.HongKongMacaoTravelPermit] = new("港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents"),
        [DocumentType.TaiwanTravelPermit] = new("台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"),
        [DocumentType.ForeignPassport] = new("外国护照", "Foreign passport"),
        [DocumentType.ForeignPermanentResidentId] = new("外国人永久居留身份证", "Foreign permanent resident ID card"),
    };

    private static readonly IReadOnlyDictionary<DocumentType, Bilingual> DocumentFormats = new Dictionary<DocumentType, Bilingual>
    {
        [DocumentType.ResidencePermit] = new("居住证号码为 18 位，以 810000、820000 或 830000 开头", "A residence permit number has 18 characters and begins 810000, 820000 or 830000"),
        [DocumentType.HongKongMacaoTravelPermit] = new("通行证号码为 H 或 M 加 8 位数字（旧证另有 2 位换证次数）", "The permit number is H or M and 8 digits (older cards add 2 more)"),
        [DocumentType.TaiwanTravelPermit] = new("台胞证号码为 8 位数字", "The permit number has 8 digits"),
        [DocumentType.ForeignPassport] = new("护照号码为 5–20 位字母或数字", "A passport number has 5–20 letters or digits"),
        [DocumentType.ForeignPermanentResidentId] = new("永居证号码为 9 开头的 18 位，或 3 个字母加 12 位数字", "The card number has 18 characters beginning with 9, or 3 letters and 12 digits"),
    };

    public static readonly Bilingual DocumentNumberRequired = new("请填写证件号码", "Enter your document number");
    public static readonly Bilingual NationalityRequired = new("请选择国籍", "Choose your nationality");
    public static readonly Bilingual NationalityMismatch = new("永居证号码开头的国籍代码与所选国籍不一致", "The nationality at the start of the card number is not the one chosen");

    // What is wrong with a document other than the 居民身份证 (that one names its GB 11643 rule).
    public static Bilingual DocumentProblem(DocumentError error, DocumentType type) => error switch
    {
        DocumentError.Empty => DocumentNumberRequired,
        DocumentError.NationalityRequired or DocumentError.NationalityUnknown => NationalityRequired,
        DocumentError.NationalityMismatch => NationalityMismatch,
        DocumentError.WrongCheckDigit => IdCheckDigit,
        DocumentError.InvalidBirthDate => new("证件号码中的出生日期不正确", "The birth date in this document number is not a real date"),
        _ => DocumentFormats.TryGetValue(type, out var format) ? format : IdCharacters,
    };

    public static readonly IReadOnlyDictionary<Sex, Bilingual> Sexes = new Dictionary<Sex, Bilingual>
    {
        [Sex.Male] = new("男", "Male"),
        [Sex.Female] = new("女", "Female"),
    };

    // The same person with an open registration in this building, and the phone given then: their own registration.
    public static readonly Bilingual AlreadyRegistered = new("您已在本楼登记，无需重复登记。以下是您原来的登记。",
        "You are already registered in this building: here is your registration. There is no need to register again.");
    // Receipt recovery on the plate's page: one answer for every miss.
    public static readonly Bilingual RecoveryNotFound = new("未找到与此证件号码和手机号码相符的本楼登记。请核对后重试，或联系房东或社区民警。",
        "No registration in this building matches this document number and phone number. Check them and try again, or ask your landlord or the community police.");
    public static readonly Bilingual RecoveryTooManyTriesFor = new("尝试次数过多，请 {0} 分钟后再试", "Too many tries: try again in {0} minutes");
    public static readonly Bilingual RecoveryTooManyTries = new("尝试次数过多，请稍后再试", "Too many tries: try again later");
    public static readonly Bilingual ForeignerDeadline = new("境外人员须在入住后 24 小时内向公安机关登记，本登记已送派出所。",
        "Foreigners must be registered with the police within 24 hours of moving in: this registration has been sent to the police station.");

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
