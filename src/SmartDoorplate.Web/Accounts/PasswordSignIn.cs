using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Accounts;

public sealed record SignInOutcome(User User, ClaimsPrincipal Principal, AuthenticationProperties Properties);

// A sign-in either succeeded (Outcome), failed (neither), or was not even checked because this
// user name from this address must still wait (RetryAfter).
public sealed record SignInAttempt(SignInOutcome? Outcome, TimeSpan? RetryAfter)
{
    public static readonly SignInAttempt Failed = new(null, null);
}

// Password sign-in shared by the API (bearer token) and the sign-in page: checks the password,
// counts failures per typed user name and client address (SignInThrottle), issues the session
// cookie and audits every attempt.
public sealed class PasswordSignIn(
    SmartDoorplateDb db, IPasswordHasher<User> hasher, IOptions<SignInOptions> options, AuditTrail audit, PersonalDataProtector protector, TimeProvider clock)
{
    public const string FailureMessage = "用户名或密码错误 / Wrong user name or password";
    public const string ThrottledMessage = "登录失败次数过多，请稍后再试 / Too many failed sign-ins; please try again later";

    public async Task<SignInAttempt> SignInAsync(HttpContext http, string? userNameInput, string? password, CancellationToken ct)
    {
        var userName = userNameInput?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || userName.Length > 64 || password.Length > 256)
            return SignInAttempt.Failed;

        var now = clock.GetUtcNow();
        var throttle = SignInThrottle.From(options.Value);
        var nameIndex = UserNameIndex(protector, userName);
        var address = RateLimiting.ClientAddress(http);
        var user = await db.Users.Include(u => u.Station).FirstOrDefaultAsync(u => u.UserName == userName, ct);
        var target = user?.Id.ToString(CultureInfo.InvariantCulture);

        var counted = await db.SignInFailures.AsNoTracking()
            .FirstOrDefaultAsync(f => f.UserNameIndex == nameIndex && f.ClientAddress == address, ct);
        if (counted is not null && throttle.WaitBefore(counted.Failures, counted.LastFailedAt, now) is var wait && wait > TimeSpan.Zero)
        {
            await audit.AppendAsync(new AuditEntry(AuditActions.SignInThrottled, "user", target,
                Details: new { failures = counted.Failures, blocked = throttle.IsBlocking(counted.Failures), waitSeconds = Hosting.RetryAfter.Seconds(wait) }), ct);
            return new SignInAttempt(null, wait);
        }

        if (user is null || user.PasswordHash is null || user.DisabledAt is not null || user.LockedUntil > now)
        {
            var reason = user is null ? "unknown" : user.DisabledAt is not null ? "disabled" : user.LockedUntil > now ? "locked" : "no_password";
            var failures = await CountFailureAsync(nameIndex, address, now, throttle, ct);
            // The typed name is recorded only for existing accounts: a mistyped password in the
            // user-name box must not land in the audit log.
            await audit.AppendAsync(new AuditEntry(AuditActions.SignInRefused, "user", target, Details: new { reason, failuresFromAddress = failures }), ct);
            return SignInAttempt.Failed;
        }

        var verification = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            // Kept for the record; it no longer locks the account (a stranger could keep its owner out).
            user.FailedSignIns++;
            await db.SaveChangesAsync(ct);
            var failures = await CountFailureAsync(nameIndex, address, now, throttle, ct);
            var blocked = failures == throttle.FailuresBeforeBlock;
            await audit.AppendAsync(new AuditEntry(blocked ? AuditActions.SignInBlocked : AuditActions.SignInFailed, "user", target,
                Details: new { failedSignIns = user.FailedSignIns, failuresFromAddress = failures }), ct);
            return SignInAttempt.Failed;
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        if (counted is not null)
            await db.SignInFailures.Where(f => f.UserNameIndex == nameIndex && f.ClientAddress == address).ExecuteDeleteAsync(ct);

        var organisation = user.Station?.Name ?? (user.Role == Role.Admin ? "系统管理 / administration" : null);
        var principal = AuthServices.PrincipalFor(user, organisation, AuthServices.NewSessionId());
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.Value.SessionLifetime };
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, properties);
        http.User = principal;
        await audit.AppendAsync(new AuditEntry(AuditActions.SignIn, "user", target), ct);
        return new SignInAttempt(new SignInOutcome(user, principal, properties), null);
    }

    // A keyed hash, never the name itself (SignInFailure); prefixed so it can never equal the
    // index of an ID number or phone made with the same key.
    public static byte[] UserNameIndex(PersonalDataProtector protector, string userName) =>
        protector.BlindIndex("user-name:" + userName.Trim().ToLowerInvariant());

    // One statement, so that concurrent failures from several instances all count.
    private async Task<int> CountFailureAsync(byte[] nameIndex, string address, DateTimeOffset now, SignInThrottle throttle, CancellationToken ct)
    {
        var forgetBefore = now - throttle.ForgetAfter;
        var failures = await AccountsSql.CountSignInFailureAsync(db, nameIndex, address, now, forgetBefore, ct);
        if (failures == 1)
        {
            // A fresh count: rows nobody failed with for ForgetAfter count nothing any more.
            await db.SignInFailures.Where(f => f.LastFailedAt <= forgetBefore).ExecuteDeleteAsync(ct);
        }
        return failures;
    }
}
