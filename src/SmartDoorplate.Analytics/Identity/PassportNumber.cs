using System.Text.RegularExpressions;

namespace SmartDoorplate.Analytics.Identity;

// A foreign passport's number: ICAO 9303 gives it 9 characters in the machine-readable zone (longer
// numbers spill into the optional data), and issuers use letters and digits only. 5 to 20 of them
// covers every issuer's form while refusing what cannot be a passport number.
public static partial class PassportNumber
{
    public const int MinLength = 5;
    public const int MaxLength = 20;

    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var value = TypedText.Compact(input);
        return Pattern().IsMatch(value) ? value : null;
    }

    [GeneratedRegex("^[A-Z0-9]{5,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
