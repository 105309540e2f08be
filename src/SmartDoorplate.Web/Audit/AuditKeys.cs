using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SmartDoorplate.Audit;

// The audit chain's secrets, from configuration (environment or secret store in Production), never
// from the database: a superuser of the database who cannot read them cannot forge a link or a
// checkpoint.
public sealed class AuditKeyOptions
{
    public const string Section = "Audit";

    // Base64 HMAC-SHA-256 keys (32 bytes) by id (1..32767). New links use ActiveLinkKeyId; old keys
    // stay listed for as long as rows linked with them are to be verified, so a key can be rotated
    // by adding one and switching the active id.
    public Dictionary<string, string> LinkKeys { get; set; } = [];
    public string ActiveLinkKeyId { get; set; } = "1";

    // The checkpoint signing key: ECDSA P-256, PKCS#8, either base64 DER here or a PEM file (a path
    // relative to the content root). CheckpointSigningKeyId is written on each checkpoint.
    public string CheckpointSigningKey { get; set; } = "";
    public string CheckpointSigningKeyFile { get; set; } = "";
    public string CheckpointSigningKeyId { get; set; } = "1";

    // Public keys (base64 SubjectPublicKeyInfo) of earlier signing keys, by id, so checkpoints signed
    // before a rotation still verify. The active key's public key is derived from it.
    public Dictionary<string, string> CheckpointPublicKeys { get; set; } = [];
}

public sealed class AuditKeys : IDisposable
{
    public const string SignatureAlgorithm = "ECDSA P-256 SHA-256 (IEEE P1363 r‖s)";

    private readonly Dictionary<short, byte[]> linkKeys;
    private readonly ECDsa signingKey;
    private readonly Dictionary<short, byte[]> publicKeys;
    private readonly Lock signing = new();

    public AuditKeys(IOptions<AuditKeyOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        linkKeys = o.LinkKeys.ToDictionary(k => ParseKeyId(k.Key, "Audit:LinkKeys"), k => DecodeLinkKey(k.Value, $"Audit:LinkKeys:{k.Key}"));
        if (linkKeys.Count == 0) throw new InvalidOperationException("Audit:LinkKeys is empty: configure at least one 32-byte HMAC key (base64) for the audit chain.");
        ActiveLinkKeyId = ParseKeyId(o.ActiveLinkKeyId, "Audit:ActiveLinkKeyId");
        if (!linkKeys.ContainsKey(ActiveLinkKeyId)) throw new InvalidOperationException($"Audit:ActiveLinkKeyId {o.ActiveLinkKeyId} is not among Audit:LinkKeys.");

        signingKey = LoadSigningKey(o, environment.ContentRootPath);
        SigningKeyId = ParseKeyId(o.CheckpointSigningKeyId, "Audit:CheckpointSigningKeyId");
        publicKeys = o.CheckpointPublicKeys.ToDictionary(k => ParseKeyId(k.Key, "Audit:CheckpointPublicKeys"), k => DecodePublicKey(k.Value, $"Audit:CheckpointPublicKeys:{k.Key}"));
        var activePublic = signingKey.ExportSubjectPublicKeyInfo();
        if (publicKeys.TryGetValue(SigningKeyId, out var listed) && !listed.AsSpan().SequenceEqual(activePublic))
            throw new InvalidOperationException($"Audit:CheckpointPublicKeys:{SigningKeyId} is not the public key of Audit:CheckpointSigningKey.");
        publicKeys[SigningKeyId] = activePublic;
    }

    public short ActiveLinkKeyId { get; }
    public short SigningKeyId { get; }

    public byte[] ActiveLinkKey => linkKeys[ActiveLinkKeyId];

    public byte[]? LinkKey(short id) => linkKeys.GetValueOrDefault(id);

    // SubjectPublicKeyInfo (DER) by id: what GET /api/audit/checkpoint-key publishes.
    public IReadOnlyDictionary<short, byte[]> PublicKeys => publicKeys;

    public byte[] Sign(byte[] message)
    {
        lock (signing) return signingKey.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Verify(short keyId, byte[] message, byte[] signature)
    {
        if (!publicKeys.TryGetValue(keyId, out var spki)) return false;
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => signingKey.Dispose();

    private static ECDsa LoadSigningKey(AuditKeyOptions o, string contentRoot)
    {
        var key = ECDsa.Create();
        try
        {
            if (!string.IsNullOrWhiteSpace(o.CheckpointSigningKeyFile))
            {
                var path = Path.GetFullPath(o.CheckpointSigningKeyFile, contentRoot);
                if (!File.Exists(path)) throw new InvalidOperationException($"Audit:CheckpointSigningKeyFile {path} does not exist.");
                key.ImportFromPem(File.ReadAllText(path));
            }
            else if (!string.IsNullOrWhiteSpace(o.CheckpointSigningKey))
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(o.CheckpointSigningKey), out _);
            }
            else
            {
                throw new InvalidOperationException("Audit:CheckpointSigningKey (or Audit:CheckpointSigningKeyFile) is not set: configure an ECDSA P-256 private key for the audit checkpoints.");
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException("Audit:CheckpointSigningKey is not an ECDSA private key (PKCS#8, base64 or PEM): " + ex.Message, ex);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException("Audit:CheckpointSigningKey must be a P-256 key.");
        }
        return key;
    }

    private static short ParseKeyId(string id, string name) =>
        short.TryParse(id, out var value) && value > 0 ? value : throw new InvalidOperationException($"{name}: key id '{id}' must be a number from 1 to 32767.");

    private static byte[] DecodeLinkKey(string base64, string name)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64); }
        catch (FormatException) { throw new InvalidOperationException($"{name} is not base64."); }
        return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be 32 bytes (HMAC-SHA-256).");
    }

    private static byte[] DecodePublicKey(string base64, string name)
    {
        try
        {
            var spki = Convert.FromBase64String(base64);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out _);
            return spki;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new InvalidOperationException($"{name} is not an ECDSA public key (base64 SubjectPublicKeyInfo).");
        }
    }
}
