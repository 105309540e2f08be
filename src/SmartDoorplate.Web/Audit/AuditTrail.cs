using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;

namespace SmartDoorplate.Audit;

public sealed record AuditEntry(
    AuditAction Action,
    string? TargetType = null,
    string? TargetId = null,
    string? Purpose = null,
    object? Details = null);

// Appends an event in the caller's transaction when there is one, so a change and its audit row
// commit or roll back together. No lock: the row carries the digest of its own fields, and the
// sealer chains it after commit (see AuditEvent), so concurrent requests never wait for each other.
public sealed class AuditTrail(SmartDoorplateDb db, IHttpContextAccessor httpContextAccessor, TimeProvider clock)
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        await AppendAsync(Row(entry), cancellationToken);

    // For a caller that saves its own changes next, inside its transaction: the row goes into that
    // SaveChanges (one round trip with the caller's rows on the hottest write path, the tenant's
    // submission) and is written, or not, with them.
    public void Stage(AuditEntry entry)
    {
        var row = Row(entry);
        row.ContentHash = AuditHash.ComputeContent(row);
        db.AuditEvents.Add(row);
    }

    private AuditEvent Row(AuditEntry entry)
    {
        var user = httpContextAccessor.HttpContext?.User;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        return new AuditEvent
        {
            At = AuditHash.Truncate(clock.GetUtcNow()),
            ActorUserId = signedIn && long.TryParse(user!.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            ActorName = signedIn ? user!.Identity!.Name : null,
            ActorRole = signedIn ? user!.FindFirstValue(ClaimTypes.Role) : httpContextAccessor.HttpContext is null ? "system" : "anonymous",
            ActorOrganisation = signedIn ? user!.FindFirstValue(AuditClaims.Organisation) : null,
            Action = entry.Action.Code,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            Purpose = entry.Purpose,
            ClientAddress = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            Details = entry.Details is null ? null : JsonSerializer.Serialize(entry.Details),
        };
    }

    public async Task AppendAsync(AuditEvent row, CancellationToken cancellationToken)
    {
        row.ContentHash = AuditHash.ComputeContent(row);
        // Raw INSERT rather than SaveChanges: the caller's pending changes are theirs to save.
        await db.Database.ExecuteSqlAsync($"""
            insert into audit_events (at, actor_user_id, actor_name, actor_role, actor_organisation, action,
                target_type, target_id, purpose, client_address, details, content_hash)
            values ({row.At}, {row.ActorUserId}, {row.ActorName}, {row.ActorRole}, {row.ActorOrganisation}, {row.Action},
                {row.TargetType}, {row.TargetId}, {row.Purpose}, {row.ClientAddress}, {row.Details}::jsonb, {row.ContentHash})
            """, cancellationToken);
    }
}

public static class AuditServices
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AuditTrail>();
        // A wrong interval must stop start-up with a clear reason, not end the sealer later.
        services.AddOptions<AuditSealOptions>().BindConfiguration(AuditSealOptions.Section)
            .Validate(o => o.SealEvery >= TimeSpan.FromMilliseconds(10) && o.SealEvery <= TimeSpan.FromHours(1),
                "Audit:SealEvery must be between 10 ms and 1 hour: events wait that long for their link in the chain.")
            .Validate(o => o.CheckpointEvery > TimeSpan.Zero && o.CheckpointEvery <= TimeSpan.FromMinutes(1),
                "Audit:CheckpointEvery must be more than 0 and at most 1 minute: events after the newest checkpoint can be removed unseen.")
            .ValidateOnStart();
        services.AddOptions<AuditKeyOptions>().BindConfiguration(AuditKeyOptions.Section);
        services.AddSingleton<AuditKeys>();
        services.AddSingleton<AuditAnchor>();
        services.AddSingleton<AuditChain>();
        // The sealer needs the keys, so a missing or malformed key stops start-up with its reason.
        services.AddHostedService<AuditSealer>();
        // Role claim values are Accounts.Role in snake_case.
        services.AddAuthorizationBuilder()
            .AddPolicy(AuditLog.ReadersPolicy, policy => policy.RequireRole("station_chief", "admin"));
        return services;
    }
}

public static class AuditClaims
{
    public const string Organisation = "sd:org";
}

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
