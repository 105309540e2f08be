using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

public sealed class SignInTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task SignInReturnsABearerTokenAndASessionCookie()
    {
        var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "T.Officer.A ", password = TestWorld.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("police_officer", body.GetProperty("role").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(1));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sd.session=") && c.Contains("httponly"));
        // The cookie alone now authenticates this client.
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("t.officer.a", me.GetProperty("username").GetString());
    }

    [Fact]
    public async Task BearerTokenAuthenticatesApiCalls()
    {
        var api = await app.SignedInClientAsync("t.landlord.a");

        var me = await api.GetFromJsonAsync<JsonElement>("/api/auth/me");

        Assert.Equal("landlord", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task AKeptTokenStillAuthenticatesAndAnAlteredCopyOfItIsRefused()
    {
        var api = await app.SignedInClientAsync("t.officer.a");
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var first = await api.GetAsync("/api/auth/me");
        var second = await api.GetFromJsonAsync<JsonElement>("/api/auth/me");
        var altered = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        altered.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA"));

        var refused = await altered.GetAsync("/api/auth/me");
        var asCookie = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        asCookie.Headers.Add("Cookie", "sd.session=" + token);
        var tokenAsCookie = await app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(asCookie);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("t.officer.a", second.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAsCookie.StatusCode);
        // Both schemes read their tickets through the cache, each through its own.
        var bearer = app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerTokenDefaults.AuthenticationScheme);
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        Assert.IsType<CachedTicketFormat>(bearer.BearerTokenProtector);
        Assert.IsType<CachedTicketFormat>(cookie.TicketDataFormat);
    }

    [Fact]
    public async Task WrongPasswordAndUnknownUserGetTheSameProblem()
    {
        var client = app.CreateClient();

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { username = "t.chief.a", password = "not-the-password" });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { username = "nobody.here", password = "not-the-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        var wrongProblem = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        var unknownProblem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(wrongProblem.GetProperty("title").GetString(), unknownProblem.GetProperty("title").GetString());
        Assert.Contains("用户名或密码错误", wrongProblem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task DisabledAccountCannotSignIn()
    {
        var admin = await app.SignedInClientAsync("t.admin");
        var created = await admin.PostAsJsonAsync("/api/accounts", new
        {
            username = "t.leaver", displayName = "离职测试", role = "landlord", password = TestWorld.Password,
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var disabled = await admin.PostAsync($"/api/accounts/{id}/disable", null);
        var signIn = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "t.leaver", password = TestWorld.Password });

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task CreatingAnAccountWithBadFieldsNamesEachField()
    {
        var admin = await app.SignedInClientAsync("t.admin");

        var response = await admin.PostAsJsonAsync("/api/accounts", new { username = "X", displayName = "", role = "king", password = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "username", "displayName", "role", "password" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task PasswordsAreStoredOnlyAsHashes()
    {
        var hashes = await app.WithDbAsync(db => db.Users.Select(u => u.PasswordHash).ToListAsync());

        Assert.NotEmpty(hashes);
        Assert.All(hashes, h => Assert.DoesNotContain(TestWorld.Password, h ?? ""));
    }
}

public sealed class RateLimitedAppFactory : AppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["SD_ANON_RATE_LIMIT"] = "600",
        ["SignIn:RequestsPerMinutePerIp"] = "30",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}

public sealed class RateLimitTests(RateLimitedAppFactory app) : IClassFixture<RateLimitedAppFactory>
{
    [Fact]
    public async Task AThousandAnonymousRequestsAMinuteFromOneAddressAreThrottledWithRetryAfter()
    {
        var client = app.CreateClient();
        var statuses = new List<HttpResponseMessage>();

        for (var i = 0; i < 1000; i++) statuses.Add(await client.GetAsync("/api/auth/me"));

        var throttled = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(600, statuses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(400, throttled.Count);
        Assert.True(int.Parse(throttled[0].Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Equal("application/problem+json", throttled[0].Content.Headers.ContentType?.MediaType);
        // Liveness probes are never throttled.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
