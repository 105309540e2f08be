using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Queue;

public static class PoliceQueueText
{
    public static readonly Bilingual TypeUnknown = new("待办类别不存在，可用：{0}", "Unknown queue kind; kinds: {0}");
    public static readonly Bilingual PageInvalid = new("页码须为从 1 起的整数", "page must be a whole number from 1");
    public static readonly Bilingual PageSizeInvalid = new("每页条数须为 1–{0}", "pageSize must be 1–{0}");
}
