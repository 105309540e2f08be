using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SmartDoorplate.Privacy;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    // Base64 AES-256 keys by id (1..255). New values are encrypted with ActiveKeyId; old keys stay
    // listed until `rotate` has re-encrypted their rows, so a key can be rotated without downtime.
    public Dictionary<string, string> EncryptionKeys { get; set; } = [];
    public string ActiveKeyId { get; set; } = "";
    // Base64 key of the HMAC-SHA256 blind index. Changing it means re-indexing every row.
    public string BlindIndexKey { get; set; } = "";
}

// PIPL Art. 28/51: ID numbers and phones are sensitive personal information. They are stored as
// AES-256-GCM ciphertext (key id ‖ nonce ‖ tag ‖ ciphertext) plus a keyed HMAC for exact matches
// (duplicate person, watch list, receipt + phone), so the database never holds the clear value.
public sealed class PersonalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<byte, byte[]> keys;
    private readonly byte activeKeyId;
    private readonly byte[] blindIndexKey;

    public PersonalDataProtector(IOptions<PrivacyOptions> options)
    {
        var o = options.Value;
        keys = o.EncryptionKeys.ToDictionary(k => ParseKeyId(k.Key), k => DecodeKey(k.Value, $"Privacy:EncryptionKeys:{k.Key}"));
        if (keys.Count == 0) throw new InvalidOperationException("Privacy:EncryptionKeys is empty: configure at least one AES-256 key.");
        activeKeyId = ParseKeyId(o.ActiveKeyId);
        if (!keys.ContainsKey(activeKeyId)) throw new InvalidOperationException($"Privacy:ActiveKeyId {o.ActiveKeyId} is not among Privacy:EncryptionKeys.");
        blindIndexKey = DecodeKey(o.BlindIndexKey, "Privacy:BlindIndexKey");
    }

    public byte ActiveKeyId => activeKeyId;

    public byte[] Encrypt(string clearText)
    {
        var plain = Encoding.UTF8.GetBytes(clearText);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = activeKeyId;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[activeKeyId], TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize));
        return output;
    }

    public string Decrypt(byte[] cipher)
    {
        if (cipher.Length < 1 + NonceSize + TagSize) throw new CryptographicException("Ciphertext is too short.");
        if (!keys.TryGetValue(cipher[0], out var key)) throw new CryptographicException($"Key {cipher[0]} is not configured.");
        var plain = new byte[cipher.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(cipher.AsSpan(1, NonceSize), cipher.AsSpan(1 + NonceSize + TagSize), cipher.AsSpan(1 + NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public bool NeedsReencryption(byte[] cipher) => cipher.Length > 0 && cipher[0] != activeKeyId;

    // Callers pass the normalised value (upper-case X, phone without +86) so equal values match.
    public byte[] BlindIndex(string normalisedValue) =>
        HMACSHA256.HashData(blindIndexKey, Encoding.UTF8.GetBytes(normalisedValue));

    private static byte ParseKeyId(string id) =>
        byte.TryParse(id, out var b) && b > 0 ? b : throw new InvalidOperationException($"Privacy key id '{id}' must be a number from 1 to 255.");

    private static byte[] DecodeKey(string base64, string name)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new InvalidOperationException($"{name} is not base64."); }
        return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be 32 bytes (AES-256 / HMAC-SHA256).");
    }
}

public static class PrivacyServices
{
    public static IServiceCollection AddPersonalDataProtection(this IServiceCollection services)
    {
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section);
        services.AddSingleton<PersonalDataProtector>();
        return services;
    }
}
