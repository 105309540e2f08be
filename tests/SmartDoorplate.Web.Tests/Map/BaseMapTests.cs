using System.Net;
using System.Text.Json;
using SmartDoorplate.Map;
using SmartDoorplate.Web.Tests.Browser;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Map;

// The base layer: the pilot's roads, grid names, landmarks and doorplate numbers, decoded by GDAL.
[Collection(PilotMapCollection.Name)]
public sealed class BaseMapTileTests(PilotMapFixture app)
{
    private async Task<string> DecodedAsync(HttpClient client, TileAddress tile)
    {
        var response = await client.GetAsync(PilotMapFixture.TileUrl("basemap", tile));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Ogr.ReadTileAsync(await response.Content.ReadAsByteArrayAsync(), tile);
    }

    [Fact]
    public async Task AZoom15TileCarriesTheRoadsWithTheirNamesGridNamesAndLandmarksButNoNumbers()
    {
        var tile = PilotMapFixture.GaichaTile(15);

        var info = await DecodedAsync(app.Gaicha, tile);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ArtifactDirectory, $"basemap-{tile.Z}-{tile.X}-{tile.Y}.ogrinfo.txt"), info);

        Assert.Contains("Layer name: basemap", info);
        Assert.Contains("kind (String) = road", info);
        Assert.Contains("name (String) = 改茶路", info);
        Assert.Contains("class (String) = main", info);
        Assert.Contains("class (String) = lane", info);
        Assert.Contains("kind (String) = grid", info);
        Assert.Contains("name (String) = 改茶村第", info);
        Assert.Contains("name (String) = 改茶农贸市场", info);
        Assert.Contains("LINESTRING", info);
        Assert.DoesNotContain("kind (String) = number", info);
    }

    // Every road of the tile, named as the pilot's addresses name them.
    [Fact]
    public async Task TheTilesRoadsAreTheStoredRoadsItCrossesAndEveryLaneIsNamedAsItsAddresses()
    {
        var tile = PilotMapFixture.GaichaTile(15);
        var info = await DecodedAsync(app.Gaicha, tile);
        // At least the roads through the tile itself, at most those through its buffer too.
        var inside = await app.ScalarAsync<long>($"""
            select count(*) from roads r
            where ST_Intersects(r.geometry, ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326))
            """);
        var withBuffer = await app.ScalarAsync<long>($"""
            select count(*) from roads r
            where ST_Intersects(r.geometry, ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}, margin => 64.0 / 4096), 4326))
            """);
        // A main road may have no building of its own; a lane is there because buildings stand on it.
        var unknownNames = await app.ScalarAsync<long>("select count(*) from roads r where r.kind = 'lane' and not exists (select 1 from standard_addresses a where a.road = r.name)");

        var drawn = System.Text.RegularExpressions.Regex.Matches(info, "kind \\(String\\) = road").Count;
        Assert.True(inside > 5, $"only {inside} roads in the tile");
        Assert.InRange(drawn, inside, withBuffer);
        Assert.Equal(0, unknownNames);
    }

    // The pilot's roads are the lines its buildings were numbered along: an officer reading 改茶路十三巷 on
    // a plate finds the lane of that name beside the building.
    [Fact]
    public async Task EveryPilotBuildingStandsBesideTheRoadItsAddressNames()
    {
        var far = await app.ScalarAsync<string>("""
            select count(*) || ' ' || coalesce(min(b.code), '')
            from buildings b join standard_addresses a on a.id = b.address_id
            where not exists (
                select 1 from roads r
                where r.name = a.road and ST_DWithin(r.geometry::geography, b.entrance::geography, 10))
            """);

        Assert.Equal("0 ", far);
    }

    [Fact]
    public async Task Zoom17TilesCarryEachBuildingsDoorplateNumberAndZoom16TilesNone()
    {
        var tile = PilotMapFixture.GaichaTile(BaseMapTileLayer.NumbersFromZoom);
        var info = await DecodedAsync(app.Gaicha, tile);
        var below = PilotMapFixture.GaichaTile(BaseMapTileLayer.NumbersFromZoom - 1);
        var belowInfo = await DecodedAsync(app.Gaicha, below);
        // At least the buildings whose label point is in the tile itself, at most those in its buffer too.
        var inside = await app.ScalarAsync<long>($"""
            select count(*) from buildings b
            where ST_Intersects(ST_PointOnSurface(b.footprint), ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}), 4326))
            """);
        var withBuffer = await app.ScalarAsync<long>($"""
            select count(*) from buildings b
            where ST_Intersects(ST_PointOnSurface(b.footprint), ST_Transform(ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}, margin => 64.0 / 4096), 4326))
            """);

        var drawn = System.Text.RegularExpressions.Regex.Matches(info, "kind \\(String\\) = number").Count;
        Assert.True(inside > 10, $"only {inside} buildings in the tile");
        Assert.InRange(drawn, inside, withBuffer);
        Assert.Matches("name \\(String\\) = \\d+号", info);
        Assert.Contains("code (String) = GC-", info);
        Assert.DoesNotContain("kind (String) = number", belowInfo);
    }

    // Below z15 lanes are a smear: main roads and branches only.
    [Fact]
    public async Task LanesStartAtZoom15()
    {
        var info = await DecodedAsync(app.Gaicha, PilotMapFixture.GaichaTile(BaseMapTileLayer.LanesFromZoom - 1));

        Assert.Contains("class (String) = main", info);
        Assert.DoesNotContain("class (String) = lane", info);
    }

    // Streets are the same for every officer (no scope), but not for landlords or strangers.
    [Fact]
    public async Task TheBaseMapIsTheSameForEveryOfficerAndClosedToOthers()
    {
        var url = PilotMapFixture.TileUrl("basemap", PilotMapFixture.GaichaTile(16));

        var gaicha = await app.Gaicha.GetByteArrayAsync(url);
        var other = await app.Other.GetByteArrayAsync(url);
        var admin = await app.Admin.GetByteArrayAsync(url);

        Assert.Equal(gaicha, other);
        Assert.Equal(gaicha, admin);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Other.GetAsync(PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(16)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Landlord.GetAsync(url)).StatusCode);
    }
}

