using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class SpatialReadsTests(PilotMapFixture app)
{
    // The map's spatial reads must be planned with their values every time (a prepared statement's
    // generic plan cannot see the tile), while the app's other statements stay auto-prepared; and
    // no connection of the app compiles tile queries with JIT.
    [Fact]
    public async Task MapReadsAreNeverPreparedAndNoAppConnectionUsesJit()
    {
        var spatial = app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServices.SpatialReads);
        var general = app.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(spatial.ConnectionString).MaxAutoPrepare);
        Assert.True(new NpgsqlConnectionStringBuilder(general.ConnectionString).MaxAutoPrepare > 0);
        foreach (var dataSource in new[] { spatial, general })
        {
            await using var command = dataSource.CreateCommand("show jit");
            Assert.Equal("off", await command.ExecuteScalarAsync());
        }
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
}
