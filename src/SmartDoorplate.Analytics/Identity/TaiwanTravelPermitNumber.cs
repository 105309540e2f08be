using System.Text.RegularExpressions;

namespace SmartDoorplate.Analytics.Identity;

// 台湾居民来往大陆通行证 (card issued since 2015): the holder's 8-digit lifelong number, which stays
// the same when the card is renewed.
public static partial class TaiwanTravelPermitNumber
{
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var value = TypedText.Compact(input);
        return Pattern().IsMatch(value) ? value : null;
    }

    [GeneratedRegex("^[0-9]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
