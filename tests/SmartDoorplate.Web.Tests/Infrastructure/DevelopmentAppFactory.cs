using Microsoft.AspNetCore.Hosting;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// The app as scripts/run.sh runs it (ASPNETCORE_ENVIRONMENT=Development), where minimal APIs throw on
// a request they cannot bind, with the two-station TestWorld and its accounts.
public class DevelopmentWorldFixture : AppFactory
{
    private TestWorld? world;
    public TestWorld World => world ?? throw new InvalidOperationException("not initialised");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        world = await TestWorld.CreateAsync(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        // appsettings.Development.json publishes the development signing key's public half; the
        // test's own signing key must be published in its place, or the app refuses to start.
        builder.UseSetting("Audit:CheckpointPublicKeys:1", TestKeys.AuditPublicKey);
    }
}
