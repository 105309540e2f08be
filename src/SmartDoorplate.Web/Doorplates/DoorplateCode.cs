using System.Security.Cryptography;

namespace SmartDoorplate.Doorplates;

// Public plate codes: 80 random bits in Crockford base32 (no I, L, O, U), so codes can't be guessed
// or enumerated from a neighbour's plate, and survive being read aloud or typed from a photo.
public static class DoorplateCode
{
    public const int RandomBits = 80;
    public const int Length = RandomBits / 5;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public const int RandomBytes = RandomBits / 8;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        return From(bytes);
    }

    // Codes for many plates at once (an import of a city's buildings): one call to the system's
    // random source instead of one per plate.
    public static string[] New(int count)
    {
        var bytes = new byte[count * RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        var codes = new string[count];
        for (var i = 0; i < count; i++) codes[i] = From(bytes.AsSpan(i * RandomBytes, RandomBytes));
        return codes;
    }

    private static string From(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[Length];
        var bitBuffer = 0;
        var bitCount = 0;
        var next = 0;
        foreach (var b in bytes)
        {
            bitBuffer = (bitBuffer << 8) | b;
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                chars[next++] = Alphabet[(bitBuffer >> bitCount) & 31];
            }
        }
        return new string(chars);
    }

    // Accepts what people type: lower case, and the letters Crockford maps to digits.
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var trimmed = input.Trim().ToUpperInvariant().Replace("-", "");
        if (trimmed.Length != Length) return null;
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            var c = trimmed[i] switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (!Alphabet.Contains(c)) return null;
            chars[i] = c;
        }
        return new string(chars);
    }
}
