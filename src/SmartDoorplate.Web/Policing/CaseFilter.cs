using System.Globalization;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing;

// ?from=yyyy-MM-dd&to=yyyy-MM-dd&types=theft,burglary of the case list and the cases tile layer.
// Dates are days in Guiyang (UTC+8), both inclusive; no bound means no limit on that side.
public sealed record CaseFilter(DateTimeOffset From, DateTimeOffset ToExclusive, string[] Types)
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static readonly CaseFilter All = new(DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), []);

    public static readonly IReadOnlyList<string> TypeCodes = Enum.GetValues<CaseType>().Select(SnakeCaseEnum.ToCode).ToArray();

    public static CaseFilter? Parse(string? from, string? to, string? types, Dictionary<string, string[]> errors)
    {
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate is { } f && toDate is { } t && f > t) errors["to"] = [CasesText.DateOrder.ToString()];

        var typeList = (types ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = typeList.Where(code => !TypeCodes.Contains(code)).ToArray();
        if (unknown.Length > 0) errors["types"] = [CasesText.CaseTypeUnknown.Format(string.Join(",", unknown), string.Join(",", TypeCodes)).ToString()];
        if (errors.Count > 0) return null;

        return new CaseFilter(
            fromDate is { } start ? new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), ChinaOffset) : All.From,
            toDate is { } end ? new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset) : All.ToExclusive,
            typeList.Distinct().ToArray());
    }

    private static DateOnly? ParseDate(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors[field] = [CasesText.DateFormat.ToString()];
        return null;
    }
}
