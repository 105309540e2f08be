using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

// A token or session cookie carries the account's role, station and district as they were at sign-in,
// and is good for SignInOptions.SessionLifetime (8 hours). An account that an admin disables, or that
// is given another role or jurisdiction, must not keep its old access until then, nor a session that
// was signed out (a copied cookie or token, a shared phone): so every request signed in by our schemes
// is checked, and one that no longer stands is treated as not signed in (401; a cookie is also signed
// out, so pages go to the sign-in page, which issues the new claims).
// - An account change also ends the account's sessions for good: the database stamps
//   users.sessions_since (migration AccountChangeNotices) and sessions issued before it are refused,
//   so re-enabling an account does not bring a lost phone's session back.
// - Signing out records the session's id (EndedSession); its cookie and token are refused after.
//
// What a request needs is kept in memory, accounts by user and ended sessions by id, so a request
// costs two lookups (the first of a session one query), and corrected when PostgreSQL says a row
// changed: triggers notify AccountChannel with the user's id and SessionChannel with an ended
// session's id, whichever process wrote them. While the notice listener is not listening
// (Data/DatabaseNoticeListener), every request reads the rows.
public sealed class AccountAccess : IDatabaseNoticeFollower, IDisposable
{
    public const string AccountChannel = "sd_accounts_changed";
    public const string SessionChannel = "sd_sessions_ended";
    public const int MaxKept = 100_000;

    private readonly MemoryCache accounts = new(new MemoryCacheOptions { SizeLimit = MaxKept });
    private readonly MemoryCache sessions = new(new MemoryCacheOptions { SizeLimit = MaxKept });
    private readonly NoticeGeneration notices = new();

    public IReadOnlyList<string> Channels { get; } = [AccountChannel, SessionChannel];

    public bool Following => notices.Following;

    // Whether a session of our sign-in (AuthServices.PrincipalFor), issued at issuedUtc, still stands.
    public async ValueTask<bool> StillStandsAsync(ClaimsPrincipal principal, DateTimeOffset? issuedUtc, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        // A session from before sessions had ids could not be signed out: refused (its holder signs in again).
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || principal.FindFirstValue(AuthServices.SessionIdClaim) is not { Length: > 0 } sessionId)
        {
            return false;
        }
        var (account, ended) = await StateOfAsync(userId, sessionId, dataSource, cancellationToken);
        return !ended
            && account is { Disabled: false }
            && (account.SessionsSince is not { } since || (issuedUtc is { } issued && issued >= since))
            && account.Role == principal.FindFirstValue(ClaimTypes.Role)
            && account.StationId == ClaimOf(principal, ScopeClaims.StationId)
            && account.DistrictId == ClaimOf(principal, ScopeClaims.DistrictId);
    }

    private async ValueTask<(AccountState? Account, bool Ended)> StateOfAsync(long userId, string sessionId, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        var begun = notices.Begin();
        if (notices.Following && accounts.TryGetValue(userId, out AccountState? known) && sessions.TryGetValue(sessionId, out bool knownEnded))
        {
            return (known, knownEnded);
        }

        var (account, ended) = await AccountsSql.StateAsync(dataSource, userId, sessionId, cancellationToken);
        // An unknown id is kept too (as null): a deleted account stays refused without a query.
        notices.Store(begun, () =>
        {
            Keep(accounts, userId, account);
            Keep(sessions, sessionId, ended);
        });
        return (account, ended);
    }

    private static void Keep<TKey, TValue>(MemoryCache cache, TKey key, TValue value) where TKey : notnull
    {
        using var entry = cache.CreateEntry(key);
        entry.Size = 1;
        entry.SlidingExpiration = TimeSpan.FromHours(1);
        entry.Value = value;
    }

    public void StartFollowing() => notices.Start(Forget);

    public void StopFollowing() => notices.Stop(Forget);

    // An account's id, or empty when the whole table may have changed (TRUNCATE); an ended session's id.
    public void OnNotice(string channel, string payload)
    {
        if (channel == SessionChannel) Ended(payload);
        else if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) Forget(userId);
        else notices.Correct(Forget);
    }

    // This process changed the account: its own next request must not wait for the notice.
    public void Forget(long userId) => notices.Correct(() => accounts.Remove(userId));

    // This process (or the notice) ended the session: it is refused from now on.
    public void Ended(string sessionId) => notices.Correct(() =>
    {
        if (notices.Following) Keep(sessions, sessionId, true);
        else sessions.Remove(sessionId);
    });

    private void Forget()
    {
        accounts.Clear();
        sessions.Clear();
    }

    public void Dispose()
    {
        accounts.Dispose();
        sessions.Dispose();
    }

    private static long? ClaimOf(ClaimsPrincipal principal, string type) =>
        long.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public sealed record AccountState(string Role, long? StationId, long? DistrictId, bool Disabled, DateTimeOffset? SessionsSince);
}

public static class AccountAccessMiddleware
{
    // After UseAuthentication, before anything reads the caller (rate limits, authorization, scope).
    public static IApplicationBuilder UseAccountAccessCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Only principals of our own sign-in; a test scheme's are not accounts.
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthServices.Scheme })
        {
            var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
            var access = context.RequestServices.GetRequiredService<AccountAccess>();
            var dataSource = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
            if (!await access.StillStandsAsync(context.User, result?.Properties?.IssuedUtc, dataSource, context.RequestAborted))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountAccess)).LogInformation(
                    "A session of user {UserId} no longer stands (signed out, or the account disabled or changed since); treated as not signed in",
                    context.User.FindFirstValue(ClaimTypes.NameIdentifier));
                // A cookie is also removed, and not renewed by sliding expiration on its way out.
                if (result?.Ticket?.AuthenticationScheme == CookieAuthenticationDefaults.AuthenticationScheme)
                {
                    await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next(context);
    });
}
