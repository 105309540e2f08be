using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;

namespace SmartDoorplate.Audit;

// REVIEW: the authentication schemes (cookie + bearer) come with Accounts/. Until that merges no
// scheme can challenge, so /api/audit and /audit answer 500 instead of 401; tests sign in through
// tests/…/Infrastructure/TestAuthentication.
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit")
            .WithTags("Audit")
            .RequireAuthorization(AuditLog.ReadersPolicy);
        group.MapGet("/", SearchAsync);
        return app;
    }

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
