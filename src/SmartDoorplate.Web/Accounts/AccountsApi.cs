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
public sealed record CreateAccountRequest(string? Username, string? DisplayName, string? Role, string? Password, string? StationCode, string? DistrictCode, string[]? BuildingCodes);

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

    // Clears the account's failed sign-ins from every address (and any lock left from before they were
    // counted per address), for a user who is blocked from their own address.
    private static async Task<Results<NoContent, NotFound>> Unlock(long id, SmartDoorplateDb db, AuditTrail audit, PersonalDataProtector protector,
        CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return TypedResults.NotFound();
        var nameIndex = PasswordSignIn.UserNameIndex(protector, user.UserName);
        var addresses = await db.SignInFailures.Where(f => f.UserNameIndex == nameIndex).ExecuteDeleteAsync(ct);
        var wasLocked = user.LockedUntil is not null;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.AccountUnlocked, "user", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Details: new { addresses, wasLocked }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

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
        var throttle = SignInThrottle.From(options.Value);
        var blockedSince = now - throttle.BlockDuration;
        var blocked = (await db.SignInFailures.AsNoTracking()
                .Where(f => f.Failures >= throttle.FailuresBeforeBlock && f.LastFailedAt > blockedSince)
                .Select(f => f.UserNameIndex).ToListAsync(ct))
            .Select(Convert.ToHexString).ToHashSet();
        return TypedResults.Ok(users.Select(u => u.AsDto(now) with
        {
            Locked = u.LockedUntil > now || blocked.Contains(Convert.ToHexString(PasswordSignIn.UserNameIndex(protector, u.UserName))),
        }).ToList());
    }

    private static async Task<Results<Created<AccountDto>, ValidationProblem, ProblemHttpResult>> CreateAccount(
        CreateAccountRequest request, SmartDoorplateDb db, IPasswordHasher<User> hasher, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = AccountRules.Check(request, out var userName, out var role);

        long? stationId = null, districtId = null;
        if (role is Role.PoliceOfficer or Role.StationChief)
        {
            stationId = await db.PoliceStations.Where(s => s.Code == request.StationCode).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (stationId is null) errors["stationCode"] = ["派出所编码不存在 / Unknown police station code"];
        }
        else if (role is Role.DistrictOfficer)
        {
            districtId = await db.Districts.Where(d => d.Code == request.DistrictCode).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
            if (districtId is null) errors["districtCode"] = ["区划代码不存在 / Unknown district code"];
        }
        var buildingCodes = request.BuildingCodes ?? [];
        if (buildingCodes.Length > 0 && role != Role.Landlord)
            errors["buildingCodes"] = ["只有房东账户可关联楼栋 / Only landlord accounts own buildings"];
        var buildingIds = await db.Buildings.Where(b => buildingCodes.Contains(b.Code)).Select(b => b.Id).ToListAsync(ct);
        if (buildingIds.Count != buildingCodes.Distinct().Count())
            errors["buildingCodes"] = ["有楼栋编码不存在 / Some building codes do not exist"];
        if (errors.Count > 0) return ValidationProblems.For(errors);

        if (await db.Users.AnyAsync(u => u.UserName == userName, ct))
            return TypedResults.Problem(title: "用户名已存在 / The user name is taken", statusCode: StatusCodes.Status409Conflict);

        var user = new User { UserName = userName, DisplayName = request.DisplayName!.Trim(), Role = role, StationId = stationId, DistrictId = districtId };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        if (buildingIds.Count > 0)
            await db.Buildings.Where(b => buildingIds.Contains(b.Id)).ExecuteUpdateAsync(s => s.SetProperty(b => b.OwnerId, user.Id), ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.AccountCreated, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Details: new { userName, role = SnakeCaseEnum.ToCode(role), buildings = buildingIds.Count }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/accounts/{user.Id}", user.AsDto(clock.GetUtcNow()));
    }

    // A disabled account's sessions end with this request, in this process at once (AccountAccess)
    // and in the others on the database's notice.
    private static async Task<Results<NoContent, NotFound>> SetDisabled(long id, DateTimeOffset? disabledAt, SmartDoorplateDb db, AuditTrail audit,
        AccountAccess access, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.DisabledAt, disabledAt)
            .SetProperty(u => u.FailedSignIns, 0)
            .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct);
        if (changed == 0) return TypedResults.NotFound();
        await audit.AppendAsync(new AuditEntry(disabledAt is null ? AuditActions.AccountEnabled : AuditActions.AccountDisabled, "user", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
        await transaction.CommitAsync(ct);
        access.Forget(id);
        return TypedResults.NoContent();
    }

    public static AccountDto AsDto(this User u, DateTimeOffset now) =>
        new(u.Id, u.UserName, u.DisplayName, SnakeCaseEnum.ToCode(u.Role), u.StationId, u.DistrictId, u.DisabledAt is not null, u.LockedUntil > now);
}