// The style's base map, the glyphs it names, and the external base map a site may configure.
[Collection(PilotMapCollection.Name)]
public sealed class BaseMapStyleTests(PilotMapFixture app)
{
    private static List<string> LayerIds(JsonDocument style) =>
        [.. style.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()!)];

    [Fact]
    public async Task RoadsAreDrawnUnderTheDataAndTheirLabelsOverItWithTheAppsGlyphs()
    {
        using var style = JsonDocument.Parse(await app.Gaicha.GetStringAsync("/api/map/style.json"));
        var ids = LayerIds(style);

        Assert.EndsWith("/map/glyphs/{fontstack}/{range}.pbf", style.RootElement.GetProperty("glyphs").GetString());
        Assert.True(ids.IndexOf("basemap-roads") < ids.IndexOf("buildings-fill"));
        Assert.True(ids.IndexOf("basemap-roads") > ids.IndexOf("grid-fill"));
        Assert.True(ids.IndexOf(BaseMapStyle.RoadLabelLayerId) > ids.IndexOf("cases-points"));
        Assert.True(ids.IndexOf(BaseMapStyle.NumberLayerId) > ids.IndexOf("cases-points"));
        Assert.DoesNotContain(BaseMapStyle.ExternalLayerId, ids);
        Assert.True(style.RootElement.GetProperty("metadata").GetProperty("smartdoorplate:localIdeographs").GetBoolean());
        foreach (var font in style.RootElement.GetProperty("layers").EnumerateArray()
                     .Where(l => l.TryGetProperty("layout", out var layout) && layout.TryGetProperty("text-font", out _))
                     .Select(l => l.GetProperty("layout").GetProperty("text-font")[0].GetString()))
        {
            Assert.Equal(MapGlyphs.FontStack, font);
        }
    }

    [Fact]
    public async Task GlyphRangesAreServedToAnyoneForLatinAndChineseAndNothingElse()
    {
        var anonymous = app.CreateClient();
        var latin = await anonymous.GetAsync($"/map/glyphs/{MapGlyphs.FontStack}/0-255.pbf");
        var chinese = await anonymous.GetAsync($"/map/glyphs/{MapGlyphs.FontStack}/25856-26111.pbf");

        Assert.Equal(HttpStatusCode.OK, latin.StatusCode);
        Assert.Equal(MapGlyphs.ContentType, latin.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age=604800", latin.Headers.CacheControl?.ToString());
        var digits = GlyphsPbf.Read(await latin.Content.ReadAsByteArrayAsync());
        var one = digits.Single(g => g.Id == '1');
        Assert.True(one.Width > 3 && one.Height > 10, $"'1' is {one.Width}×{one.Height}");
        Assert.Equal((one.Width + 6) * (one.Height + 6), one.Bitmap.Length);
        Assert.Contains(one.Bitmap, b => b > 191);
        Assert.Contains(one.Bitmap, b => b < 100);
        Assert.Equal(0, digits.Single(g => g.Id == ' ').Width);

        // 改 (U+6539), in the range 25856–26111.
        var gai = GlyphsPbf.Read(await chinese.Content.ReadAsByteArrayAsync()).Single(g => g.Id == 0x6539);
        Assert.True(gai.Width > 15 && gai.Height > 15 && gai.Advance >= 23, $"改 is {gai.Width}×{gai.Height}, advance {gai.Advance}");

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/map/glyphs/{MapGlyphs.FontStack}/1-256.pbf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/map/glyphs/{MapGlyphs.FontStack}/65536-65791.pbf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/map/glyphs/Arial Unicode MS Regular/0-255.pbf")).StatusCode);
    }

    [Fact]
    public async Task NoExternalOriginIsAllowedUnlessABaseMapIsConfigured()
    {
        var response = await app.Gaicha.GetAsync("/api/map/style.json");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains("connect-src 'self';", csp);
        Assert.Contains("img-src 'self' data: blob:;", csp);
    }

    [Fact]
    public async Task AConfiguredExternalBaseMapIsDrawnFirstAndTheCspAllowsExactlyItsOrigins()
    {
        const string map = "https://t0.tianditu.example/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
        const string labels = "https://t1.tianditu.example/cva_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
        await using var site = app.WithWebHostBuilder(b => b
            .UseSetting("Map:BaseMap:External:Tiles:0", map)
            .UseSetting("Map:BaseMap:External:Tiles:1", labels)
            .UseSetting("Map:BaseMap:External:Attribution", "© 天地图"));
        var client = await site.SignedInClientAsync("police.gaicha", PilotMapFixture.Password);

        var response = await client.GetAsync("/api/map/style.json");
        using var style = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = LayerIds(style);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Equal(["background", BaseMapStyle.ExternalLayerId, $"{BaseMapStyle.ExternalLayerId}-1"], ids.Take(3));
        var source = style.RootElement.GetProperty("sources").GetProperty(BaseMapStyle.ExternalLayerId);
        Assert.Equal("raster", source.GetProperty("type").GetString());
        Assert.Equal(map, source.GetProperty("tiles")[0].GetString());
        Assert.Equal("© 天地图", source.GetProperty("attribution").GetString());
        Assert.Contains("connect-src 'self' https://t0.tianditu.example https://t1.tianditu.example;", csp);
        Assert.Contains("img-src 'self' data: blob: https://t0.tianditu.example https://t1.tianditu.example;", csp);
    }

    [Fact]
    public void ATileUrlWithoutItsPlaceholdersOrNotHttpIsRefused()
    {
        var options = new ExternalBaseMapOptions { Tiles = ["https://example.cn/tiles/{z}/{x}.png", "ftp://example.cn/{z}/{x}/{y}.png"] };

        Assert.Equal(2, options.Problems().Count());
        Assert.Empty(new ExternalBaseMapOptions { Tiles = ["https://example.cn/{z}/{x}/{y}.png"] }.Problems());
        Assert.Equal(["https://example.cn"], new ExternalBaseMapOptions { Tiles = ["https://example.cn/{z}/{x}/{y}.png"] }.Origins());
    }
}

