using System.Security.Claims;
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
        await AuditSql.InsertEventAsync(db, row, cancellationToken);
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
