using System.Text.Json;
using SmartDoorplate.Map;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class MapStyleTests(PilotMapFixture app)
{
    private const string ExtentOfGrids = """
        select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        from (select ST_Extent(g.boundary) as e
              from community_grids g join police_stations s on s.id = g.station_id
              where {0}) extent
        """;

    private static async Task<double[]> BoundsAsync(HttpClient client)
    {
        using var style = JsonDocument.Parse(await client.GetStringAsync("/api/map/style.json"));
        return [.. style.RootElement.GetProperty("metadata").GetProperty("smartdoorplate:bounds").EnumerateArray().Select(v => v.GetDouble())];
    }

    // The map opens on the grids the caller may see: an officer's station, everything for the admin.
    [Fact]
    public async Task TheStyleOpensOnTheExtentOfTheCallersGrids()
    {
        var station = (await app.RowsAsync(string.Format(ExtentOfGrids, "s.code = 'QL-GC'"))).Single();
        var everything = (await app.RowsAsync(string.Format(ExtentOfGrids, "true"))).Single();

        Assert.Equal(station, await BoundsAsync(app.Gaicha));
        Assert.Equal(everything, await BoundsAsync(app.Admin));
        Assert.NotEqual(station, everything);
    }

    // Every layer is a source of the style, with the zooms the layer gives.
    [Fact]
    public async Task EachTileLayerIsASourceWithItsOwnZooms()
    {
        using var style = JsonDocument.Parse(await app.Gaicha.GetStringAsync("/api/map/style.json"));
        var sources = style.RootElement.GetProperty("sources");

        Assert.Equal(VectorTileLayers.ByName.Keys.Order(), sources.EnumerateObject().Select(s => s.Name).Order());
        foreach (var layer in VectorTileLayers.All)
        {
            var source = sources.GetProperty(layer.Name);
            Assert.Equal(layer.MinZoom, source.GetProperty("minzoom").GetInt32());
            Assert.Equal(layer.SourceMaxZoom, source.GetProperty("maxzoom").GetInt32());
            Assert.EndsWith($"/api/map/tiles/{layer.Name}/{{z}}/{{x}}/{{y}}.mvt", source.GetProperty("tiles")[0].GetString());
        }
    }
}
