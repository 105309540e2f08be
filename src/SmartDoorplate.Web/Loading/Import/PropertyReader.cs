using System.Globalization;
using System.Text.RegularExpressions;
using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

// Reads typed properties of one feature; every missing or malformed value becomes a problem
// sentence naming the property, so that all of a feature's problems are reported at once.
public sealed partial class PropertyReader(FeatureProperties properties, List<string> problems)
{
    public string? RequiredText(string name, int maxLength) => Text(name, maxLength, required: true);

    public string? OptionalText(string name, int maxLength) => Text(name, maxLength, required: false);

    public string? Digits(string name, int length, bool required)
    {
        var text = Text(name, length, required);
        if (text is null) return null;
        if (text.Length == length && AsciiDigits().IsMatch(text)) return text;
        problems.Add($"'{properties.SourceName(name)}' must be {length} digits, not '{text}'");
        return null;
    }

    public int? RequiredInteger(string name, int min, int max)
    {
        var value = properties[name];
        if (value is null) return Missing<int>(name);
        long? number = value switch
        {
            long l => l,
            double d when double.IsInteger(d) && Math.Abs(d) < int.MaxValue => (long)d,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (number is null || number < min || number > max)
        {
            problems.Add($"'{properties.SourceName(name)}' must be a whole number from {min} to {max}, not '{Show(value)}'");
            return null;
        }

        return (int)number;
    }

    public double? OptionalNumber(string name)
    {
        var value = properties[name];
        switch (value)
        {
            case null:
                return null;
            case long l:
                return l;
            case double d when double.IsFinite(d):
                return d;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                return parsed;
            default:
                problems.Add($"'{properties.SourceName(name)}' must be a number, not '{Show(value)}'");
                return null;
        }
    }

    // The code (burglary), or where the code list has Chinese names, the name (入室盗窃) as a clerk types it.
    public TEnum? RequiredCode<TEnum>(string name, IReadOnlyDictionary<TEnum, string>? chineseNames = null) where TEnum : struct, Enum
    {
        var text = Text(name, 40, required: true);
        if (text is null) return null;
        if (SnakeCaseEnum.TryParse<TEnum>(text, out var value) && SnakeCaseEnum.ToCode(value) == text) return value;
        if (chineseNames is not null)
        {
            foreach (var (code, chinese) in chineseNames)
            {
                if (chinese == text) return code;
            }
        }
        var choices = string.Join("|", SnakeCaseEnum.Codes<TEnum>());
        if (chineseNames is not null) choices += " or " + string.Join("|", chineseNames.Values);
        problems.Add($"'{properties.SourceName(name)}' is '{text}', not one of {choices}");
        return null;
    }

    // An instant needs its UTC offset: "2026-03-01 21:30" alone could be Beijing time or UTC.
    public DateTimeOffset? RequiredInstant(string name)
    {
        var value = properties[name];
        switch (value)
        {
            case null:
                return Missing<DateTimeOffset>(name);
            case string s when DateTimeOffset.TryParseExact(s, IsoInstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                return parsed;
            default:
                problems.Add($"'{properties.SourceName(name)}' must be an ISO 8601 date and time with its UTC offset (e.g. 2026-03-01T21:30:00+08:00), not '{Show(value)}'");
                return null;
        }
    }

    private static readonly string[] IsoInstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        // Spreadsheets write a space for the T.
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz",
    ];

    private string? Text(string name, int maxLength, bool required)
    {
        var value = properties[name];
        var text = value switch
        {
            null => null,
            string s => s,
            // Codes such as 520103 are often typed as numbers by spreadsheets and GIS tools.
            long l => l.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is null)
        {
            if (value is not null) problems.Add($"'{properties.SourceName(name)}' must be text, not '{Show(value)}'");
            else if (required) problems.Add($"'{properties.SourceName(name)}' is missing");
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.Add($"'{properties.SourceName(name)}' is longer than {maxLength} characters");
            return null;
        }

        return text;
    }

    private T? Missing<T>(string name) where T : struct
    {
        problems.Add($"'{properties.SourceName(name)}' is missing");
        return null;
    }

    private static string Show(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    [GeneratedRegex("^[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AsciiDigits();
}
