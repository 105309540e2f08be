using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SmartDoorplate.Analytics.Identity;

public enum Sex
{
    Female,
    Male,
}

public enum ResidentIdError
{
    Empty,
    WrongLength,
    InvalidCharacters,
    UnknownRegion,
    InvalidBirthDate,
    BirthDateInFuture,
    WrongCheckDigit,
}

/// <summary>
/// An 18-character citizen identity number as defined by GB 11643-1999
/// (6-digit address code, 8-digit birth date, 3-digit sequence, 1 check character).
/// Only obtainable through <see cref="Validate"/>, so every instance is valid.
/// </summary>
public sealed record ResidentIdNumber
{
    public const int Length = 18;

    // GB 11643-1999 §8.2: weight of position i (1-based from the left) is 2^(18-i) mod 11.
    private static readonly int[] CheckWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    // Indexed by (Σ weight × digit) mod 11; this is the ISO 7064 MOD 11-2 residue mapped so that
    // the whole 18-character number, with X = 10, satisfies the MOD 11-2 check.
    private const string CheckCharacters = "10X98765432";

    // Birth dates before this are far more likely to be typing errors than real residents, and
    // 18-digit numbers were only issued from 1999 onwards.
    private static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    private readonly Province province;

    private ResidentIdNumber(string value, DateOnly birthDate, Province province)
    {
        Value = value;
        BirthDate = birthDate;
        this.province = province;
    }

    /// <summary>Normalised form: trimmed, upper-case X.</summary>
    public string Value { get; }

    /// <summary>The 6-digit administrative division code (GB/T 2260) where the number was first issued.</summary>
    public string RegionCode => Value[..6];

    public string ProvinceCode => Value[..2];

    public string ProvinceNameChinese => province.ChineseName;

    public string ProvinceNameEnglish => province.EnglishName;

    public DateOnly BirthDate { get; }

    /// <summary>The 3-digit sequence code; its parity encodes sex.</summary>
    public string SequenceCode => Value.Substring(14, 3);

    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Completed years of age; people born on 29 February age on 1 March in common years.</summary>
    public int AgeOn(DateOnly date) => CompletedYears(BirthDate, date);

    /// <summary>Whole years lived from <paramref name="birthDate"/> to <paramref name="date"/>: one more on each birthday.</summary>
    public static int CompletedYears(DateOnly birthDate, DateOnly date)
    {
        var age = date.Year - birthDate.Year;
        var birthdayThisYear = (date.Month, date.Day).CompareTo((birthDate.Month, birthDate.Day)) >= 0;
        return birthdayThisYear ? age : age - 1;
    }

    public override string ToString() => Value;

    public static ResidentIdValidation Validate(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return ResidentIdValidation.Invalid(ResidentIdError.Empty);
        }

        // Full-width digits and Ｘ from a Chinese input method are the same number.
        var value = TypedText.Normalize(input).Trim();
        if (value.Length != Length)
        {
            return ResidentIdValidation.Invalid(ResidentIdError.WrongLength);
        }

        value = value.ToUpperInvariant();
        if (!AreAsciiDigits(value.AsSpan(0, Length - 1)) || !IsCheckCharacter(value[Length - 1]))
        {
            return ResidentIdValidation.Invalid(ResidentIdError.InvalidCharacters);
        }

        if (!Province.TryGet(value[..2], out var province))
        {
            return ResidentIdValidation.Invalid(ResidentIdError.UnknownRegion);
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var birthDate)
            || birthDate < EarliestBirthDate)
        {
            return ResidentIdValidation.Invalid(ResidentIdError.InvalidBirthDate);
        }

        if (birthDate > today)
        {
            return ResidentIdValidation.Invalid(ResidentIdError.BirthDateInFuture);
        }

        if (ComputeCheckDigit(value.AsSpan(0, Length - 1)) != value[Length - 1])
        {
            return ResidentIdValidation.Invalid(ResidentIdError.WrongCheckDigit);
        }

        return ResidentIdValidation.Valid(new ResidentIdNumber(value, birthDate, province));
    }

    public static char ComputeCheckDigit(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1 || !AreAsciiDigits(first17))
        {
            throw new ArgumentException("Exactly 17 ASCII digits are required.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < CheckWeights.Length; i++)
        {
            sum += (first17[i] - '0') * CheckWeights[i];
        }

        return CheckCharacters[sum % 11];
    }

    // char.IsDigit would also accept full-width and other Unicode digits.
    private static bool AreAsciiDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static bool IsCheckCharacter(char c) => char.IsAsciiDigit(c) || c == 'X';
}

/// <summary>Either a parsed <see cref="ResidentIdNumber"/> or the first rule the input broke.</summary>
public sealed record ResidentIdValidation
{
    private ResidentIdValidation(ResidentIdNumber? number, ResidentIdError? error)
    {
        Number = number;
        Error = error;
    }

    public ResidentIdNumber? Number { get; }

    public ResidentIdError? Error { get; }

    [MemberNotNullWhen(true, nameof(Number))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Number is not null;

    internal static ResidentIdValidation Valid(ResidentIdNumber number) => new(number, null);

    internal static ResidentIdValidation Invalid(ResidentIdError error) => new(null, error);
}
