using System.Net;
using System.Text.Json;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Health;

public sealed class HealthTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task ReadinessReportsHealthyWithThePostGisVersion()
    {
        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Matches(@"^3\.\d+", body.RootElement.GetProperty("postgis").GetString());
        Assert.StartsWith("15.", body.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task LivenessAnswersWithoutTheDatabase()
    {
        // A factory whose connection string points at a closed port: liveness must not care.
        await using var broken = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Default", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2"));
        var client = broken.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentIsServed()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", body.RootElement.GetProperty("openapi").GetString());
    }
}
