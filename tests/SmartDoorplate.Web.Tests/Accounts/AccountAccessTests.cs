using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

// Sessions follow their accounts (Accounts/AccountAccess): a token or cookie of an account that was
// disabled, or given another role or station since, is refused, whichever process made the change.
// Each test changes an account of its own making.
public sealed class AccountAccessTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ADisabledAccountsTokenAndCookieAreRefusedFromTheNextRequestAndStayRefusedOnceItIsEnabledAgain()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var token = await app.SignedInClientAsync(name);
        var cookie = await CookieClientAsync(name);
        var admin = await app.SignedInClientAsync("t.admin");
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/api/buildings/{app.World.BuildingA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cookie.GetAsync("/api/auth/me")).StatusCode);

        (await admin.PostAsync($"/api/accounts/{id}/disable", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync($"/api/buildings/{app.World.BuildingA}")).StatusCode);
        var refused = await cookie.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The cookie is removed, not renewed.
        Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sd.session=;", StringComparison.Ordinal));

        // A lost phone's session does not come back with the account.
        (await admin.PostAsync($"/api/accounts/{id}/enable", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/auth/me")).StatusCode);
        await PastSessionsSinceAsync(id);
        var again = await app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task AnOfficerMovedToAnotherStationOutsideTheAppLosesTheOldStationsSession()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var old = await app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync($"/api/buildings/{app.World.BuildingA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await old.GetAsync($"/api/buildings/{app.World.BuildingB}")).StatusCode);

        // As `psql` or another instance would: the notice, not this process, tells the app.
        await app.OwnerExecuteAsync($"update users set station_id = {app.World.StationB} where id = {id}");

        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(old, $"/api/buildings/{app.World.BuildingA}", HttpStatusCode.Unauthorized));
        await PastSessionsSinceAsync(id);
        var moved = await app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await moved.GetAsync($"/api/buildings/{app.World.BuildingB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await moved.GetAsync($"/api/buildings/{app.World.BuildingA}")).StatusCode);
    }

    [Fact]
    public async Task WhileTheListenerIsCutOffSessionsAreCheckedAgainstTheDatabaseItself()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var token = await app.SignedInClientAsync(name);
        await FollowingAsync();
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/auth/me")).StatusCode);

        await app.OwnerExecuteAsync($"select pg_terminate_backend(pid) from pg_stat_activity where application_name = '{SmartDoorplate.Data.DatabaseNoticeListener.ApplicationName}' and datname = current_database()");
        // Disabled with triggers off: no notice, and no stamp either; only reading the row can tell.
        await app.OwnerExecuteAsync($"begin; set local session_replication_role = replica; update users set disabled_at = now() where id = {id}; commit");

        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(token, "/api/auth/me", HttpStatusCode.Unauthorized));
        await FollowingAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task FailedSignInsOfAnAccountLeaveItsSessionsAlone()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var token = await app.SignedInClientAsync(name);
        using var anonymous = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var failed = await anonymous.PostAsJsonAsync("/api/auth/login", new { username = name, password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        Assert.Equal(3, await app.OwnerScalarAsync<int>($"select failed_sign_ins from users where id = {id}"));
        Assert.Null(await app.OwnerScalarAsync<DateTime?>($"select sessions_since from users where id = {id}"));
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheSessionsTokenAndEveryCopyOfItsCookie()
    {
        var (_, name) = await NewOfficerAsync("T-A");
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var login = await browser.PostAsJsonAsync("/api/auth/login", new { username = name, password = TestWorld.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>())!.Token;
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sd.session=", StringComparison.Ordinal)).Split(';')[0];
        using var tokenClient = ClientWith(authorization: token);
        using var copy = ClientWith(cookie: cookie);
        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/auth/me")).StatusCode);

        var session = await CookieSession.ForCookieAsync(app, cookie);
        using var signingOut = ClientWith();
        Assert.Equal(HttpStatusCode.NoContent, (await signingOut.SendAsync(session.Request(HttpMethod.Post, "/api/auth/logout", withToken: true))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenClient.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(1, await app.OwnerScalarAsync<long>($"select count(*) from ended_sessions e join users u on u.id = e.user_id where u.user_name = '{name}'"));
        Assert.Equal(1, await app.OwnerScalarAsync<long>(
            $"select count(*) from audit_events a join users u on u.id = a.actor_user_id where u.user_name = '{name}' and a.action = 'sign_out'"));
        // Signing in again is a new session.
        var again = await app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SigningOutEverywhereEndsEverySessionOfTheAccountAndAnAdminCanDoItForAnyAccount()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var phone = await app.SignedInClientAsync(name);
        var desk = await app.SignedInClientAsync(name);

        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostAsync("/api/auth/logout?everywhere=yes", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await desk.PostAsync("/api/auth/logout?everywhere=true", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("/api/auth/me")).StatusCode);

        await PastSessionsSinceAsync(id);
        var again = await app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
        var admin = await app.SignedInClientAsync("t.admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/accounts/987654321/end-sessions", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/accounts/{id}/end-sessions", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(2L, await app.OwnerScalarAsync<long>($"select count(*) from audit_events where action = 'sessions_ended' and target_id = '{id}'"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignedInClientAsync("t.officer.a")).PostAsync($"/api/accounts/{id}/end-sessions", null)).StatusCode);
    }

    [Fact]
    public async Task ASessionEndedByAnotherProcessIsRefusedOnItsNotice()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var client = await app.SignedInClientAsync(name);
        await FollowingAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        var ticket = app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerTokenDefaults.AuthenticationScheme)
            .BearerTokenProtector.Unprotect(client.DefaultRequestHeaders.Authorization!.Parameter)!;
        var sessionId = ticket.Principal.FindFirstValue(AuthServices.SessionIdClaim);

        await app.OwnerExecuteAsync($"insert into ended_sessions (session_id, user_id, ended_at, expires_at) values ('{sessionId}', {id}, now(), now() + interval '8 hours')");

        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(client, "/api/auth/me", HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task ATokenWithoutASessionIdIsRefused()
    {
        var (id, name) = await NewOfficerAsync("T-A");
        var protector = app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, "police_officer"),
            new Claim(ScopeClaims.StationId, app.World.StationA.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], AuthServices.Scheme, ClaimTypes.Name, ClaimTypes.Role));
        var now = DateTimeOffset.UtcNow;
        var token = protector.Protect(new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) }, BearerTokenDefaults.AuthenticationScheme));
        using var client = ClientWith(authorization: token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    private HttpClient ClientWith(string? authorization = null, string? cookie = null)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        if (authorization is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", authorization);
        if (cookie is not null) client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    // A police officer of the station, with the world's password.
    private async Task<(long Id, string Name)> NewOfficerAsync(string stationCode)
    {
        var name = $"t.access.{Guid.NewGuid():N}"[..24];
        var admin = await app.SignedInClientAsync("t.admin");
        var created = await admin.PostAsJsonAsync("/api/accounts", new
        {
            username = name, displayName = name, role = "police_officer", stationCode, password = TestWorld.Password,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.Content.ReadFromJsonAsync<AccountDto>();
        return (account!.Id, name);
    }

    private async Task<HttpClient> CookieClientAsync(string name)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { username = name, password = TestWorld.Password })).EnsureSuccessStatusCode();
        return client;
    }

    // Tickets carry their issue time in whole seconds: a new session is good once the stamp has passed.
    private async Task PastSessionsSinceAsync(long id)
    {
        var wait = await app.OwnerScalarAsync<double>($"select greatest(0, extract(epoch from sessions_since - clock_timestamp()))::float8 from users where id = {id}");
        await Task.Delay(TimeSpan.FromSeconds(wait) + TimeSpan.FromMilliseconds(50));
    }

    private static async Task<HttpStatusCode> EventuallyAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = (await client.GetAsync(url)).StatusCode;
            if (status == expected || DateTime.UtcNow > until) return status;
            await Task.Delay(100);
        }
    }

    private async Task FollowingAsync()
    {
        var access = app.Services.GetRequiredService<AccountAccess>();
        var until = DateTime.UtcNow + Patience;
        while (!access.Following && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(access.Following, "the notice listener did not start listening");
    }

}
