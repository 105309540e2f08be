using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Data;

public sealed class DatabaseRoleTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task TheAppConnectsAsTheAppRoleWhichIsNeitherSuperuserNorOwner()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("""
            select current_user, r.rolsuper, pg_get_userbyid(d.datdba)
            from pg_roles r, pg_database d
            where r.rolname = current_user and d.datname = current_database()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal("sd_app", reader.GetString(0));
        Assert.False(reader.GetBoolean(1));
        Assert.NotEqual("sd_app", reader.GetString(2));
    }

    [Fact]
    public async Task TheAppRoleCannotChangeTheSchema()
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("alter table persons add column smuggled text", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task TheAppRoleMayNotRewriteTheMigrationHistory()
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""delete from "__EFMigrationsHistory" """, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task TheAppRoleReadsAndWritesOrdinaryTables()
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""
            insert into districts (code, name, boundary)
            values ('520199', '测试区', ST_Multi(ST_MakeEnvelope(106.6, 26.5, 106.7, 26.6, 4326)))
            returning id
            """, connection, transaction);
        var id = (long)(await command.ExecuteScalarAsync())!;
        await using var update = new NpgsqlCommand("update districts set name = '改名区' where id = @id", connection, transaction);
        update.Parameters.AddWithValue("id", id);
        await using var delete = new NpgsqlCommand("delete from districts where id = @id", connection, transaction);
        delete.Parameters.AddWithValue("id", id);

        Assert.Equal(1, await update.ExecuteNonQueryAsync());
        Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        await transaction.RollbackAsync();
    }
}
