using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Accounts;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Accounts;

// The real time plus what a test has stepped on, so that waits of minutes pass at once and no
// request is slow enough to outlast one.
public sealed class SteppingClock : TimeProvider
{
    private long offsetTicks;
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
    public void Step(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}

// Fewer failures before the block than in production, so that a test reaches it quickly.
public sealed class SignInLimitsFixture : ScopeWorldFixture
{
    public static readonly SignInThrottle Throttle = new(3, 6, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(24));
    public SteppingClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SignIn:FailuresBeforeDelay", Throttle.FailuresBeforeDelay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("SignIn:FailuresBeforeBlock", Throttle.FailuresBeforeBlock.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("SignIn:FirstDelay", Throttle.FirstDelay.ToString());
        builder.ConfigureTestServices(services => services
            .AddSingleton<IStartupFilter, ClientAddressFromHeader>()
            .AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class SignInLimitTests(SignInLimitsFixture app) : IClassFixture<SignInLimitsFixture>
{
    private const string Stranger = "203.0.113.9";
    private const string Owner = "198.51.100.7";

    [Fact]
    public void FailuresAreFreeThenWaitTwiceAsLongEachTimeThenBlock()
    {
        var rule = new SignInThrottle(3, 10, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(24));
        var last = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal([0, 0, 0, 1, 2, 4, 8, 16, 32, 64], Enumerable.Range(0, 10).Select(n => rule.DelayAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(15), rule.DelayAfter(10));
        Assert.Equal(TimeSpan.FromMinutes(15), rule.DelayAfter(25));
        Assert.Equal(TimeSpan.FromSeconds(3), rule.WaitBefore(5, last, last.AddSeconds(1)));
        Assert.Equal(TimeSpan.Zero, rule.WaitBefore(5, last, last.AddSeconds(4)));
        Assert.Equal(TimeSpan.FromMinutes(14), rule.WaitBefore(10, last, last.AddMinutes(1)));
        Assert.Equal(TimeSpan.Zero, rule.WaitBefore(10, last, last.AddHours(24)));
    }

    [Fact]
    public async Task AStrangerIsSlowedThenBlockedWhileTheOwnerStillSignsInFromTheirOwnAddress()
    {
        var (id, name) = await NewLandlordAsync();
        var throttle = SignInLimitsFixture.Throttle;
        var client = app.CreateClient();

        // Each wrong password heard; right after one past the free ones, even the right password waits.
        var throttledOnTheWay = 0;
        for (var failures = 0; failures < throttle.FailuresBeforeBlock; failures++)
        {
            app.Clock.Step(throttle.DelayAfter(failures));
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, name, "wrong-" + failures, Stranger)).StatusCode);
            if (failures + 1 >= throttle.FailuresBeforeDelay && failures + 1 < throttle.FailuresBeforeBlock)
            {
                var early = await LoginAsync(client, name, TestWorld.Password, Stranger);
                Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
                throttledOnTheWay++;
            }
        }
        var blocked = await LoginAsync(client, name, TestWorld.Password, Stranger);
        var owner = await LoginAsync(app.CreateClient(), name, TestWorld.Password, Owner);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 14 * 60);
        var problem = await blocked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(PasswordSignIn.ThrottledMessage, problem.GetProperty("title").GetString());
        Assert.StartsWith($"请 {(int)throttle.BlockDuration.TotalMinutes} 分钟后再试", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        var events = await AuditAsync(id);
        Assert.Equal(throttle.FailuresBeforeBlock - 1, events.Count(e => e.Action == "sign_in_failed" && e.ClientAddress == Stranger));
        Assert.Equal(1, events.Count(e => e.Action == "sign_in_blocked" && e.ClientAddress == Stranger));
        Assert.Equal(throttledOnTheWay + 1, events.Count(e => e.Action == "sign_in_throttled" && e.ClientAddress == Stranger));
        Assert.Equal(1, events.Count(e => e.Action == "sign_in" && e.ClientAddress == Owner));
    }

    [Fact]
    public async Task AnUnknownUserNameIsSlowedExactlyLikeAKnownOne()
    {
        var (_, name) = await NewLandlordAsync();
        var unknown = "t.nobody." + Guid.NewGuid().ToString("N")[..8];
        var client = app.CreateClient();

        var known = new List<(HttpStatusCode, string?)>();
        var notKnown = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i <= SignInLimitsFixture.Throttle.FailuresBeforeDelay; i++)
        {
            known.Add(await AnswerAsync(await LoginAsync(client, name, "wrong-password", Stranger)));
            notKnown.Add(await AnswerAsync(await LoginAsync(client, unknown, "wrong-password", Stranger)));
        }

