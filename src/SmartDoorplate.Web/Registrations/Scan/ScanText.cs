using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations.Scan;

public static class ScanText
{
    public static readonly Bilingual Title = new("智慧门牌", "Smart doorplate");
    public static readonly Bilingual Register = new("我要登记", "Register my residence");
    public static readonly Bilingual MoveOut = new("我要退租", "I am moving out");
    public static readonly Bilingual Tip = new("线索举报", "Report a clue to the police");
    public static readonly Bilingual Police = new("社区民警", "Community police");
    public static readonly Bilingual Hotline = new("派出所电话", "Station hotline");
    public static readonly Bilingual Replaced = new("此门牌已更换，请扫描门上的新二维码。如门上仍是此牌，请联系派出所。",
        "This doorplate has been replaced: scan the new QR code on the door. If this old plate is still on the door, call the station.");
    public static readonly Bilingual NotFound = new("未找到此门牌。请确认二维码完整，或联系派出所。", "This doorplate was not found. Check the QR code or call the station.");
    public static readonly Bilingual BuildingCode = new("楼栋编号", "Building");
    public static readonly Bilingual FormTitle = new("流动人口居住登记", "Residence registration");
    public static readonly Bilingual FormHint = new("约 1 分钟。提交后房东确认，您可随时用回执号和手机号查看进度。",
        "About a minute. Your landlord confirms it; check progress any time with your receipt number and phone.");
    public static readonly Bilingual Name = new("姓名", "Name");
    public static readonly Bilingual IdNumber = new("证件号码", "Document number");
    public static readonly Bilingual DocumentType = new("证件类型", "Identity document");
    public static readonly Bilingual Nationality = new("国籍", "Nationality");
    public static readonly Bilingual ChooseNationality = new("请选择国籍", "Choose your nationality");
    public static readonly Bilingual Sex = new("性别（居民身份证、居住证以外的证件填写）", "Sex (for documents other than an ID card or residence permit)");
    public static readonly Bilingual ChooseSex = new("请选择", "Choose");
    public static readonly Bilingual BirthDate = new("出生日期", "Date of birth");
    public static readonly Bilingual LostReceipt = new("找回回执", "Lost your receipt?");
    public static readonly Bilingual RecoverTitle = new("找回登记回执", "Find your registration receipt");
    public static readonly Bilingual RecoverHint = new("填写登记时所用的证件号码和手机号码。", "Enter the document number and mobile number you registered with.");
    public static readonly Bilingual RecoverButton = new("找回", "Find my receipt");
    public static readonly Bilingual AlreadyRegistered = new("您已在本楼登记过，这是您原来的登记，无需重复登记。", "You are already registered in this building: this is your registration, there is no need to register again.");
    public static readonly Bilingual Recovered = new("已找回您的登记，请保存回执号。", "Your registration was found: keep the receipt number.");
    public static readonly Bilingual ForeignerDeadline = new("须在入住后 24 小时内向公安机关登记，截止：", "To be registered with the police within 24 hours of moving in, by: ");
    public static readonly Bilingual Phone = new("手机号码", "Mobile number");
    public static readonly Bilingual Room = new("房间号", "Room");
    public static readonly Bilingual ChooseRoom = new("请选择房间", "Choose a room");
    public static readonly Bilingual MoveInDate = new("入住日期", "Move-in date");
    public static readonly Bilingual Reason = new("居住事由", "Reason");
    public static readonly Bilingual Employer = new("工作单位（选填）", "Employer (optional)");
    public static readonly Bilingual Consent = new("我已阅读并同意：为办理居住登记，公安机关依法收集我的姓名、身份证号码、手机号码和居住地址，仅用于流动人口服务管理，加密保存，查看均留痕，退租 3 年后匿名化。",
        "I have read and agree: to register my residence the police collect my name, ID number, phone and address, only for residence administration; they are stored encrypted, every view is logged, and they are anonymised 3 years after I move out.");
    public static readonly Bilingual Submit = new("提交登记", "Submit");
    public static readonly Bilingual Fix = new("请按提示修改后重新提交。", "Please correct the fields below and submit again.");
    public static readonly Bilingual ReceiptTitle = new("登记回执", "Registration receipt");
    public static readonly Bilingual ReceiptNumber = new("回执号", "Receipt number");
    public static readonly Bilingual KeepReceipt = new("请截图或记下回执号：凭回执号和手机号可查看进度、办理退租。",
        "Keep this receipt number (take a screenshot): with your phone number it shows your status and lets you move out.");
    public static readonly Bilingual Status = new("状态", "Status");
    public static readonly Bilingual Address = new("地址", "Address");
    public static readonly Bilingual Late = new("逾期登记（入住 3 天后）", "Registered late (more than 3 days after moving in)");
    public static readonly Bilingual Lookup = new("查看登记", "Look up my registration");
    public static readonly Bilingual LookupButton = new("查看", "Look up");
    public static readonly Bilingual MoveOutDate = new("退租日期", "Move-out date");
    public static readonly Bilingual MoveOutButton = new("确认退租", "Confirm move-out");
    public static readonly Bilingual TipText = new("线索内容（请勿填写本人信息）", "Your clue (no personal details needed)");
    public static readonly Bilingual TipSend = new("匿名发送给派出所", "Send anonymously to the station");
    public static readonly Bilingual TipThanks = new("已收到，谢谢您的线索。紧急情况请拨打 110。", "Received, thank you. In an emergency call 110.");
    public static readonly Bilingual TipRequired = new("请填写 5–1000 字的线索内容", "Write a clue of 5–1000 characters");
    public static readonly Bilingual Emergency = new("紧急情况请拨打 110", "Emergency: call 110");
    public static readonly Bilingual English = new("English", "中文");
}
