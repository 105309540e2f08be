using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmartDoorplate.Audit;

public static class AuditHash
{
    public static readonly byte[] Genesis = new byte[32];

    // PostgreSQL keeps microseconds; hashing a value the database would round would break the chain.
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    // What the sealer chains: SHA-256 over every field, each length-prefixed so that no two different
    // rows serialise to the same bytes. The previous hash is not part of it, so it can be computed
    // by the request that writes the row, before the row has a place in the chain.
    public static byte[] ComputeContent(AuditEvent row) => SHA256.HashData(Encoding.UTF8.GetBytes(Fields(row, legacyPreviousHash: null)));

    // A row's link: HMAC-SHA-256 with a key the database never holds, over its chain position, the
    // previous link and its content digest. The position is in it so that rows cannot be renumbered.
    public static byte[] ComputeLink(byte[] key, long chainSeq, byte[] previousHash, byte[] contentHash)
    {
        Span<byte> message = stackalloc byte[8 + previousHash.Length + contentHash.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, chainSeq);
        previousHash.CopyTo(message[8..]);
        contentHash.CopyTo(message[(8 + previousHash.Length)..]);
        return HMACSHA256.HashData(key, message);
    }

    // The unkeyed links of rows sealed before keyed links: SHA-256(previous hash ‖ content digest).
    public static byte[] ComputeChained(byte[] previousHash, byte[] contentHash) => SHA256.HashData([.. previousHash, .. contentHash]);

    // The unkeyed hash a row linked before keyed links has: the two-step form for rows written with a
    // content digest, and the one-step form (previous hash as the first field) for rows written
    // before sealing existed.
    public static byte[] ComputeUnkeyed(AuditEvent row) => row.ContentHash is null
        ? SHA256.HashData(Encoding.UTF8.GetBytes(Fields(row, legacyPreviousHash: row.PreviousHash ?? [])))
        : ComputeChained(row.PreviousHash ?? [], ComputeContent(row));

    // What a checkpoint's signature covers, as text so that an operator can rebuild it from an anchor line.
    public static byte[] CheckpointMessage(long chainSeq, byte[] headHash, DateTimeOffset at, short? linkKeyId, short signingKeyId) =>
        Encoding.UTF8.GetBytes(string.Join('\n', "smartdoorplate audit checkpoint v1",
            chainSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToHexStringLower(headHash),
            at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            linkKeyId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            signingKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string Fields(AuditEvent row, byte[]? legacyPreviousHash)
    {
        var builder = new StringBuilder();
        void Field(string? value) => builder.Append(value is null ? "-1:" : $"{value.Length}:{value}").Append('|');
        if (legacyPreviousHash is not null) Field(Convert.ToHexString(legacyPreviousHash));
        Field(row.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(row.ActorUserId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(row.ActorName);
        Field(row.ActorRole);
        Field(row.ActorOrganisation);
        Field(row.Action);
        Field(row.TargetType);
        Field(row.TargetId);
        Field(row.Purpose);
        Field(row.ClientAddress);
        Field(row.Details is null ? null : CanonicalJson(row.Details));
        return builder.ToString();
    }

    // jsonb re-orders keys and whitespace; hash the form the database gives back.
    private static string CanonicalJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Canonical(document.RootElement);
    }

    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
        // Re-serialised so that "\u6539" and "改" (jsonb stores the latter) hash alike.
        JsonValueKind.String => JsonSerializer.Serialize(element.GetString()),
        // jsonb keeps a number's value but not its notation (1E-05 comes back as 0.00001), so the
        // number is hashed by value: G29 drops trailing zeros; beyond decimal's range, a double.
        JsonValueKind.Number => element.TryGetDecimal(out var exact)
            ? exact.ToString("G29", System.Globalization.CultureInfo.InvariantCulture)
            : element.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => element.GetRawText(),
    };
}
