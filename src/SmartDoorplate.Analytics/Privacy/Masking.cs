using System.Globalization;
using System.Text;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Privacy;

/// <summary>
/// The one masking policy for personal information (ID numbers, phones, names), following the
/// de-identification examples of GB/T 35273 (Information security technology — Personal information
/// security specification). Every method fails closed: input it does not recognise is masked
/// completely rather than shown. Every answer, page, export and tile that shows a person uses these
/// methods and shows nothing else about the ID number.
/// </summary>
/// <remarks>
/// A mask only protects what no other field gives back. An ID number is region (6 digits: province,
/// prefecture, county), birth date (8), sequence (3, its last one odd for men) and a check digit. The
/// mask shows the first four and the last four, so what it hides is exactly the county (2 digits) and
/// the birth date; beside it, the birth date and the six-digit origin region would give back the whole
/// number, and the check digit would confirm it. So beside a masked number an answer may show only:
/// the origin down to the prefecture (<see cref="OriginPrefecture"/>, the digits the mask shows
/// anyway), the age band of the residents' statistics (<see cref="AgeBandOf"/>: at least twelve birth
/// years), and the sex (the mask's 17th digit shows it already). Never the birth date, the birth year,
/// the exact age or the county. That leaves at least about 12 × 365 birth dates times the counties of
/// the prefecture, less the one in eleven the check digit keeps: thousands of numbers, which only the
/// audited reveal narrows to one. The phone mask hides four digits (10,000 numbers) and no answer
/// shows any of them in another form.
/// </remarks>
public static class Masking
{
    public const char MaskCharacter = '*';

    private const int ResidentIdKeptPrefix = 4;
    private const int ResidentIdKeptSuffix = 4;
    private const int PhoneKeptPrefix = 3;
    private const int PhoneKeptSuffix = 4;

    // A mobile number hides exactly four digits; anything shorter than that reveals too much.
    private const int MinimumHidden = 4;

    /// <summary>"5201**********123X": province and prefecture stay visible so officers can see
    /// where the number was issued; birth date and sequence are hidden.</summary>
    public static string MaskResidentId(string? residentId)
    {
        var value = residentId?.Trim() ?? string.Empty;
        return KeepEnds(value, ResidentIdKeptPrefix, ResidentIdKeptSuffix);
    }

    /// <summary>"138****5678" for any accepted writing of a mainland mobile number.</summary>
    public static string MaskMobilePhone(string? phone)
    {
        var validation = MobilePhone.Validate(phone);
        if (!validation.IsValid)
        {
            // Unknown formats might put the digits anywhere, so there is no safe part to show.
            return new string(MaskCharacter, phone?.Trim().Length ?? 0);
        }

        return KeepEnds(validation.Number, PhoneKeptPrefix, PhoneKeptSuffix);
    }

    /// <summary>"张*", "欧阳**": only the first character is kept. Compound surnames are not
    /// detected, because guessing wrong would reveal a given name.</summary>
    public static string MaskChineseName(string? name)
    {
        var value = name?.Trim() ?? string.Empty;

        // Rare name characters (CJK Extension B and later) are surrogate pairs; counting text
        // elements keeps them whole instead of leaving half a character visible.
        var characters = new StringInfo(value);
        var count = characters.LengthInTextElements;
        if (count <= 1)
        {
            // A single character is the whole name; showing it would mask nothing.
            return new string(MaskCharacter, count);
        }

        return new StringBuilder()
            .Append(characters.SubstringByTextElements(0, 1))
            .Append(MaskCharacter, count - 1)
            .ToString();
    }

    /// <summary>The origin region code cut to the digits the ID mask shows ("520102" → "5201").</summary>
    public static string OriginPrefecture(string? regionCode)
    {
        var value = regionCode?.Trim() ?? string.Empty;
        return value.Length >= ResidentIdKeptPrefix ? value[..ResidentIdKeptPrefix] : new string(MaskCharacter, value.Length);
    }

    /// <summary>The key of the statistics' age band ("30-44") holding the age on <paramref name="today"/>:
    /// what a masked view shows instead of a birth date.</summary>
    public static string AgeBandOf(DateOnly birthDate, DateOnly today) =>
        AgeBands.Standard[AgeBands.IndexOfAge(Math.Max(0, ResidentIdNumber.CompletedYears(birthDate, today)))].Key;

    private static string KeepEnds(string value, int keptPrefix, int keptSuffix)
    {
        if (value.Length - keptPrefix - keptSuffix < MinimumHidden)
        {
            return new string(MaskCharacter, value.Length);
        }

        return string.Concat(
            value.AsSpan(0, keptPrefix),
            new string(MaskCharacter, value.Length - keptPrefix - keptSuffix),
            value.AsSpan(value.Length - keptSuffix));
    }
}