        Assert.Equal(known, notKnown);
        Assert.Equal(HttpStatusCode.TooManyRequests, known[^1].Item1);
        Assert.All(known.SkipLast(1), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Item1));
        // Nothing names the account in the counters: only keyed hashes of what was typed.
        var rows = await app.WithDbAsync(db => db.SignInFailures.Where(f => f.ClientAddress == Stranger).ToListAsync());
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        Assert.Single(rows, r => r.UserNameIndex.SequenceEqual(PasswordSignIn.UserNameIndex(protector, name)) && r.Failures == SignInLimitsFixture.Throttle.FailuresBeforeDelay);
        Assert.Single(rows, r => r.UserNameIndex.SequenceEqual(PasswordSignIn.UserNameIndex(protector, unknown)) && r.Failures == SignInLimitsFixture.Throttle.FailuresBeforeDelay);
        Assert.All(rows, r => Assert.Equal(32, r.UserNameIndex.Length));
    }

    [Fact]
    public async Task AnAdminUnlocksABlockedAccountAndTheUnlockIsAudited()
    {
        var (id, name) = await NewLandlordAsync();
        await BlockAsync(name, Stranger);
        var admin = await app.SignedInClientAsync("t.admin");
        var officer = await app.SignedInClientAsync("t.officer.a");
        var before = await LoginAsync(app.CreateClient(), name, TestWorld.Password, Stranger);
        var listed = await admin.GetFromJsonAsync<List<AccountDto>>("/api/accounts?role=landlord");

        var byOfficer = await officer.PostAsync($"/api/accounts/{id}/unlock", null);
        var unknown = await admin.PostAsync("/api/accounts/987654321/unlock", null);
        var unlocked = await admin.PostAsync($"/api/accounts/{id}/unlock", null);
        var after = await LoginAsync(app.CreateClient(), name, TestWorld.Password, Stranger);

        Assert.Equal(HttpStatusCode.TooManyRequests, before.StatusCode);
        Assert.True(listed!.Single(a => a.Id == id).Locked);
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var unlock = Assert.Single(await AuditAsync(id), e => e.Action == "account_unlocked");
        Assert.Equal("t.admin", unlock.ActorName);
        Assert.Contains("\"addresses\": 1", unlock.Details);
        Assert.False((await admin.GetFromJsonAsync<List<AccountDto>>("/api/accounts?role=landlord"))!.Single(a => a.Id == id).Locked);
    }

    [Fact]
    public async Task TheSignInPageBlocksTheStrangerAndLetsTheOwnerIn()
    {
        var (_, name) = await NewLandlordAsync();
        await BlockAsync(name, Stranger);

        var stranger = await PageLoginAsync(name, Stranger);
        var owner = await PageLoginAsync(name, Owner);

        Assert.Equal(HttpStatusCode.TooManyRequests, stranger.StatusCode);
        var page = await stranger.Content.ReadAsStringAsync();
        Assert.Contains("登录失败次数过多", page);
        // The wait the header carries, said on the page in minutes (a block is 15 of them).
        var seconds = int.Parse(stranger.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"请 {(seconds + 59) / 60} 分钟后再试", page);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
        Assert.Contains(owner.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sd.session=", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> PageLoginAsync(string name, string address)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, address);
        var token = CookieSignIn.AntiForgeryToken(await browser.GetStringAsync("/login"));
        return await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = name, ["Password"] = TestWorld.Password, ["__RequestVerificationToken"] = token,
        }));
    }

    // The block as the counter holds it after FailuresBeforeBlock failures just now.
    private async Task BlockAsync(string name, string address)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplate.Data.SmartDoorplateDb>();
        db.SignInFailures.Add(new SignInFailure
        {
            UserNameIndex = PasswordSignIn.UserNameIndex(protector, name), ClientAddress = address,
            Failures = SignInLimitsFixture.Throttle.FailuresBeforeBlock, LastFailedAt = app.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    private static async Task<(HttpStatusCode, string?)> AnswerAsync(HttpResponseMessage response) =>
        (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username = name, password }) };
        request.Headers.Add(ClientAddressFromHeader.Header, address);
        return client.SendAsync(request);
    }

    private Task<List<SmartDoorplate.Audit.AuditEvent>> AuditAsync(long userId) =>
        app.WithDbAsync(db => db.AuditEvents.Where(e => e.TargetType == "user" && e.TargetId == userId.ToString()).OrderBy(e => e.Id).ToListAsync());

    private async Task<(long Id, string Name)> NewLandlordAsync()
    {
        var name = $"t.lim.{Guid.NewGuid():N}"[..20];
        var admin = await app.SignedInClientAsync("t.admin");
        var created = await admin.PostAsJsonAsync("/api/accounts", new { username = name, displayName = name, role = "landlord", password = TestWorld.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<AccountDto>())!.Id, name);
    }
}
