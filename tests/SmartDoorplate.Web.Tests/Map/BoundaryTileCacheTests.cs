using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Map;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Map;

// Boundaries tiles are kept in memory (Map/BoundaryTileCache) until PostgreSQL says the outlines
// changed. Changes are made here as an import in another process makes them: by SQL on a connection
// of their own, never through the app.
public sealed class BoundaryTileCacheTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    // TestWorld: station T-A (测试甲派出所) west of 106.70, T-B (测试乙派出所) east of it.
    private static readonly TileAddress StationATile = TileAddress.Containing(106.65, 26.62, 14);
    private static readonly TileAddress BothStationsTile = TileAddress.Containing(106.70, 26.62, 12);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AKeptTileIsServedUntilPostgreSqlSaysTheOutlinesChanged()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        await FollowingAsync(app);
        var first = await TileAsync(officer, StationATile);
        Assert.Contains("name (String) = 测试甲派出所", await Ogr.ReadTileAsync(first, StationATile));
        try
        {
            // Renamed without a notice: the kept tile is still served.
            await OwnerWithoutNoticeAsync("update police_stations set name = '测试甲派出所（未通知）' where code = 'T-A'");
            Assert.Equal(first, await TileAsync(officer, StationATile));

            await app.OwnerExecuteAsync("update police_stations set name = '测试甲派出所（已改名）' where code = 'T-A'");
            var renamed = await EventuallyAsync(officer, StationATile, text => text.Contains("name (String) = 测试甲派出所（已改名）"));
            Assert.Contains("name (String) = 测试甲派出所（已改名）", renamed);
        }
        finally
        {
            await app.OwnerExecuteAsync("update police_stations set name = '测试甲派出所' where code = 'T-A'");
        }
    }

    [Fact]
    public async Task ATileKeptForOneScopeIsNeverServedToAnother()
    {
        var admin = await app.SignedInClientAsync("t.admin");
        var officerA = await app.SignedInClientAsync("t.officer.a");
        var officerB = await app.SignedInClientAsync("t.officer.b");
        await FollowingAsync(app);

        // Twice each, in turns: the second round is served from memory.
        for (var round = 0; round < 2; round++)
        {
            var all = await Ogr.ReadTileAsync(await TileAsync(admin, BothStationsTile), BothStationsTile);
            var a = await Ogr.ReadTileAsync(await TileAsync(officerA, BothStationsTile), BothStationsTile);
            var b = await Ogr.ReadTileAsync(await TileAsync(officerB, BothStationsTile), BothStationsTile);

            Assert.Contains("code (String) = T-A", all);
            Assert.Contains("code (String) = T-B", all);
            Assert.Contains("kind (String) = district", all);
            Assert.Contains("code (String) = T-A", a);
            Assert.DoesNotContain("code (String) = T-B", a);
            Assert.DoesNotContain("kind (String) = district", a);
            Assert.Contains("code (String) = T-B", b);
            Assert.DoesNotContain("code (String) = T-A", b);
        }
        Assert.True(app.Services.GetRequiredService<BoundaryTileCache>().Count >= 3);
    }

    [Fact]
    public async Task ChangesMadeWhileTheListenerWasCutOffAreNotHiddenByKeptTiles()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        await FollowingAsync(app);
        await TileAsync(officer, StationATile);
        try
        {
            await app.OwnerExecuteAsync($"select pg_terminate_backend(pid) from pg_stat_activity where application_name = '{SmartDoorplate.Data.DatabaseNoticeListener.ApplicationName}' and datname = current_database()");
            // No notice at all: only dropping what was kept when the connection was lost can show it.
            await OwnerWithoutNoticeAsync("update police_stations set name = '测试甲派出所（断线时改）' where code = 'T-A'");

            var renamed = await EventuallyAsync(officer, StationATile, text => text.Contains("name (String) = 测试甲派出所（断线时改）"));
            Assert.Contains("name (String) = 测试甲派出所（断线时改）", renamed);

            // Listening again, it follows notices as before.
            await FollowingAsync(app);
            await TileAsync(officer, StationATile);
            await app.OwnerExecuteAsync("update police_stations set name = '测试甲派出所（重连后改）' where code = 'T-A'");
            Assert.Contains("name (String) = 测试甲派出所（重连后改）",
                await EventuallyAsync(officer, StationATile, text => text.Contains("name (String) = 测试甲派出所（重连后改）")));
        }
        finally
        {
            await app.OwnerExecuteAsync("update police_stations set name = '测试甲派出所' where code = 'T-A'");
        }
    }

    [Fact]
    public async Task WithTheCacheOffEveryTileIsRendered()
    {
        using var uncached = app.WithWebHostBuilder(b => b.UseSetting("Map:BoundaryTileCache:SizeMegabytes", "0"));
        var officer = await uncached.SignedInClientAsync("t.officer.a");
        var cache = uncached.Services.GetRequiredService<BoundaryTileCache>();
        await TileAsync(officer, StationATile);
        try
        {
            await OwnerWithoutNoticeAsync("update police_stations set name = '测试甲派出所（无缓存）' where code = 'T-A'");

            Assert.Contains("name (String) = 测试甲派出所（无缓存）", await Ogr.ReadTileAsync(await TileAsync(officer, StationATile), StationATile));
            Assert.False(cache.Enabled);
            Assert.Equal(0, cache.Count);
        }
        finally
        {
            await app.OwnerExecuteAsync("update police_stations set name = '测试甲派出所' where code = 'T-A'");
        }
    }

    [Theory]
    [InlineData("districts")]
    [InlineData("police_stations")]
    [InlineData("community_grids")]
    public async Task AWriteToAnOutlineTableNotifiesWhenItCommitsAndARolledBackOneNever(string table)
    {
        await using var listener = new NpgsqlConnection(app.OwnerConnectionString);
        await listener.OpenAsync();
        var notices = new List<string>();
        listener.Notification += (_, e) => { if (e.Channel == BoundaryTileCache.ChangeChannel) notices.Add(e.Payload); };
        await using (var listen = new NpgsqlCommand($"listen {BoundaryTileCache.ChangeChannel}", listener)) await listen.ExecuteNonQueryAsync();

        // A statement that writes no row still says the table may have changed.
        await app.OwnerExecuteAsync($"begin; update {table} set name = name where false; rollback");
        await app.OwnerExecuteAsync($"begin; update {table} set name = name where false; update {table} set name = name where false; commit");
        while (await listener.WaitAsync(TimeSpan.FromSeconds(1))) { }

        Assert.Equal([table], notices);
    }

    private static async Task<byte[]> TileAsync(HttpClient client, TileAddress tile)
    {
        var response = await client.GetAsync(PilotMapFixture.TileUrl("boundaries", tile));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    // The tile's ogrinfo text once it satisfies the condition, or the last one after Patience.
    private static async Task<string> EventuallyAsync(HttpClient client, TileAddress tile, Func<string, bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var text = await Ogr.ReadTileAsync(await TileAsync(client, tile), tile);
            if (condition(text) || DateTime.UtcNow > until) return text;
            await Task.Delay(100);
        }
    }

    // The listener connects when the host starts (and again after a loss): until then nothing is kept.
    private static async Task FollowingAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory)
    {
        var cache = factory.Services.GetRequiredService<BoundaryTileCache>();
        var until = DateTime.UtcNow + Patience;
        while (!cache.Following && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(cache.Following, "the boundary change listener did not start listening");
    }

    // Triggers off for the transaction (session_replication_role): the change sends no notice.
    private Task OwnerWithoutNoticeAsync(string sql) =>
        app.OwnerExecuteAsync($"begin; set local session_replication_role = replica; {sql}; commit");
}
