using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using SmartDoorplate.Map;

namespace SmartDoorplate.Web.Tests.Map;

// The `hotspots` tile layer draws one stored Gi* run (hotspot_runs / hotspot_cells) of /api/hotspots.
[Collection(PilotMapCollection.Name)]
public sealed class HotspotTileTests(PilotMapFixture app)
{
    // Two years around the plates date at 100 m: the generated hot spots of the pilot stand out.
    private const string TwoYears = "cellSize=100&from=2024-11-01&to=2026-10-31";

    private async Task<JsonElement> RunAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/hotspots?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long RunId(JsonElement result) => result.GetProperty("run").GetProperty("id").GetInt64();

    // The centre of the run's hottest cell, found beside the app.
    private async Task<(double Lon, double Lat)> HottestCellAsync(long run)
    {
        var centre = await app.ScalarAsync<string>($"""
            select ST_X(ST_Centroid(geometry))::text || ' ' || ST_Y(ST_Centroid(geometry))::text
            from hotspot_cells where run_id = {run} and class = 'hot_99' order by z desc limit 1
            """);
        var parts = centre.Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AHotspotsTileOverThePilotsHotAreaHoldsTheRunsHotCellsWithTheirStatistics()
    {
        var run = RunId(await RunAsync(app.Gaicha, TwoYears + "&features=false"));
        var (lon, lat) = await HottestCellAsync(run);
        var tile = TileAddress.Containing(lon, lat, 15);

        var response = await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("hotspots", tile, $"?run={run}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RenderedTile.ContentType, response.Content.Headers.ContentType?.MediaType);
        var info = await Ogr.ReadTileAsync(await response.Content.ReadAsByteArrayAsync(), tile);
        Assert.Contains("Layer name: hotspots", info);
        Assert.All(new[] { "z (Real", "p (Real", "class (String) = ", "count (Real", "residents (Real", "POLYGON ((" }, text => Assert.Contains(text, info));
        var classes = Regex.Matches(info, @"class \(String\) = (\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("hot_99", classes);
        Assert.True(classes.Contains("hot_95") || classes.Contains("hot_90"), string.Join(",", classes));
        // The tile's cells are the run's: its hottest z-score is in it.
        var hottest = await app.ScalarAsync<double>($"select max(z) from hotspot_cells where run_id = {run}");
        var zs = Regex.Matches(info, @"\bz \(Real\) = ([-\d.eE+]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(zs, z => Math.Abs(z - hottest) < 1e-9);
    }

    [Fact]
    public async Task AHotspotsTileCarriesAnETagAndAnsweringWithItGivesNotModified()
    {
        var run = RunId(await RunAsync(app.Gaicha, TwoYears + "&features=false"));
        var url = PilotMapFixture.TileUrl("hotspots", PilotMapFixture.GaichaTile(14), $"?run={run}");
        var first = await app.Gaicha.GetAsync(url);

        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await app.Gaicha.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task AnOfficerOfAnotherStationCannotReadAPilotRunAsTilesCellsOrBuildings()
    {
        var run = RunId(await RunAsync(app.Gaicha, TwoYears + "&features=false"));
        var tile = PilotMapFixture.TileUrl("hotspots", PilotMapFixture.GaichaTile(14), $"?run={run}");

        Assert.Equal(HttpStatusCode.OK, (await app.Admin.GetAsync(tile)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.GetAsync(tile)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.GetAsync($"/api/hotspots/runs/{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.GetAsync($"/api/hotspots/runs/{run}/buildings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("hotspots", PilotMapFixture.GaichaTile(14), "?run=999999999"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("hotspots", PilotMapFixture.GaichaTile(14), "?run=1;drop"))).StatusCode);
    }

    [Fact]
    public async Task TheParametersStoredWithTheRunAreThoseReturnedAutomaticOnesIncluded()
    {
        // Nothing but the cell size given: band, dates, types and minimum residents are chosen by the app.
        var result = await RunAsync(app.Gaicha, "cellSize=120");
        var run = RunId(result);

        var stored = JsonNode.Parse(await app.ScalarAsync<string>($"select parameters::text from hotspot_runs where id = {run}"));
        var returned = JsonNode.Parse(result.GetProperty("parameters").GetRawText());
        var again = JsonNode.Parse((await app.Gaicha.GetFromJsonAsync<JsonElement>($"/api/hotspots/runs/{run}")).GetProperty("parameters").GetRawText());

        Assert.True(JsonNode.DeepEquals(stored, returned), $"stored {stored} returned {returned}");
        Assert.True(JsonNode.DeepEquals(stored, again));
        Assert.Equal(180, stored!["band"]!.GetValue<double>());
        Assert.True(stored["bandIsDefault"]!.GetValue<bool>());
        Assert.Equal(20, stored["minResidents"]!.GetValue<int>());
        Assert.Equal(["burglary", "robbery", "snatching", "theft"], stored["types"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", stored["from"]!.GetValue<string>());
        Assert.Equal(result.GetProperty("features").GetArrayLength(), stored["cells"]!.GetValue<int>());
        Assert.Equal(stored["cells"]!.GetValue<int>(), await app.ScalarAsync<long>($"select count(*) from hotspot_cells where run_id = {run}"));
        Assert.Equal("station:", (await app.ScalarAsync<string>($"select area_key from hotspot_runs where id = {run}"))[..8]);
    }

    [Fact]
    public async Task AnUnchangedSecondRequestReusesTheRunAndAChangedCaseMakesANewOne()
    {
        const string query = "cellSize=140&from=2025-01-01&to=2025-12-31&features=false";
        var first = await RunAsync(app.Gaicha, query);
        var second = await RunAsync(app.Gaicha, query);
        // Touching a case of the area (a new row version) changes the data stamp.
        await app.ScalarAsync<int>("""
            with touched as (update cases set summary = summary
                             where id = (select c.id from cases c join community_grids g on g.id = c.grid_id
                                         join police_stations s on s.id = g.station_id where s.code = 'QL-GC' order by c.id limit 1)
                             returning 1)
            select count(*)::int from touched
            """);
        var third = await RunAsync(app.Gaicha, query);

        Assert.Equal(RunId(first), RunId(second));
        Assert.True(second.GetProperty("run").GetProperty("reused").GetBoolean());
        Assert.NotEqual(RunId(first), RunId(third));
        Assert.False(third.GetProperty("run").GetProperty("reused").GetBoolean());
        // The old run stays: it is the record of what was shown.
        Assert.Equal(1, await app.ScalarAsync<long>($"select count(*) from hotspot_runs where id = {RunId(first)}"));
    }

    [Fact]
    public async Task StoredRunsAreARecordTheAppMayNeitherChangeNorRemove()
    {
        var run = RunId(await RunAsync(app.Gaicha, TwoYears + "&features=false"));
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();

        foreach (var sql in new[] { $"update hotspot_runs set parameters = '{{}}' where id = {run}", $"delete from hotspot_cells where run_id = {run}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task TheBuildingsOfARunsHotCellsAreExactlyThoseWhoseEntranceLiesInOne()
    {
        var run = RunId(await RunAsync(app.Gaicha, TwoYears + "&features=false"));
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from hotspot_cells c join buildings b on ST_Intersects(b.entrance, c.geometry)
            join community_grids g on g.id = b.grid_id join police_stations s on s.id = g.station_id
            where c.run_id = {run} and c.class like 'hot%' and s.code = 'QL-GC'
            """);

        var result = await app.Gaicha.GetFromJsonAsync<JsonElement>($"/api/hotspots/runs/{run}/buildings");

        var buildings = result.GetProperty("buildings").EnumerateArray().ToList();
        Assert.True(expected > 0);
        Assert.Equal(expected, buildings.Count);
        Assert.All(buildings, b => Assert.StartsWith("hot_", b.GetProperty("class").GetString()));
        Assert.All(buildings, b => Assert.StartsWith("GC-", b.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task TheBeforeAfterViewStoresThreeRunsAndItsChangeTileShowsWhereCasesFell()
    {
        var result = await app.Gaicha.GetFromJsonAsync<JsonElement>("/api/hotspots/change?cellSize=100");
        var before = RunId(result.GetProperty("before"));
        var after = RunId(result.GetProperty("after"));
        var change = RunId(result);

        Assert.Equal(3, new[] { before, after, change }.Distinct().Count());
        Assert.Equal("change", result.GetProperty("run").GetProperty("kind").GetString());
        var feature = result.GetProperty("features")[0].GetProperty("properties");
        Assert.Equal(feature.GetProperty("after").GetDouble() - feature.GetProperty("before").GetDouble(), feature.GetProperty("difference").GetDouble());
        // The pilot's cases fell after the plates: some cells are a significant cluster of falls.
        var fallen = await app.ScalarAsync<long>($"select count(*) from hotspot_cells where run_id = {change} and class like 'cold%'");
        Assert.True(fallen > 0);
        var (lon, lat) = await HottestCellAsync(before);
        var tile = TileAddress.Containing(lon, lat, 14);
        var response = await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("hotspots", tile, $"?run={change}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = await Ogr.ReadTileAsync(await response.Content.ReadAsByteArrayAsync(), tile);
        Assert.Contains("before (Real", info);
        Assert.Contains("after (Real", info);
    }
}
