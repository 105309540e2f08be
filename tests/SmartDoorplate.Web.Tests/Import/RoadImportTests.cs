using System.Globalization;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Cli;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Import;

// Roads and landmarks, the base map's own tables: imported like the other kinds (checked whole,
// then written by COPY), read only by the map's base layer.
public sealed class RoadImportTests
{
    [Fact]
    public async Task RoadsFromGeoJsonAreStoredAsMultiLineStringsWithTheirKindsNamesAndWidths()
    {
        await using var db = await ImportDatabase.CreateAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Roads, "roads.geojson");

        Assert.Equal(4, result.Imported);
        Assert.Equal("imported 4 roads from roads.geojson", result.Summary);
        Assert.Equal(
            ["T-R01|测试路|main|9.0|1", "T-R01-01|测试路一巷|lane|2.6|1", "T-R01-02||lane||1", "T-R02|测试北路|branch||2"],
            await db.ColumnAsync<string>("""
                select code || '|' || coalesce(name, '') || '|' || kind || '|' || coalesce(width_metres::text, '') || '|'
                       || ST_NumGeometries(geometry)
                from roads order by code
                """));
        Assert.Equal(["ST_MultiLineString|4326"], await db.ColumnAsync<string>("select distinct ST_GeometryType(geometry) || '|' || ST_SRID(geometry) from roads"));
    }

    [Fact]
    public async Task RoadsFromAGeoPackageLandAsFromGeoJson()
    {
        await using var db = await ImportDatabase.CreateAsync();

        await db.ImportSuccessfullyAsync(ImportKind.Roads, "roads.gpkg");

        Assert.Equal(["T-R01|main", "T-R01-01|lane", "T-R01-02|lane", "T-R02|branch"],
            await db.ColumnAsync<string>("select code || '|' || kind from roads order by code"));
    }

    [Fact]
    public async Task RoadsInGcj02AreShiftedToWgs84OnImport()
    {
        await using var db = await ImportDatabase.CreateAsync();

        var shifted = await db.ImportAsync(ImportKind.Roads, "roads.geojson", SourceCrs.Gcj02);

        Assert.True(shifted.Succeeded, string.Join(Environment.NewLine, shifted.Problems));
        var expected = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(106.6700, 26.6100));
        var start = await db.ScalarAsync<string>("select ST_X(ST_StartPoint(ST_GeometryN(geometry, 1))) || ',' || ST_Y(ST_StartPoint(ST_GeometryN(geometry, 1))) from roads where code = 'T-R01'");
        var parts = start.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Longitude, parts[0], 9);
        Assert.Equal(expected.Latitude, parts[1], 9);
        Assert.True(Math.Abs(parts[0] - 106.67) > 0.001, "GCJ-02 is offset by hundreds of metres here");
    }

    [Fact]
    public async Task ABadRoadsFileIsRefusedWholeWithOneLineForEachBadFeature()
    {
        await using var db = await ImportDatabase.CreateAsync();

        var result = await db.ImportAsync(ImportKind.Roads, "roads-bad.geojson");

        Assert.False(result.Succeeded);
        Assert.Equal(4, result.FeaturesWithProblems);
        Assert.Equal("roads-bad.geojson: 4 of 5 features have problems; nothing was imported", result.Summary);
        Assert.Equal(4, result.Problems.Count);
        Assert.StartsWith("feature #2 (code T-R02): geometry is a Polygon; roads need a LineString or MultiLineString", result.Problems[0]);
        Assert.Equal("feature #3 (code T-R03): 'kind' is 'highway', not one of main|branch|lane or 主干道|支路|巷", result.Problems[1]);
        Assert.StartsWith("feature #4 (code T-R04): 'widthM' is 900; a road is 0.5–200 m wide; coordinates outside China", result.Problems[2]);
        Assert.Contains("(longitude and latitude look swapped)", result.Problems[2]);
        Assert.Equal("feature #5 (code T-R01): code 'T-R01' is also used by feature #1", result.Problems[3]);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from roads"));
    }

    [Fact]
    public async Task AnImportAddsRoadsOnlyAndRefusesACodeAlreadyStored()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportSuccessfullyAsync(ImportKind.Roads, "roads.geojson");

        var again = await db.ImportAsync(ImportKind.Roads, "roads.geojson");

        Assert.Equal(4, again.FeaturesWithProblems);
        Assert.Contains(again.Problems, p => p == "feature #1 (code T-R01): code 'T-R01' already exists in the database (import only adds; remove or rename the feature)");
        Assert.Equal(4L, await db.ScalarAsync<long>("select count(*) from roads"));
    }

    [Fact]
    public async Task LandmarksAreImportedWithTheirKindByCodeOrChineseName()
    {
        await using var db = await ImportDatabase.CreateAsync();

        await db.ImportSuccessfullyAsync(ImportKind.Landmarks, "landmarks.geojson");

        Assert.Equal(["T-LM-MARKET|测试农贸市场|market", "T-LM-STATION|测试派出所|police_station"],
            await db.ColumnAsync<string>("select code || '|' || name || '|' || kind from landmarks order by code"));
        var refused = await db.ImportAsync(ImportKind.Landmarks, "roads.geojson");
        Assert.Equal(4, refused.FeaturesWithProblems);
        Assert.EndsWith("geometry is a LineString; landmarks need a Point", refused.Problems[0]);
    }
}

public sealed class RoadImportCommandTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<int> RunAsync(params string[] args)
    {
        _ = app.Server;
        return CommandLineVerbs.RunAsync(app.Services, args);
    }

    [Fact]
    public async Task TheImportRoadsVerbExitsZeroOnAGoodFileAndOneOnABadFileWithoutWriting()
    {
        var error = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        int bad;
        try
        {
            bad = await RunAsync("import", "roads", ImportDatabase.TestFile("roads-bad.geojson"));
        }
        finally
        {
            Console.SetError(error);
        }

        Assert.Equal(1, bad);
        Assert.Contains("feature #3 (code T-R03): 'kind' is 'highway'", captured.ToString());
        Assert.Equal(0, await CountRoadsAsync());
        Assert.Equal(0, await RunAsync("import", "roads", ImportDatabase.TestFile("roads.geojson"), "--crs", "wgs84"));
        Assert.Equal(4, await CountRoadsAsync());
        Assert.Equal(0, await RunAsync("import", "landmarks", ImportDatabase.TestFile("landmarks.geojson")));
    }

    private async Task<int> CountRoadsAsync()
    {
        var connectionString = app.OwnerConnectionString;
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*)::int from roads", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
