using System.Security.Cryptography;

namespace SmartDoorplate.Registrations;

// The receipt a tenant keeps after registering, e.g. "7KQ2-M9XD-4TRB". With the phone number it is
// the only key to an anonymous status look-up, so it is random (60 bits: guessing one valid pair
// is hopeless) rather than sequential. Crockford base32 has no I, L, O or U, so it survives being
// read aloud, handwritten or typed from a photo; the dashes are for reading and are optional.
public static class RegistrationReceipt
{
    public const int Length = 12;
    private const int GroupLength = 4;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[bytes[i] & 31];
        return new string(chars);
    }

    public static string Format(string receipt) =>
        receipt.Length == Length ? string.Join('-', receipt.Chunk(GroupLength).Select(c => new string(c))) : receipt;

    // Accepts what people type: lower case, spaces or dashes, and the letters Crockford reads as digits.
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        Span<char> chars = stackalloc char[Length];
        var count = 0;
        foreach (var raw in input)
        {
            if (raw is '-' or ' ') continue;
            var c = char.ToUpperInvariant(raw) switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (count == Length || !Alphabet.Contains(c)) return null;
            chars[count++] = c;
        }

        return count == Length ? new string(chars) : null;
    }
}
