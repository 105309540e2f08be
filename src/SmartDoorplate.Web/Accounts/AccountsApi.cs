using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts;

public sealed record LoginRequest(string? Username, string? Password);
public sealed record LoginResponse(string Token, string Role, DateTimeOffset ExpiresAt);
public sealed record MeResponse(long Id, string Username, string DisplayName, string Role, long? StationId, long? DistrictId);
public sealed record AccountDto(long Id, string Username, string DisplayName, string Role, long? StationId, long? DistrictId, bool Disabled, bool Locked);
public sealed record ResetPasswordRequest(string? Password);
public sealed record CreateAccountRequest(string? Username, string? DisplayName, string? Role, string? Password, string? StationCode, string? DistrictCode, string[]? BuildingCodes,
    string? Phone = null);
public sealed record SetPhoneRequest(string? Phone);

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(RateLimiting.SignIn)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", Logout).RequireAuthorization();
        auth.MapGet("/me", Me).RequireAuthorization();

        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        accounts.MapGet("/", ListAccounts);
        accounts.MapPost("/", CreateAccount).ProducesProblem(StatusCodes.Status409Conflict);
        accounts.MapPost("/{id:long}/disable", (long id, SmartDoorplateDb db, AuditTrail audit, AccountAccess access, TimeProvider clock, CancellationToken ct) =>
            SetDisabled(id, clock.GetUtcNow(), db, audit, access, ct));
        accounts.MapPost("/{id:long}/enable", (long id, SmartDoorplateDb db, AuditTrail audit, AccountAccess access, CancellationToken ct) =>
            SetDisabled(id, null, db, audit, access, ct));
        accounts.MapPost("/{id:long}/end-sessions", EndSessions);
        accounts.MapPost("/{id:long}/password", ResetPassword);
        accounts.MapPost("/{id:long}/phone", SetPhone);
        accounts.MapPost("/{id:long}/unlock", Unlock)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, PasswordSignIn signIn, IOptionsMonitor<BearerTokenOptions> bearerOptions, CancellationToken ct)
    {
        var attempt = await signIn.SignInAsync(http, request.Username, request.Password, ct);
        if (attempt.RetryAfter is { } wait)
        {
            var seconds = RetryAfter.Set(http.Response, wait);
            return TypedResults.Problem(title: PasswordSignIn.ThrottledMessage, detail: RetryAfter.InWords(seconds), statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (attempt.Outcome is not { } outcome)
        {
            // One answer for every failure, so a caller cannot learn which user names exist or are locked.
            return TypedResults.Problem(title: PasswordSignIn.FailureMessage, statusCode: StatusCodes.Status401Unauthorized);
        }
        var token = bearerOptions.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector
            .Protect(new AuthenticationTicket(outcome.Principal, outcome.Properties, BearerTokenDefaults.AuthenticationScheme));
        return TypedResults.Ok(new LoginResponse(token, SnakeCaseEnum.ToCode(outcome.User.Role), outcome.Properties.ExpiresUtc!.Value));
    }

    // ?everywhere=true also ends the caller's other sessions (a phone left somewhere), as an admin's
    // end-sessions does.
    private static async Task<Results<NoContent, ValidationProblem>> Logout(string? everywhere, HttpContext http, SmartDoorplateDb db,
        AuditTrail audit, AccountAccess access, IOptions<SignInOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (everywhere is not (null or "true" or "false"))
        {
            return ValidationProblems.For(new Dictionary<string, string[]>
            {
                ["everywhere"] = ["everywhere 须为 true 或 false / everywhere must be true or false"],
            }, title: new("退出请求无效", "Invalid sign-out request"));
        }
        await SessionSignOut.SignOutAsync(http, everywhere == "true", db, audit, access, options.Value, clock, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> EndSessions(long id, SmartDoorplateDb db, AuditTrail audit, AccountAccess access,
        CancellationToken ct) =>
        await SessionSignOut.EndAllAsync(id, db, audit, access, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Unlock(long id, SmartDoorplateDb db, AuditTrail audit, PersonalDataProtector protector,
        CancellationToken ct) =>
        await AccountCommands.UnlockAsync(id, db, audit, protector, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> ResetPassword(long id, ResetPasswordRequest request, SmartDoorplateDb db,
        IPasswordHasher<User> hasher, AuditTrail audit, AccountAccess access, PersonalDataProtector protector, CancellationToken ct) =>
        await AccountCommands.ResetPasswordAsync(id, request.Password, db, hasher, audit, access, protector, ct) switch
        {
            null => TypedResults.NotFound(),
            { Count: > 0 } errors => ValidationProblems.For(errors),
            _ => TypedResults.NoContent(),
        };

    // An empty phone clears it.
    private static async Task<Results<NoContent, NotFound, ValidationProblem>> SetPhone(long id, SetPhoneRequest request, SmartDoorplateDb db,
        AuditTrail audit, PersonalDataProtector protector, CancellationToken ct) =>
        await AccountCommands.SetPhoneAsync(id, request.Phone, db, audit, protector, ct) switch
        {
            null => TypedResults.NotFound(),
            { Count: > 0 } errors => ValidationProblems.For(errors),
            _ => TypedResults.NoContent(),
        };

    private static async Task<Results<Ok<MeResponse>, NotFound>> Me(HttpContext http, SmartDoorplateDb db, CancellationToken ct)
    {
        var id = db.Scope.UserId;
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new MeResponse(u.Id, u.UserName, u.DisplayName, SnakeCaseEnum.ToCode(u.Role), u.StationId, u.DistrictId))
            .FirstOrDefaultAsync(ct);
        return me is null ? TypedResults.NotFound() : TypedResults.Ok(me);
    }

    // Locked: blocked from at least one address now (SignInThrottle), which an admin may unlock.
    private static async Task<Ok<List<AccountDto>>> ListAccounts(SmartDoorplateDb db, PersonalDataProtector protector, IOptions<SignInOptions> options,
        TimeProvider clock, string? role, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var query = db.Users.AsNoTracking();
        if (SnakeCaseEnum.TryParse<Role>(role, out var r)) query = query.Where(u => u.Role == r);
        var users = await query.OrderBy(u => u.UserName).Take(500).ToListAsync(ct);
        var blocked = await BlockedSignIns.ReadAsync(db, options.Value, protector, now, ct);
        return TypedResults.Ok(users.Select(u => u.AsDto(now) with { Locked = blocked.IsLocked(u.UserName, u.LockedUntil) }).ToList());
    }

    private static async Task<Results<Created<AccountDto>, ValidationProblem, ProblemHttpResult>> CreateAccount(
        CreateAccountRequest request, SmartDoorplateDb db, IPasswordHasher<User> hasher, AuditTrail audit, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var outcome = await AccountCommands.CreateAsync(request, db, hasher, audit, protector, ct);
        if (outcome.NameTaken) return TypedResults.Problem(title: AccountCommands.NameTakenMessage, statusCode: StatusCodes.Status409Conflict);
        if (outcome.Created is not { } user) return ValidationProblems.For(outcome.Errors);
        return TypedResults.Created($"/api/accounts/{user.Id}", user.AsDto(clock.GetUtcNow()));
    }

    private static async Task<Results<NoContent, NotFound>> SetDisabled(long id, DateTimeOffset? disabledAt, SmartDoorplateDb db, AuditTrail audit,
        AccountAccess access, CancellationToken ct) =>
        await AccountCommands.SetDisabledAsync(id, disabledAt, db, audit, access, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static AccountDto AsDto(this User u, DateTimeOffset now) =>
        new(u.Id, u.UserName, u.DisplayName, SnakeCaseEnum.ToCode(u.Role), u.StationId, u.DistrictId, u.DisabledAt is not null, u.LockedUntil > now);
}
