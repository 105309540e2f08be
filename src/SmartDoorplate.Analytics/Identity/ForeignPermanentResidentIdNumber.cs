using System.Globalization;
using System.Text.RegularExpressions;

namespace SmartDoorplate.Analytics.Identity;

// 外国人永久居留身份证. Two numbers are in use side by side:
// - since 1 December 2023 (国家移民管理局《新版外国人永久居留身份证机读信息规则》): 18 characters like a
//   citizen number (GB 11643): "9" (a foreigner; citizens' numbers begin 1-8), 2 digits of the
//   issuing province, 3 digits of the nationality (numeric code), 8 of the birth date, 3 of sequence,
//   and the MOD 11-2 check character of GB 11643;
// - the 2004 and 2017 cards: 15 characters, the nationality as 3 Latin letters (ISO 3166-1 alpha-3),
//   then 12 digits: 4 of the issuing office, the birth date as yyMMdd, 2 more. Their check rule is
//   not published, so only the structure and the date are checked.
public static partial class ForeignPermanentResidentIdNumber
{
    public static (string? Number, string? Alpha3, DocumentError? Error) Validate(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input)) return (null, null, DocumentError.Empty);
        var value = TypedText.Compact(input);
        if (New().IsMatch(value))
        {
            if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
                || born > today || born.Year < 1900)
                return (null, null, DocumentError.InvalidBirthDate);
            return ResidentIdNumber.ComputeCheckDigit(value.AsSpan(0, 17)) == value[17]
                ? (value, null, null)
                : (null, null, DocumentError.WrongCheckDigit);
        }
        if (Old().IsMatch(value))
        {
            if (!Countries.TryGet(value[..3], out _)) return (null, null, DocumentError.NationalityUnknown);
            if (!DateOnly.TryParseExact(value.AsSpan(7, 6), "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return (null, null, DocumentError.InvalidBirthDate);
            return (value, value[..3], null);
        }
        return (null, null, DocumentError.Format);
    }

    [GeneratedRegex("^9[0-9]{16}[0-9X]$", RegexOptions.CultureInvariant)]
    private static partial Regex New();

    [GeneratedRegex("^[A-Z]{3}[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Old();
}
