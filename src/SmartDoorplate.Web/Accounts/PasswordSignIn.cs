using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

public sealed record SignInOutcome(User User, ClaimsPrincipal Principal, AuthenticationProperties Properties);

// Password sign-in shared by the API (bearer token) and the sign-in page: checks the password,
// counts failures towards the lock-out, issues the session cookie and audits every attempt.
public sealed class PasswordSignIn(
    SmartDoorplateDb db, IPasswordHasher<User> hasher, IOptions<SignInOptions> options, AuditTrail audit, TimeProvider clock)
{
    public const string FailureMessage = "用户名或密码错误 / Wrong user name or password";

    public async Task<SignInOutcome?> SignInAsync(HttpContext http, string? userNameInput, string? password, CancellationToken ct)
    {
        var userName = userNameInput?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || userName.Length > 64 || password.Length > 256)
            return null;

        var now = clock.GetUtcNow();
        var user = await db.Users.Include(u => u.Station).FirstOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null || user.PasswordHash is null || user.DisabledAt is not null || user.LockedUntil > now)
        {
            var reason = user is null ? "unknown" : user.DisabledAt is not null ? "disabled" : user.LockedUntil > now ? "locked" : "no_password";
            // The typed name is recorded only for existing accounts: a mistyped password in the
            // user-name box must not land in the audit log.
            await audit.AppendAsync(new AuditEntry(AuditActions.SignInRefused, "user", user?.Id.ToString(CultureInfo.InvariantCulture), Details: new { reason }), ct);
            return null;
        }

        var verification = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            var locked = user.FailedSignIns >= options.Value.MaxFailedAttempts;
            if (locked) user.LockedUntil = now + options.Value.LockoutDuration;
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(new AuditEntry(locked ? AuditActions.AccountLocked : AuditActions.SignInFailed, "user", user.Id.ToString(CultureInfo.InvariantCulture),
                Details: new { failedSignIns = user.FailedSignIns }), ct);
            return null;
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);

        var organisation = user.Station?.Name ?? (user.Role == Role.Admin ? "系统管理 / administration" : null);
        var principal = AuthServices.PrincipalFor(user, organisation, AuthServices.NewSessionId());
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.Value.SessionLifetime };
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, properties);
        http.User = principal;
        await audit.AppendAsync(new AuditEntry(AuditActions.SignIn, "user", user.Id.ToString(CultureInfo.InvariantCulture)), ct);
        return new SignInOutcome(user, principal, properties);
    }
}
