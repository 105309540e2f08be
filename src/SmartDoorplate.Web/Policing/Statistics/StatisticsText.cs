using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Statistics;

public static class StatisticsText
{
    public static readonly Bilingual AreaTitle = new("统计范围无效", "Invalid statistics area");
    public static readonly Bilingual GridOrStation = new("网格 grid 与派出所 station 只能给出一个", "Give either grid or station, not both");
    public static readonly Bilingual NotFound = new("网格或派出所不存在或不在您的辖区", "No such grid or station in your jurisdiction");
    public static readonly Bilingual WholeScope = new("全部辖区", "All areas");
    public static readonly Bilingual UnknownProvince = new("未知", "Unknown");
    // The statistical offices' marker for a confidential cell; see StatisticsCsv.
    public const string Suppressed = "x";

    public static readonly IReadOnlyDictionary<string, Bilingual> Totals = new Dictionary<string, Bilingual>
    {
        ["residents"] = new("在住人口", "Residents"),
        ["floating"] = new("流动人口", "Floating"),
        ["local"] = new("本地人口", "Local"),
        ["pending"] = new("待房东确认", "Awaiting the landlord"),
        ["overdue"] = new("逾期未确认", "Unconfirmed past the deadline"),
        ["registrations"] = new("期间登记", "Registrations in the period"),
        ["late"] = new("期间逾期申报", "Late registrations in the period"),
    };

    public static readonly IReadOnlyDictionary<string, Bilingual> AgeBands = new Dictionary<string, Bilingual>
    {
        ["0-17"] = new("0–17 岁", "0–17"),
        ["18-29"] = new("18–29 岁", "18–29"),
        ["30-44"] = new("30–44 岁", "30–44"),
        ["45-59"] = new("45–59 岁", "45–59"),
        ["60+"] = new("60 岁以上", "60+"),
    };

    public static readonly IReadOnlyDictionary<string, Bilingual> Sexes = new Dictionary<string, Bilingual>
    {
        ["female"] = new("女", "Female"),
        ["male"] = new("男", "Male"),
    };

    public static readonly IReadOnlyDictionary<string, Bilingual> Sections = new Dictionary<string, Bilingual>
    {
        ["parameter"] = new("参数", "Parameter"),
        ["totals"] = new("总数", "Totals"),
        ["origin"] = new("户籍地", "Origin"),
        ["province"] = new("来源省份", "Province of origin"),
        ["age_sex"] = new("年龄与性别", "Age and sex"),
        ["reason"] = new("居住事由", "Reason"),
        ["month"] = new("每月登记", "Registrations per month"),
        ["month_late"] = new("每月逾期申报", "Late registrations per month"),
    };
}
