using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Map;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class SpatialReadsTests(PilotMapFixture app)
{
    // No connection of the app compiles tile queries with JIT (PostGIS prices its functions so high
    // that nearly every tile would compile).
    [Fact]
    public async Task NoAppConnectionUsesJit()
    {
        var spatial = app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        var general = app.Services.GetRequiredService<NpgsqlDataSource>();
        foreach (var dataSource in new[] { spatial, general })
        {
            await using var command = dataSource.CreateCommand("show jit");
            Assert.Equal("off", await command.ExecuteScalarAsync());
        }
    }

    // A tile's statement is prepared on its connection after a few runs (no parse per tile), yet every
    // run is planned for its own tile: a generic plan cannot see the tile, and at city scale made a
    // z17 cases tile 50 ms instead of 3.
    [Fact]
    public async Task ATileStatementRunOftenIsPreparedButPlannedForItsTileEveryTime()
    {
        var spatial = app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        await using var connection = await spatial.OpenConnectionAsync();
        // The pilot's tiles are too small for PostgreSQL to choose a generic plan on its own; at city
        // scale it does, so the setting itself is checked too.
        await using (var mode = new NpgsqlCommand("show plan_cache_mode", connection))
        {
            Assert.Equal("force_custom_plan", await mode.ExecuteScalarAsync());
        }
        // Other tests may have run cases tiles on this pooled connection before: what counts is what
        // these runs add.
        var before = await CasesTilePlansAsync(connection);
        const int runs = 20;
        for (var run = 0; run < runs; run++)
        {
            // The endpoint's statement, run on one connection so that its prepared statement can be read.
            await using var endpointStatement = VectorTileLayers.Cases.CreateCommand(spatial, PilotMapFixture.GaichaTile(17),
                new CallerScope(ScopeKind.Admin), TileParameters.None);
            await using var tile = new NpgsqlCommand(endpointStatement.CommandText, connection);
            foreach (NpgsqlParameter parameter in endpointStatement.Parameters) tile.Parameters.Add(parameter.Clone());
            Assert.NotNull(await tile.ExecuteScalarAsync());
        }
        var after = await CasesTilePlansAsync(connection);

        Assert.True(after.Statements > 0, "the cases tile statement was never prepared");
        Assert.Equal(0L, after.Generic);
        // Npgsql prepares a statement at its fifth use; every run after that is a custom plan.
        Assert.InRange(after.Custom - before.Custom, runs - 5, runs);
    }

    private static async Task<(long Statements, long Generic, long Custom)> CasesTilePlansAsync(NpgsqlConnection connection)
    {
        await using var plans = new NpgsqlCommand("""
            select count(*), coalesce(sum(generic_plans), 0)::bigint, coalesce(sum(custom_plans), 0)::bigint
            from pg_prepared_statements where statement like '%ST_AsMVT(features, ''cases''%'
            """, connection);
        await using var reader = await plans.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    // Parallel plans cost the map's reads more than they gain on two cores (a Gather of footprints);
    // the statistics pages and exports, on the general source, may still use them.
    [Fact]
    public async Task MapReadsArePlannedWithoutParallelWorkersAndOtherStatementsKeepThem()
    {
        var spatial = app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        var general = app.Services.GetRequiredService<NpgsqlDataSource>();

        await using var spatialSetting = spatial.CreateCommand("show max_parallel_workers_per_gather");
        await using var generalSetting = general.CreateCommand("show max_parallel_workers_per_gather");
        Assert.Equal("0", await spatialSetting.ExecuteScalarAsync());
        Assert.NotEqual("0", await generalSetting.ExecuteScalarAsync());
    }

    // The work is CPU-bound: map reads get two connections per core, everything else four; requests
    // beyond wait for a connection rather than take turns inside PostgreSQL.
    [Fact]
    public void TheAppOpensAtMostTwoConnectionsPerCoreForMapReadsAndFourForTheRestUnlessConfigured()
    {
        var spatial = app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        var general = app.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(2 * Environment.ProcessorCount, new NpgsqlConnectionStringBuilder(spatial.ConnectionString).MaxPoolSize);
        Assert.Equal(4 * Environment.ProcessorCount, new NpgsqlConnectionStringBuilder(general.ConnectionString).MaxPoolSize);

        var configured = app.WithWebHostBuilder(b => b
            .UseSetting("Database:SpatialReadConnections", "3").UseSetting("Database:Connections", "5"));
        Assert.Equal(3, new NpgsqlConnectionStringBuilder(
            configured.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads).ConnectionString).MaxPoolSize);
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(
            configured.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Database:SpatialReadConnections")]
    [InlineData("Database:Connections")]
    public void TheAppRefusesToStartWithoutAConnectionToUse(string setting)
    {
        var none = app.WithWebHostBuilder(b => b.UseSetting(setting, "0"));
        var error = Assert.ThrowsAny<Exception>(() => none.CreateClient());
        Assert.Contains($"{setting} must be at least 1", error.ToString());
    }
}
