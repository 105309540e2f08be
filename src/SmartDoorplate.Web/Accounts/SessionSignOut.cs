using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

// Signing out (the API's POST /api/auth/logout and the header's buttons) ends the session, not just
// this browser's cookie: its token and any copy of either are refused from then on; everywhere also
// ends every other session of the account. Recorded and audited in one transaction; rows no copy can
// use any more are deleted in the same step.
public static class SessionSignOut
{
    public static async Task SignOutAsync(HttpContext http, bool everywhere, SmartDoorplateDb db, AuditTrail audit, AccountAccess access,
        SignInOptions options, TimeProvider clock, CancellationToken ct)
    {
        var sessionId = http.User.FindFirstValue(AuthServices.SessionIdClaim);
        long? userId = long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (sessionId is not null && userId is { } user)
            {
                var now = clock.GetUtcNow();
                var keepUntil = now + options.SessionLifetime;
                await AccountsSql.InsertEndedSessionAsync(db, sessionId, user, now, keepUntil, ct);
                await db.EndedSessions.Where(e => e.ExpiresAt < now).ExecuteDeleteAsync(ct);
                if (everywhere) await StampAsync(user, db, audit, ct);
            }
            await audit.AppendAsync(new AuditEntry(AuditActions.SignOut), ct);
            await transaction.CommitAsync(ct);
        }
        if (sessionId is not null) access.Ended(sessionId);
        if (everywhere && userId is { } changed) access.Forget(changed);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    // An admin's end-sessions: every session of the account issued until now ends. False if there is no
    // such account.
    public static async Task<bool> EndAllAsync(long userId, SmartDoorplateDb db, AuditTrail audit, AccountAccess access, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await StampAsync(userId, db, audit, ct)) return false;
            await transaction.CommitAsync(ct);
        }
        access.Forget(userId);
        return true;
    }

    // users.sessions_since stamped (AccountsSql.StampSessionsSinceAsync), and audited.
    private static async Task<bool> StampAsync(long userId, SmartDoorplateDb db, AuditTrail audit, CancellationToken ct)
    {
        var changed = await AccountsSql.StampSessionsSinceAsync(db, userId, ct);
        if (changed == 0) return false;
        await audit.AppendAsync(new AuditEntry(AuditActions.SessionsEnded, "user", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
        return true;
    }
}
