using System.Text.RegularExpressions;

namespace SmartDoorplate.Analytics.Identity;

// 港澳居民来往内地通行证 (公安部出入境管理局, 2010 number rules): H for Hong Kong residents, M for
// Macao, then the holder's 8-digit lifelong number. Cards issued before the 2013 card printed two
// more digits, the count of re-issues (00 first, then 01…); the lifelong part stays the same
// across re-issues, so it alone identifies the holder and is what is kept.
public static partial class HongKongMacaoTravelPermitNumber
{
    public const int LifelongLength = 9;

    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var value = TypedText.Compact(input);
        return Pattern().IsMatch(value) ? value[..LifelongLength] : null;
    }

    [GeneratedRegex("^[HM][0-9]{8}([0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
