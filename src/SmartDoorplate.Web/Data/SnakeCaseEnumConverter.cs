using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SmartDoorplate.Data;

// Enums are stored as readable snake_case codes ("rental_house", "police_officer") so that raw SQL,
// CSV exports and the GeoJSON files in gis-data/ all speak the same words.
public sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => SnakeCaseEnum.ToCode(value),
    code => SnakeCaseEnum.Parse<TEnum>(code))
    where TEnum : struct, Enum;

public static class SnakeCaseEnum
{
    public static string ToCode<TEnum>(TEnum value) where TEnum : struct, Enum => ToSnakeCase(value.ToString());

    public static TEnum Parse<TEnum>(string code) where TEnum : struct, Enum =>
        TryParse<TEnum>(code, out var value) ? value : throw new FormatException($"'{code}' is not a {typeof(TEnum).Name} code.");

    public static bool TryParse<TEnum>(string? code, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(code) || code.Any(char.IsDigit)) return false;
        return Enum.TryParse(code.Replace("_", ""), ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static IEnumerable<string> Codes<TEnum>() where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(ToCode);

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
