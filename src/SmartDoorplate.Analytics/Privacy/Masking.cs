using System.Globalization;
using System.Text;
using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Analytics.Privacy;

/// <summary>
/// Display masks for personal information, following the de-identification examples of
/// GB/T 35273 (Information security technology — Personal information security specification).
/// Every method fails closed: input it does not recognise is masked completely rather than shown.
/// </summary>
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
