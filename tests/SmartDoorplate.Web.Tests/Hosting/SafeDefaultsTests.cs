using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartDoorplate.Hosting;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Hosting;

public sealed class SafeDefaultsTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task ResponsesCarryAStrictContentSecurityPolicyAndNoSniff()
    {
        var response = await app.CreateClient().GetAsync("/health/live");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task ProductionRefusesTheDevelopmentKeyAndDemoAccounts()
    {
        await using var production = app.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Privacy:EncryptionKeys:1", ProductionGuard.DevelopmentEncryptionKey);
        });
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new SmartDoorplate.Accounts.User { UserName = "police.gaicha", DisplayName = "demo", Role = SmartDoorplate.Accounts.Role.PoliceOfficer });
            await db.SaveChangesAsync();
        });

        var failure = Record.Exception(() => production.CreateClient());

        var message = Assert.IsType<InvalidOperationException>(failure is AggregateException a ? a.InnerException : failure).Message;
        Assert.Contains("development encryption", message);
        Assert.Contains("police.gaicha", message);
    }

    [Fact]
    public void ProductionRefusesAConnectionStringWithoutAPassword()
    {
        var passwordless = new Npgsql.NpgsqlConnectionStringBuilder(app.AppConnectionString) { Password = null }.ConnectionString;
        using var production = app.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Default", passwordless);
        });

        var failure = Record.Exception(() => production.CreateClient());

        var message = Assert.IsType<InvalidOperationException>(failure is AggregateException a ? a.InnerException : failure).Message;
        Assert.Contains("ConnectionStrings:Default carries no password", message);
        Assert.DoesNotContain("ConnectionStrings:Owner", message);
    }

    [Fact]
    public async Task LogsNeverContainClearIdNumbersOrPhones()
    {
        var logs = new ConcurrentQueue<string>();
        await using var logged = app.WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace")
            .ConfigureServices(s => s.AddLogging(l => l.AddProvider(new CollectingLoggerProvider(logs)))));
        var officer = await SignIn(logged, "t.officer.a");

        await officer.PostAsJsonAsync("/api/persons/search", new { q = TestWorld.IdNumberA, purpose = "日志测试 log test" });
        await officer.PostAsJsonAsync($"/api/persons/{app.World.PersonA}/reveal", new { purpose = "日志测试 log test" });
        await officer.GetAsync($"/api/persons/{app.World.PersonA}");
        await logged.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = TestWorld.IdNumberA, password = "13800138000" });

        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, line => line.Contains(TestWorld.IdNumberA) || line.Contains(app.World.PersonAPhone));
    }

    private static async Task<HttpClient> SignIn(WebApplicationFactory<Program> factory, string user)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = TestWorld.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, lines);
        public void Dispose() { }
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
