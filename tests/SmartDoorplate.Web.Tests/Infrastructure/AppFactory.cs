using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Data;

namespace SmartDoorplate.Web.Tests.Infrastructure;

public static class TestKeys
{
    public static readonly string EncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public static readonly string BlindIndexKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public static readonly string AuditLinkKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public static readonly string AuditSigningKey = NewAuditSigningKey();
    public static readonly string AuditPublicKey = PublicKeyOf(AuditSigningKey);

    public static string PublicKeyOf(string signingKey)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(signingKey), out _);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    public static string NewAuditSigningKey()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }
}

// The real app (HTTP pipeline, EF Core, PostGIS) on its own freshly migrated database. Like in
// production, the app connects as the sd_app role, so every test exercises its grants.
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    // Limits are off by default so that tests are not throttled by each other; the tests of the
    // limits themselves use a factory that sets them.
    protected static readonly IReadOnlyDictionary<string, string> DefaultSettings = new Dictionary<string, string>
    {
        ["SD_ANON_RATE_LIMIT"] = "0",
        ["SignIn:RequestsPerMinutePerIp"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = DefaultSettings;

    public string DatabaseName { get; private set; } = "";

    // Each factory anchors its checkpoints in a file of its own, removed with its database.
    public string AnchorPath { get; } = Path.Combine(Path.GetTempPath(), "sd-audit-anchor-" + Guid.NewGuid().ToString("N") + ".jsonl");

    // What the app uses: the sd_app role.
    public string AppConnectionString => TestDatabase.AppConnectionStringFor(DatabaseName);

    // The database owner (the cluster superuser): for set-up or tampering the app itself may not do.
    public string OwnerConnectionString => TestDatabase.ConnectionStringFor(DatabaseName);

    public virtual async Task InitializeAsync()
    {
        DatabaseName = await TestDatabase.CreateAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:" + DataServices.ConnectionStringName, AppConnectionString);
        builder.UseSetting("ConnectionStrings:" + DataServices.OwnerConnectionStringName, OwnerConnectionString);
        // Fresh keys every run: nothing may depend on the development keys.
        builder.UseSetting("Privacy:EncryptionKeys:1", TestKeys.EncryptionKey);
        builder.UseSetting("Privacy:ActiveKeyId", "1");
        builder.UseSetting("Privacy:BlindIndexKey", TestKeys.BlindIndexKey);
        builder.UseSetting("Audit:LinkKeys:1", TestKeys.AuditLinkKey);
        builder.UseSetting("Audit:CheckpointSigningKey", TestKeys.AuditSigningKey);
        builder.UseSetting("Audit:AnchorPath", AnchorPath);
        // The daily retention job would add audit events and anonymise test data on its own;
        // tests of retention switch it back on.
        builder.UseSetting("Retention:Scheduled", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    // The app as the owner verbs (migrate, seed, import) run it: connected as the database owner.
    public WebApplicationFactory<Program> AsOwner() =>
        WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:" + DataServices.ConnectionStringName, OwnerConnectionString));

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

    // As the owner, beside the app: a change another process (an import, psql) would make, or ground truth.
    public async Task OwnerExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> OwnerScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(DatabaseName);
        File.Delete(AnchorPath);
    }
}
