using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace SmartDoorplate.Analytics.Identity;

public enum MobilePhoneError
{
    Empty,
    NotAMainlandMobileNumber,
}

/// <summary>Either the 11-digit normalised mainland China mobile number or why the input is not one.</summary>
public sealed record MobilePhoneValidation
{
    private MobilePhoneValidation(string? number, MobilePhoneError? error)
    {
        Number = number;
        Error = error;
    }

    public string? Number { get; }

    public MobilePhoneError? Error { get; }

    [MemberNotNullWhen(true, nameof(Number))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Number is not null;

    internal static MobilePhoneValidation Valid(string number) => new(number, null);

    internal static MobilePhoneValidation Invalid(MobilePhoneError error) => new(null, error);
}

public static partial class MobilePhone
{
    private const int NationalLength = 11;

    public static MobilePhoneValidation Validate(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return MobilePhoneValidation.Invalid(MobilePhoneError.Empty);
        }

        var number = StripCountryCode(RemoveSeparators(TypedText.Normalize(input)));
        return MainlandMobilePattern().IsMatch(number)
            ? MobilePhoneValidation.Valid(number)
            : MobilePhoneValidation.Invalid(MobilePhoneError.NotAMainlandMobileNumber);
    }

    // Residents write numbers the way they are printed on cards and forms: "138 1234 5678",
    // "138-1234-5678", "(+86) 13812345678".
    private static string RemoveSeparators(string input)
    {
        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (!char.IsWhiteSpace(c) && c is not ('-' or '(' or ')'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // The prefix is only dropped when exactly a national number follows, so that an 11-digit
    // national number starting with 86 is never truncated.
    private static string StripCountryCode(string number)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["+86", "0086", "86"])
        {
            if (number.Length == prefix.Length + NationalLength && number.StartsWith(prefix, StringComparison.Ordinal))
            {
                return number[prefix.Length..];
            }
        }

        return number;
    }

    // [0-9] rather than \d, which would also accept full-width and other Unicode digits.
    [GeneratedRegex("^1[3-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex MainlandMobilePattern();
}
