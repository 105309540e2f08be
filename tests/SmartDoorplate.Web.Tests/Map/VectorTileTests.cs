using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Map;

using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class VectorTileTests(PilotMapFixture app)
{
    public static TheoryData<string, int, string[]> Layers => new()
    {
        { "boundaries", 14, ["kind (String) = station", "kind (String) = grid", "code (String) = QL-GC", "name (String) = 黔灵派出所改茶警务区"] },
        { "buildings", 16, ["id (Integer", "code (String) = GC-", "address (String) = 云岩区黔灵镇改茶村", "residents (Integer", "floating (Integer", "pending (Integer", "POLYGON (("] },
        { "population", 14, ["kind (String) = cell", "residents (Integer", "floating (Integer", "buildings (Integer", "POLYGON (("] },
        { "population", 16, ["kind (String) = building", "id (Integer", "residents (Integer", "floating (Integer", "POINT ("] },
        { "cases", 16, ["kind (String) = case", "id (Integer", "caseNumber (String) = A5201", "type (String) = ", "status (String) = ", "occurredAt (String) = 20", "POINT ("] },
        { "cases", 13, ["kind (String) = cell", "count (Integer", "open (Integer", "POINT ("] },
        { "cases", 15, ["kind (String) = cell", "count (Integer", "open (Integer", "POINT ("] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task EachLayerIsAVectorTileThatGdalReadsWithItsAttributes(string layer, int zoom, string[] expected)
    {
        var tile = PilotMapFixture.GaichaTile(zoom);

        var response = await app.Gaicha.GetAsync(PilotMapFixture.TileUrl(layer, tile));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RenderedTile.ContentType, response.Content.Headers.ContentType?.MediaType);
        var info = await Ogr.ReadTileAsync(await response.Content.ReadAsByteArrayAsync(), tile);
        Assert.Contains($"Layer name: {layer}", info);
        Assert.All(expected, text => Assert.Contains(text, info));
    }

    // The map draws no addresses (a click opens the panel, which has it): below z16 they would only be
    // the bulk of a dense tile's bytes.
    [Fact]
    public async Task BuildingTilesCarryAddressesFromZoom16OnOnly()
    {
        var below = PilotMapFixture.GaichaTile(BuildingsTileLayer.AddressesFromZoom - 1);
        var from = PilotMapFixture.GaichaTile(BuildingsTileLayer.AddressesFromZoom);

        var withoutAddress = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("buildings", below)), below);
        var withAddress = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("buildings", from)), from);

        Assert.Contains("code (String) = GC-", withoutAddress);
        Assert.Contains("residents (Integer", withoutAddress);
        Assert.DoesNotContain("address (String)", withoutAddress);
        Assert.Contains("address (String) = 云岩区黔灵镇改茶村", withAddress);
    }

    [Fact]
    public async Task TheBuildingsTileHoldsExactlyTheBuildingsOfTheTileWithTheirCurrentResidents()
    {
        var tile = PilotMapFixture.GaichaTile(16);
        var info = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("buildings", tile)), tile);
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from buildings b
            where b.footprint && ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}, margin => 64.0 / 4096), 4326)
            """);
        var busiest = await app.ScalarAsync<string>($"""
            select b.code || ' ' || count(*) from buildings b join residence_registrations r on r.building_id = b.id
            where b.footprint && ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326)
              and r.status in ('confirmed', 'verified') and r.move_out_date is null
            group by b.code order by count(*) desc, b.code limit 1
            """);
        var code = busiest.Split(' ')[0];
        var residents = busiest.Split(' ')[1];

        Assert.True(expected > 0);
        Assert.Equal(expected, info.Split("OGRFeature(buildings)").Length - 1);
        Assert.Matches($@"code \(String\) = {code}\s+address \(String\) = [^\n]+\s+residents \(Integer[^)]*\) = {residents}\b", info);
    }

    [Fact]
    public async Task CaseTilesFollowTheDateRangeAndTypeFilter()
    {
        var tile = PilotMapFixture.GaichaTile(16);

        var all = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("cases", tile)), tile);
        var filtered = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(
            PilotMapFixture.TileUrl("cases", tile, "?from=2026-01-01&to=2026-03-31&types=theft,burglary")), tile);

        Assert.Contains("type (String) = fraud", all);
        var types = System.Text.RegularExpressions.Regex.Matches(filtered, @"type \(String\) = (\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var dates = System.Text.RegularExpressions.Regex.Matches(filtered, @"occurredAt \(String\) = (\S+)").Select(m => DateTimeOffset.Parse(m.Groups[1].Value)).ToList();
        Assert.Subset(new HashSet<string> { "theft", "burglary" }, types);
        Assert.NotEmpty(dates);
        Assert.All(dates, d => Assert.InRange(d, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8))));
    }

    [Fact]
    public async Task CaseCellsCountTheFilteredCasesOfTheTile()
    {
        var tile = PilotMapFixture.GaichaTile(13);
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from cases c join community_grids g on g.id = c.grid_id join police_stations s on s.id = g.station_id
            where c.location && ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326) and s.code = 'QL-GC'
              and c.type in ('theft', 'burglary') and c.occurred_at >= '2025-07-01T00:00:00+08:00' and c.occurred_at < '2026-07-01T00:00:00+08:00'
            """);

        var info = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(
            PilotMapFixture.TileUrl("cases", tile, "?from=2025-07-01&to=2026-06-30&types=theft,burglary")), tile);
        var counts = System.Text.RegularExpressions.Regex.Matches(info, @"count \(Integer[^)]*\) = (\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToList();

        Assert.True(expected > 50);
        Assert.True(counts.Count > 1, "several cells");
        Assert.Equal(expected, counts.Sum());
    }

    // The cells come from the stored zoom-20 keys (MercatorCells): the same cells as transforming and
    // flooring each case in PostGIS, each drawn at its centre (GDAL gives EPSG:3857 metres; a z13 tile
    // unit is 1.2 m).
    [Fact]
    public async Task CaseCellsAreDrawnAtTheCentresOfTheCellsTheirCasesLieIn()
    {
        var tile = PilotMapFixture.GaichaTile(13);
        var cell = CellTileLayer.CellMetres(tile);
        var expected = await app.RowsAsync(FormattableString.Invariant($"""
            select (floor((ST_X(m) + {TileAddress.MercatorHalfWidth}) / {cell}) + 0.5) * {cell} - {TileAddress.MercatorHalfWidth},
                   {TileAddress.MercatorHalfWidth} - (floor(({TileAddress.MercatorHalfWidth} - ST_Y(m)) / {cell}) + 0.5) * {cell}, count(*)::float8
            from (select ST_Transform(c.location, 3857) as m from cases c
                  join community_grids g on g.id = c.grid_id join police_stations s on s.id = g.station_id
                  where c.location && ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326) and s.code = 'QL-GC') cases
            group by 1, 2
            """));

        var info = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("cases", tile)), tile);
        var drawn = info.Split("OGRFeature(cases)").Skip(1).Select(feature => (
            Point: System.Text.RegularExpressions.Regex.Match(feature, @"POINT \(([-\d.]+) ([-\d.]+)\)"),
            Count: double.Parse(System.Text.RegularExpressions.Regex.Match(feature, @"count \(Integer[^)]*\) = (\d+)").Groups[1].Value, CultureInfo.InvariantCulture)))
            .Select(f => (X: double.Parse(f.Point.Groups[1].Value, CultureInfo.InvariantCulture), Y: double.Parse(f.Point.Groups[2].Value, CultureInfo.InvariantCulture), f.Count))
            .ToList();

        Assert.True(expected.Count > 3, "several cells");
        Assert.Equal(expected.Count, drawn.Count);
        foreach (var row in expected)
        {
            var (x, y, count) = (row[0], row[1], row[2]);
            Assert.Contains(drawn, d => Math.Abs(d.X - x) < 2 && Math.Abs(d.Y - y) < 2 && d.Count == count);
        }
    }

    [Fact]
    public async Task PopulationCellsHoldTheCurrentResidentsOfTheBuildingsWhoseEntranceIsInTheTile()
    {
        var tile = PilotMapFixture.GaichaTile(14);
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from residence_registrations r join buildings b on b.id = r.building_id
            join community_grids g on g.id = b.grid_id join police_stations s on s.id = g.station_id
            where b.entrance && ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326) and s.code = 'QL-GC'
              and r.status in ('confirmed', 'verified') and r.move_out_date is null
            """);

        var info = await Ogr.ReadTileAsync(await app.Gaicha.GetByteArrayAsync(PilotMapFixture.TileUrl("population", tile)), tile);
        var residents = System.Text.RegularExpressions.Regex.Matches(info, @"residents \(Integer[^)]*\) = (\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToList();

        Assert.True(expected > 50);
        Assert.True(residents.Count > 1, "several cells");
        Assert.Equal(expected, residents.Sum());
    }

    // The legend tells the officer at which zoom cells turn into points, from the same constants the
    // tiles obey (it said 15 for cases after they moved to 16).
    [Fact]
    public async Task TheMapLegendGivesTheZoomsTheTilesUse()
    {
        var officer = app.CreateClient();
        (await officer.PostAsJsonAsync("/api/auth/login", new { username = "police.gaicha", password = PilotMapFixture.Password })).EnsureSuccessStatusCode();

        var page = await officer.GetStringAsync("/police/map");

        Assert.Contains($"案件（低于 {VectorTileLayers.Cases.PointsFromZoom} 级时按网格计数）", page);
        Assert.Contains($"低于 {VectorTileLayers.Population.PointsFromZoom} 级时按网格", page);
        Assert.Contains($"楼栋自 {VectorTileLayers.Buildings.MinZoom} 级起显示", page);
    }

    // MercatorCells.KeyOf in C# and mercator_cell_key in PostgreSQL (the generated columns) must agree.
    [Fact]
    public async Task TheDatabaseStoresTheCellKeyThatMercatorCellsComputes()
    {
        var rows = await app.RowsAsync("""
            select ST_X(location), ST_Y(location), location_cell::float8 from cases
            union all select ST_X(entrance), ST_Y(entrance), entrance_cell::float8 from buildings
            """);

        Assert.True(rows.Count > 100);
        Assert.All(rows, row => Assert.Equal(Analytics.Geodesy.MercatorCells.KeyOf(row[0], row[1]), (long)row[2]));
    }

    [Theory]
    [InlineData("boundaries")]
    [InlineData("buildings")]
    [InlineData("population")]
    [InlineData("cases")]
    public async Task AnOfficerOfTheOtherStationGetsNoContentForThePilotArea(string layer)
    {
        foreach (var zoom in new[] { 15, 16 })
        {
            var tile = PilotMapFixture.GaichaTile(zoom);
            Assert.Equal(HttpStatusCode.OK, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl(layer, tile))).StatusCode);

            var response = await app.Other.GetAsync(PilotMapFixture.TileUrl(layer, tile));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task TheAdminSeesBothStationsAndEachOfficerOnlyTheirOwn()
    {
        // A z14 tile that covers the east of QL-GC and QL-XH.
        var tile = TileAddress.Containing(106.692, 26.61, 14);

        async Task<string> CodesAsync(HttpClient client) =>
            await Ogr.ReadTileAsync(await client.GetByteArrayAsync(PilotMapFixture.TileUrl("buildings", tile)), tile);

        var admin = await CodesAsync(app.Admin);
        var gaicha = await CodesAsync(app.Gaicha);
        var other = await CodesAsync(app.Other);

        Assert.Contains("code (String) = GC-", admin);
        Assert.Contains("code (String) = XH-", admin);
        Assert.Contains("code (String) = GC-", gaicha);
        Assert.DoesNotContain("code (String) = XH-", gaicha);
        Assert.Contains("code (String) = XH-", other);
        Assert.DoesNotContain("code (String) = GC-", other);
    }

    [Theory]
    [InlineData("/api/map/tiles/streets/14/13046/6934.mvt", "layer")]
    [InlineData("/api/map/tiles/Buildings/14/13046/6934.mvt", "layer")]
    [InlineData("/api/map/tiles/buildings/23/0/0.mvt", "z")]
    [InlineData("/api/map/tiles/buildings/-1/0/0.mvt", "z")]
    [InlineData("/api/map/tiles/buildings/abc/0/0.mvt", "z")]
    [InlineData("/api/map/tiles/buildings/2/4/0.mvt", "x")]
    [InlineData("/api/map/tiles/buildings/2/0/4.mvt", "y")]
    [InlineData("/api/map/tiles/buildings/14/13046/-5.mvt", "y")]
    [InlineData("/api/map/tiles/buildings/14/1e3/6934.mvt", "x")]
    [InlineData("/api/map/tiles/cases/14/13046/6934.mvt?from=2026-02-30", "from")]
    [InlineData("/api/map/tiles/cases/14/13046/6934.mvt?from=2026-03-01&to=2026-02-01", "to")]
    [InlineData("/api/map/tiles/cases/14/13046/6934.mvt?types=theft,arson", "types")]
    [InlineData("/api/map/tiles/cases/14/13046/6934.mvt?types=theft';drop table cases;--", "types")]
    [InlineData("/api/map/tiles/hotspots/14/13046/6934.mvt?run=abc", "run")]
    [InlineData("/api/map/tiles/hotspots/14/13046/6934.mvt?run=-3", "run")]
    public async Task BadTileRequestsAreProblemDetailsNamingTheField(string url, string field)
    {
        var response = await app.Gaicha.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(" / ", problem.RootElement.GetProperty("title").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task ATileCarriesAnETagAndAnsweringWithItGivesNotModified()
    {
        var url = PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(16));
        var first = await app.Gaicha.GetAsync(url);
        var etag = first.Headers.ETag;

        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag!);
        var second = await app.Gaicha.SendAsync(again);
        var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef\""));
        var third = await app.Gaicha.SendAsync(stale);

        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl is { Private: true, MaxAge.TotalSeconds: 60 }, $"Cache-Control: {first.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await third.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TinyZoomsHoldNoFootprintsNorHotspotCells()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("hotspots", PilotMapFixture.GaichaTile(VectorTileLayers.Hotspots.MinZoom - 1)))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(VectorTileLayers.Buildings.MinZoom - 1)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Gaicha.GetAsync(PilotMapFixture.TileUrl("boundaries", PilotMapFixture.GaichaTile(3)))).StatusCode);
    }

    [Fact]
    public async Task TilesAreForPoliceAndAdminsOnly()
    {
        var url = PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(16));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Landlord.GetAsync(url)).StatusCode);
    }

    // With sequential scans priced out, a plan that still reads a whole table means the tile's filter
    // cannot use the index at all (on tables this small the planner may prefer a scan anyway): the
    // GiST index for footprints and points, the cell-key index for the cells below zoom 15.
    // As an admin, so that the tile is the only restriction: for a station the planner may rightly
    // start from the station's grids instead.
    [Theory]
    [InlineData("boundaries", 14, "ix_community_grids_boundary")]
    [InlineData("buildings", 14, "ix_buildings_footprint")]
    [InlineData("buildings", 16, "ix_buildings_footprint")]
    [InlineData("population", 14, "ix_buildings_entrance_cell")]
    [InlineData("population", 14, "ix_building_counts_entrance_cell")]
    [InlineData("population", 16, "ix_buildings_entrance")]
    [InlineData("cases", 15, "ix_cases_location_cell")]
    [InlineData("cases", 16, "ix_cases_location")]
    public async Task EveryLayerFindsItsRowsThroughItsIndex(string layer, int zoom, string index)
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var scope = new CallerScope(ScopeKind.Admin, 1);
        await using var tileCommand = VectorTileLayers.ByName[layer].CreateCommand(dataSource, PilotMapFixture.GaichaTile(zoom), scope, TileParameters.None);
        var plan = await QueryPlans.IndexedPlanAsync(dataSource, tileCommand);

        Assert.True(plan.Any(line => line.Contains(index)), string.Join(Environment.NewLine, plan));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on buildings") || line.Contains("Seq Scan on cases")
            || line.Contains("Seq Scan on building_counts"));
    }
}