// Reads the glyphs protobuf (MapLibre's glyphs.proto): one font stack of glyphs with their metrics.
public static class GlyphsPbf
{
    public sealed record Glyph(int Id, int Width, int Height, int Left, int Top, int Advance, byte[] Bitmap);

    public static List<Glyph> Read(byte[] message)
    {
        var glyphs = new List<Glyph>();
        foreach (var (field, _, stack) in Fields(message))
        {
            if (field != 1) continue;
            foreach (var (stackField, _, glyph) in Fields(stack!))
            {
                if (stackField != 3) continue;
                int id = 0, width = 0, height = 0, left = 0, top = 0, advance = 0;
                var bitmap = Array.Empty<byte>();
                foreach (var (glyphField, value, bytes) in Fields(glyph!))
                {
                    switch (glyphField)
                    {
                        case 1: id = (int)value; break;
                        case 2: bitmap = bytes!; break;
                        case 3: width = (int)value; break;
                        case 4: height = (int)value; break;
                        case 5: left = (int)(value >> 1) ^ -(int)(value & 1); break;
                        case 6: top = (int)(value >> 1) ^ -(int)(value & 1); break;
                        case 7: advance = (int)value; break;
                    }
                }
                glyphs.Add(new Glyph(id, width, height, left, top, advance, bitmap));
            }
        }
        return glyphs;
    }

    private static IEnumerable<(int Field, ulong Value, byte[]? Bytes)> Fields(byte[] data)
    {
        var position = 0;
        ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return result;
            }
        }
        while (position < data.Length)
        {
            var key = Varint();
            var wireType = (int)(key & 7);
            if (wireType == 0) yield return ((int)(key >> 3), Varint(), null);
            else if (wireType == 2)
            {
                var length = (int)Varint();
                var bytes = data[position..(position + length)];
                position += length;
                yield return ((int)(key >> 3), 0, bytes);
            }
            else throw new InvalidDataException($"wire type {wireType}");
        }
    }
}
