using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// Real PostgreSQL + PostGIS, provided by scripts/test.sh (SD_TEST_POSTGRES). There is no fallback:
// without it the tests fail, they never skip.
public static class TestDatabase
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? migratedTemplate;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SD_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "SD_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a throw-away PostGIS cluster.");

    // The cluster's superuser, who owns every test database and migrates the template.
    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    // The app role, which scripts/test.sh creates with its own password before anything migrates
    // (the migration leaves an existing sd_app alone): every connection to the cluster needs one.
    public static string AppConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionStringFor(database)) { Username = AppRole, Password = AppPassword }.ConnectionString;

    public const string AppRole = "sd_app";

    private static string AppPassword =>
        Environment.GetEnvironmentVariable("SD_TEST_APP_PASSWORD")
        ?? throw new InvalidOperationException("SD_TEST_APP_PASSWORD is not set: run the tests with scripts/test.sh, which gives sd_app its password.");

    // A context of its own on a database, as the owner, outside any app: for migrating it.
    public static SmartDoorplateDb OwnerContext(NpgsqlDataSource dataSource) =>
        new(new DbContextOptionsBuilder<SmartDoorplateDb>().UseNpgsql(dataSource, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);

    public static NpgsqlDataSource OwnerDataSource(string database) =>
        new NpgsqlDataSourceBuilder(ConnectionStringFor(database)).UseNetTopologySuite().Build();

    // Each test class gets its own database, cloned from a template migrated once per test run:
    // CREATE DATABASE ... TEMPLATE is far faster than migrating again.
    public static async Task<string> CreateAsync()
    {
        var template = await MigratedTemplateAsync();
        var name = "sd_test_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteOnServerAsync($"create database {name} template {template}");
        return name;
    }

    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"drop database if exists {database} with (force)");
    }

    private static async Task<string> MigratedTemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (migratedTemplate is not null) return migratedTemplate;
            var name = "sd_template_" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteOnServerAsync($"create database {name}");
            await using (var dataSource = OwnerDataSource(name))
            await using (var db = OwnerContext(dataSource))
            {
                await db.Database.MigrateAsync();
            }
            NpgsqlConnection.ClearAllPools();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { ExecuteOnServerAsync($"drop database if exists {name} with (force)").GetAwaiter().GetResult(); }
                catch (NpgsqlException) { /* the throw-away cluster is removed anyway */ }
            };
            return migratedTemplate = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
