using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;

namespace SmartDoorplate.Audit;

// REVIEW: the authentication schemes (cookie + bearer) come with Accounts/. Until that merges no
// scheme can challenge, so /api/audit and /audit answer 500 instead of 401; tests sign in through
// tests/…/Infrastructure/TestAuthentication.
// Base64 SubjectPublicKeyInfo and the same as PEM (`openssl pkeyutl -verify -pubin` reads it).
public sealed record AuditCheckpointKey(short Id, string PublicKey, string Pem);

public sealed record AuditCheckpointKeys(string Algorithm, short ActiveKeyId, IReadOnlyList<AuditCheckpointKey> Keys);

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit")
            .WithTags("Audit")
            .RequireAuthorization(AuditLog.ReadersPolicy);
        group.MapGet("/", SearchAsync);
        // Public by design: anyone holding a copy of the anchor can check its checkpoints with it.
        app.MapGet("/api/audit/checkpoint-key", CheckpointKeys).WithTags("Audit").AllowAnonymous();
        return app;
    }

    private static Ok<AuditCheckpointKeys> CheckpointKeys(AuditKeys keys) => TypedResults.Ok(new AuditCheckpointKeys(
        AuditKeys.SignatureAlgorithm, keys.SigningKeyId,
        keys.PublicKeys.OrderBy(k => k.Key).Select(k => new AuditCheckpointKey(k.Key, Convert.ToBase64String(k.Value),
            PemEncoding.WriteString("PUBLIC KEY", k.Value))).ToList()));

    private static async Task<Results<Ok<AuditEventPage>, ValidationProblem>> SearchAsync(
        [AsParameters] AuditFilter filter, ClaimsPrincipal user, SmartDoorplateDb db, AuditTrail trail, CancellationToken cancellationToken)
    {
        var errors = filter.Validate();
        if (errors.Count > 0) return ValidationProblems.For(errors);
        var page = await AuditLog.SearchAsync(db, filter, user, cancellationToken);
        await AuditLog.RecordSearchAsync(trail, filter, cancellationToken);
        return TypedResults.Ok(page);
    }
}
