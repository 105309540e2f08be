using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;

namespace SmartDoorplate.Audit;

public sealed record AuditEntry(
    string Action,
    string? TargetType = null,
    string? TargetId = null,
    string? Purpose = null,
    object? Details = null);

// Appends to the hash chain. Runs inside the caller's transaction when there is one, so a change and
// its audit row commit or roll back together; an advisory lock serialises appends across every
// instance of the app, because each row must chain onto the one committed before it.
public sealed class AuditTrail(SmartDoorplateDb db, IHttpContextAccessor httpContextAccessor, TimeProvider clock)
{
    private const long ChainLockKey = 0x5D_A0D1_7C4A;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var user = httpContextAccessor.HttpContext?.User;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        var row = new AuditEvent
        {
            At = AuditHash.Truncate(clock.GetUtcNow()),
            ActorUserId = signedIn && long.TryParse(user!.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            ActorName = signedIn ? user!.Identity!.Name : null,
            ActorRole = signedIn ? user!.FindFirstValue(ClaimTypes.Role) : httpContextAccessor.HttpContext is null ? "system" : "anonymous",
            ActorOrganisation = signedIn ? user!.FindFirstValue(AuditClaims.Organisation) : null,
            Action = entry.Action,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            Purpose = entry.Purpose,
            ClientAddress = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            Details = entry.Details is null ? null : JsonSerializer.Serialize(entry.Details),
            PreviousHash = [],
            Hash = [],
        };
        await AppendAsync(row, cancellationToken);
    }

    public async Task AppendAsync(AuditEvent row, CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({ChainLockKey})", cancellationToken);
            row.PreviousHash = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? AuditHash.Genesis;
            row.Hash = AuditHash.Compute(row);
            // Raw INSERT rather than SaveChanges: the caller's pending changes are theirs to save.
            await db.Database.ExecuteSqlAsync($"""
                insert into audit_events (at, actor_user_id, actor_name, actor_role, actor_organisation, action,
                    target_type, target_id, purpose, client_address, details, previous_hash, hash)
                values ({row.At}, {row.ActorUserId}, {row.ActorName}, {row.ActorRole}, {row.ActorOrganisation}, {row.Action},
                    {row.TargetType}, {row.TargetId}, {row.Purpose}, {row.ClientAddress}, {row.Details}::jsonb, {row.PreviousHash}, {row.Hash})
                """, cancellationToken);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }
}

public static class AuditServices
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AuditTrail>();
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

    // SHA-256 over the previous hash and every field, each length-prefixed so that no two different
    // rows serialise to the same bytes.
    public static byte[] Compute(AuditEvent row)
    {
        var builder = new StringBuilder();
        void Field(string? value) => builder.Append(value is null ? "-1:" : $"{value.Length}:{value}").Append('|');
        Field(Convert.ToHexString(row.PreviousHash));
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
        return SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
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
