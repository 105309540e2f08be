using System.Text;

namespace SmartDoorplate.Analytics.Identity;

public static class TypedText
{
    // What a Chinese input method types in full-width mode (０-９, Ｘ, Ａ-Ｚ, the ideographic space,
    // －) becomes the ASCII it stands for under Unicode compatibility normalisation (NFKC). Digits of
    // other scripts (Arabic-Indic, Devanagari…) stay what they are, so the ASCII-only rules of each
    // document still refuse them.
    public static string Normalize(string input) =>
        input.IsNormalized(NormalizationForm.FormKC) ? input : input.Normalize(NormalizationForm.FormKC);

    // Upper-case ASCII letters and digits only: what stays of a document number once the spaces and
    // dashes people copy from the card are dropped.
    public static string Compact(string input)
    {
        var normalised = Normalize(input);
        var builder = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
        {
            if (char.IsWhiteSpace(c) || c == '-') continue;
            builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }
}
