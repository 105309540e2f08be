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
// is given another role or jurisdiction, must not keep its old access until then: so every request
// signed in by our schemes is checked against the account as it is now, and one that no longer
// matches is treated as not signed in (401; a cookie is also signed out, so pages go to the sign-in
// page, which issues the new claims). Such a change also ends the account's sessions for good: the
// database stamps users.sessions_since (migration AccountChangeNotices) and sessions issued before
// it are refused, so re-enabling an account does not bring a lost phone's session back.
//
// The accounts' current state is kept in memory by user, so a request costs a lookup, and dropped
// when PostgreSQL says the row changed: the same migration's trigger notifies ChangeChannel with the
// user's id, whichever process wrote it. While the notice listener is not listening
// (Data/DatabaseNotices), every request reads the row.
public sealed class AccountAccess : IDatabaseNoticeFollower, IDisposable
{
    public const string ChangeChannel = "sd_accounts_changed";
    public const int MaxKept = 100_000;

    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = MaxKept });
    private long generation;
    private volatile bool following;

    public string Channel => ChangeChannel;

    public bool Following => following;

    public int Count => kept.Count;

    // Whether a session of our sign-in (AuthServices.PrincipalFor), issued at issuedUtc, still stands.
    public async ValueTask<bool> StillStandsAsync(ClaimsPrincipal principal, DateTimeOffset? issuedUtc, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return false;
        }
        var account = await StateOfAsync(userId, dataSource, cancellationToken);
        return account is { Disabled: false }
            && (account.SessionsSince is not { } since || (issuedUtc is { } issued && issued >= since))
            && account.Role == principal.FindFirstValue(ClaimTypes.Role)
            && account.StationId == ClaimOf(principal, ScopeClaims.StationId)
            && account.DistrictId == ClaimOf(principal, ScopeClaims.DistrictId);
    }

    private async ValueTask<AccountState?> StateOfAsync(long userId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // As BoundaryTileCache: read under the generation, kept only if no notice came meanwhile.
        var startedIn = Interlocked.Read(ref generation);
        var serving = following;
        if (serving && kept.TryGetValue(userId, out AccountState? known)) return known;

        await using var command = dataSource.CreateCommand(
            "select role, station_id, district_id, disabled_at is not null, sessions_since from users where id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
        AccountState? state = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                state = new AccountState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
            }
        }
        if (serving && following && Interlocked.Read(ref generation) == startedIn)
        {
            // An unknown id is kept too (as null): a deleted account stays refused without a query.
            using var entry = kept.CreateEntry(userId);
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            entry.Value = state;
        }
        return state;
    }

    public void StartFollowing()
    {
        Forget();
        following = true;
    }

    public void StopFollowing()
    {
        following = false;
        Forget();
    }

    // The id of the account that changed; empty when the whole table may have (TRUNCATE).
    public void OnNotice(string payload)
    {
        if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) Forget(userId);
        else Forget();
    }

    // This process changed the account: its own next request must not wait for the notice.
    public void Forget(long userId)
    {
        Interlocked.Increment(ref generation);
        kept.Remove(userId);
    }

    private void Forget()
    {
        Interlocked.Increment(ref generation);
        kept.Clear();
    }

    public void Dispose() => kept.Dispose();

    private static long? ClaimOf(ClaimsPrincipal principal, string type) =>
        long.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private sealed record AccountState(string Role, long? StationId, long? DistrictId, bool Disabled, DateTimeOffset? SessionsSince);
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
                    "A session of user {UserId} no longer stands (account disabled or changed since it was issued); treated as signed out",
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
