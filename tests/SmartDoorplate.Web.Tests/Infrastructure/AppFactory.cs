using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Data;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// The real app (HTTP pipeline, EF Core, PostGIS) on its own freshly migrated database.
public sealed class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string DatabaseName { get; private set; } = "";

    public string ConnectionString => TestDatabase.ConnectionStringFor(DatabaseName);

    public async Task InitializeAsync()
    {
        DatabaseName = await TestDatabase.CreateAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:" + DataServices.ConnectionStringName, ConnectionString);
    }

    public async Task WithDbAsync(Func<SmartDoorplateDb, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<SmartDoorplateDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(DatabaseName);
    }
}
