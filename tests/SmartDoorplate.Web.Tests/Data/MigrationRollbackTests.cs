using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Data;

// Every migration's Down is run here, from the latest to none, and then every Up again, on a database
// of the test's own: a Down that fails, or leaves something behind that its Up then trips over
// (a function, a trigger, a column), is found before anyone needs to roll back.
public sealed class MigrationRollbackTests
{
    [Fact]
    public async Task EveryMigrationRollsBackToAnEmptySchemaAndForwardAgain()
    {
        var name = await TestDatabase.CreateAsync();
        try
        {
            await using var dataSource = TestDatabase.OwnerDataSource(name);
            await using var db = TestDatabase.OwnerContext(dataSource);
            var migrator = db.GetService<IMigrator>();
            var all = db.Database.GetMigrations().ToList();
            Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());

            await migrator.MigrateAsync(Migration.InitialDatabase);

            Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(0L, await ScalarAsync<long>(dataSource,
                "select count(*) from pg_tables where schemaname = 'public' and tablename <> '__EFMigrationsHistory' and tablename <> 'spatial_ref_sys'"));
            Assert.Equal(0L, await ScalarAsync<long>(dataSource,
                "select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not t.tgisinternal"));

            await migrator.MigrateAsync();

            Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(1L, await ScalarAsync<long>(dataSource, "select count(*) from pg_trigger where tgname = 'ended_sessions_notify'"));
        }
        finally
        {
            await TestDatabase.DropAsync(name);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
