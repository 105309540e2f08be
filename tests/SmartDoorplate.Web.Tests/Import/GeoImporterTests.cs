using System.Globalization;
using SmartDoorplate.Loading.Import;

namespace SmartDoorplate.Web.Tests.Import;

public sealed class GeoImporterTests
{
    [Fact]
    public async Task ImportingDistrictsStationsGridsBuildingsAndCasesLandsEveryFeature()
    {
        await using var db = await ImportDatabase.CreateAsync();

        await db.ImportJurisdictionsAsync();
        var buildings = await db.ImportSuccessfullyAsync(ImportKind.Buildings, "buildings.geojson");
        var cases = await db.ImportSuccessfullyAsync(ImportKind.Cases, "cases.geojson");

        Assert.Equal(4, buildings.Imported);
        Assert.Equal(3, cases.Imported);
        var counts = await db.RowCountsAsync();
        Assert.Equal(1, counts["districts"]);
        Assert.Equal(2, counts["police_stations"]);
        Assert.Equal(3, counts["community_grids"]);
        Assert.Equal(4, counts["buildings"]);
        Assert.Equal(4, counts["standard_addresses"]);
        Assert.Equal(4, counts["doorplates"]);
        Assert.Equal(3, counts["cases"]);
        Assert.Equal(
            ["云岩区黔灵镇改茶村测试路1号", "云岩区黔灵镇改茶村测试路2号", "云岩区黔灵镇改茶村测试路3号", "云岩区黔灵镇改茶村测试路4号"],
            await db.ColumnAsync<string>("select a.full_text from buildings b join standard_addresses a on a.id = b.address_id order by b.code"));
        Assert.Equal([1, 1, 1, 1], await db.ColumnAsync<int>("select version from doorplates where revoked_at is null order by building_id"));
    }

    [Fact]
    public async Task LandlordsNamedByBuildingsAreLinkedOrCreatedWithoutAPassword()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Buildings, "buildings.geojson");

        Assert.Contains(result.Notes, n => n.Contains("created 2 landlord accounts"));
        Assert.Equal(["landlord.second|landlord|true", "landlord.test|landlord|true"],
            await db.ColumnAsync<string>("select user_name || '|' || role || '|' || (password_hash is null) from users order by user_name"));
        Assert.Equal(["T-B-0001|landlord.test", "T-B-0002|", "T-B-0003|landlord.test", "T-B-0004|landlord.second"],
            await db.ColumnAsync<string>("select b.code || '|' || coalesce(u.user_name, '') from buildings b left join users u on u.id = b.owner_id order by b.code"));
    }

    [Fact]
    public async Task CasesArePlacedInTheGridTheyLieInAndCasesOutsideEveryGridAreKeptWithout()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Cases, "cases.geojson");

        Assert.Contains(result.Notes, n => n.Contains("1 cases lie outside every grid"));
        Assert.Equal(["T-C-001|T-GC-01|2026-03-01 13:30:00", "T-C-002|T-GC-03|2026-03-02 00:05:00", "T-C-003||2026-03-03 04:00:00"],
            await db.ColumnAsync<string>("""
                select c.case_number || '|' || coalesce(g.code, '') || '|' || to_char(c.occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                from cases c left join community_grids g on g.id = c.grid_id order by c.case_number
                """));
    }

    [Fact]
    public async Task GridsFromAShapefileLandWithTheirTruncatedDbfColumnsUnderstood()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Grids, "grids-other.shp");

        Assert.Equal(3, result.Imported);
        Assert.Equal(["T-GC-11|另一网格1|T-GC|MultiPolygon", "T-GC-12|另一网格2|T-GC|MultiPolygon", "T-GC-13|另一网格3|T-GC|MultiPolygon"],
            await db.ColumnAsync<string>("""
                select g.code || '|' || g.name || '|' || s.code || '|' || replace(GeometryType(g.boundary), 'MULTIPOLYGON', 'MultiPolygon')
                from community_grids g join police_stations s on s.id = g.station_id where g.code like 'T-GC-1%' order by g.code
                """));
    }

    [Fact]
    public async Task BuildingsFromAShapefileKeepTheirEntrancesDespiteTenCharacterFieldNames()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        await db.ImportSuccessfullyAsync(ImportKind.Buildings, "buildings-shp.shp");

        // entranceLon/entranceLat arrive as entranceLo/entranceLa; footprints arrive as one-part MultiPolygons.
        Assert.Equal(["POINT(106.6051 26.61)", "POINT(106.6051 26.611)", "POINT(106.6251 26.612)", "POINT(106.6451 26.613)"],
            await db.ColumnAsync<string>("select ST_AsText(entrance, 7) from buildings order by code"));
        Assert.Equal(4, await db.ScalarAsync<long>("select count(*) from buildings where GeometryType(footprint) = 'POLYGON'"));
    }

    [Fact]
    public async Task GridsFromAGeoPackageLand()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Grids, "grids-other.gpkg");

        Assert.Equal(3, result.Imported);
        Assert.Equal(0.0008, await db.ScalarAsync<double>("select round(ST_Area(boundary)::numeric, 6)::float8 from community_grids where code = 'T-GC-12'"), 6);
    }

    [Fact]
    public async Task AGcj02DistrictFileLandsShiftedToWgs84()
    {
        await using var db = await ImportDatabase.CreateAsync();

        var result = await db.ImportAsync(ImportKind.Districts, "districts-gcj02.geojson", SourceCrs.Gcj02);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        // The file's first vertex is (106.70, 26.52) in GCJ-02. Near Guiyang the datum shift is some
        // 540 m, and the true (WGS84) point lies west and north of its GCJ-02 position.
        var shiftMetres = await db.ScalarAsync<double>("""
            select ST_Distance(ST_PointN(ST_ExteriorRing(ST_GeometryN(boundary, 1)), 1)::geography,
                               ST_SetSRID(ST_MakePoint(106.70, 26.52), 4326)::geography)
            from districts where code = '520102'
            """);
        Assert.InRange(shiftMetres, 300, 600);
        var vertex = await db.ColumnAsync<double>("""
            select unnest(array[ST_X(p), ST_Y(p)]) from (
                select ST_PointN(ST_ExteriorRing(ST_GeometryN(boundary, 1)), 1) as p from districts where code = '520102') v
            """);
        Assert.True(vertex[0] < 106.70 && vertex[1] > 26.52, $"WGS84 vertex ({vertex[0]}, {vertex[1]})");
    }

    [Fact]
    public async Task WithoutTheCrsOptionTheSameFileLandsUnshifted()
    {
        await using var db = await ImportDatabase.CreateAsync();

        await db.ImportSuccessfullyAsync(ImportKind.Districts, "districts-gcj02.geojson");

        Assert.Equal("POINT(106.7 26.52)", await db.ScalarAsync<string>(
            "select ST_AsText(ST_PointN(ST_ExteriorRing(ST_GeometryN(boundary, 1)), 1)) from districts where code = '520102'"));
    }

    public static TheoryData<string, ImportKind, string[]> BadFiles => new()
    {
        { "bad-broken-json.geojson", ImportKind.Grids, ["bad-broken-json.geojson", "broken JSON", "after feature #1", "line 6"] },
        { "bad-wrong-geometry-type.geojson", ImportKind.Grids, ["feature #2 (code T-BAD-02)", "geometry is a LineString", "Polygon or MultiPolygon"] },
        { "bad-bowtie.geojson", ImportKind.Grids, ["feature #2 (code T-BAD-02)", "invalid geometry: Self-intersection"] },
        { "bad-outside-china.geojson", ImportKind.Grids, ["feature #2 (code T-BAD-02)", "coordinates outside China", "(2.35, 48.85)"] },
        { "bad-missing-property.geojson", ImportKind.Grids, ["feature #2 (code T-BAD-02)", "'stationCode' is missing"] },
        { "bad-unknown-grid.geojson", ImportKind.Buildings, ["feature #2 (code T-BAD-B-02)", "gridCode 'T-NO-SUCH-GRID' is not a known grid"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ABadFileIsRefusedNamingTheFeatureAndTheProblemAndChangesNoRow(string file, ImportKind kind, string[] expected)
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        var before = await db.RowCountsAsync();

        var result = await db.ImportAsync(kind, file);

        Assert.False(result.Succeeded);
        var message = string.Join(Environment.NewLine, [result.Summary, .. result.Problems]);
        foreach (var part in expected) Assert.Contains(part, message);
        Assert.Equal(before, await db.RowCountsAsync());
    }

    [Fact]
    public async Task CodesAlreadyInTheDatabaseAreRefused()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        var before = await db.RowCountsAsync();

        var again = await db.ImportAsync(ImportKind.Grids, "grids.geojson");

        Assert.False(again.Succeeded);
        Assert.Equal(3, again.FeaturesWithProblems);
        Assert.Contains(again.Problems, p => p.StartsWith("feature #1 (code T-GC-01)") && p.Contains("already exists in the database"));
        Assert.Equal(before, await db.RowCountsAsync());
    }

    [Fact]
    public async Task ACodeUsedTwiceInOneFileIsRefused()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        using var file = TemporaryFile.GeoJson(
            Grid("T-TWICE", 106.60, 26.68), Grid("T-ONCE", 106.61, 26.68), Grid("T-TWICE", 106.62, 26.68));

        var result = await GeoImporter.ImportAsync(db.DataSource, ImportKind.Grids, file.Path, new ImportOptions(), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(["feature #3 (code T-TWICE): code 'T-TWICE' is also used by feature #1"], result.Problems);
        Assert.Equal(3, await db.ScalarAsync<long>("select count(*) from community_grids"));
    }

    [Fact]
    public async Task EveryProblemOfAFeatureIsReportedOnItsOneLine()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        using var file = TemporaryFile.GeoJson(Building("T-B-9", use: "castle", floors: "0", gridCode: "T-GC-01"));

        var result = await GeoImporter.ImportAsync(db.DataSource, ImportKind.Buildings, file.Path, new ImportOptions(), null, CancellationToken.None);

        var line = Assert.Single(result.Problems);
        Assert.StartsWith("feature #1 (code T-B-9): ", line);
        Assert.Contains("'use' is 'castle', not one of rental_house|residential|shop|other", line);
        Assert.Contains("'floors' must be a whole number from 1 to 200", line);
    }

    [Fact]
    public async Task ABuildingOutsideItsGridUndoesTheWholeImportIncludingNewLandlords()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        var before = await db.RowCountsAsync();
        // Inside China and valid, but 2 km east of grid T-GC-01: what unconverted or mislabelled data looks like.
        using var file = TemporaryFile.GeoJson(
            Building("T-B-IN", use: "shop", floors: "2", gridCode: "T-GC-01", x: 106.605, landlord: "landlord.new"),
            Building("T-B-OUT", use: "shop", floors: "2", gridCode: "T-GC-01", x: 106.625, landlord: "landlord.new"));

        var result = await GeoImporter.ImportAsync(db.DataSource, ImportKind.Buildings, file.Path, new ImportOptions(), null, CancellationToken.None);

        Assert.Equal(["feature #2 (code T-B-OUT): the footprint lies outside its grid 'T-GC-01'"], result.Problems);
        Assert.Equal(before, await db.RowCountsAsync());
    }

    // Only the reported first buildings outside their grid are read back; the rest are counted.
    [Fact]
    public async Task ManyBuildingsOutsideTheirGridAreListedUpToTheLimitAndCountedInAll()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        var outside = GeoImporter.MaxReportedFeatures + 5;
        using var file = TemporaryFile.GeoJson(Enumerable.Range(1, outside)
            .Select(i => Building($"T-B-OUT{i}", use: "shop", floors: "2", gridCode: "T-GC-01", x: 106.625)).ToArray());

        var result = await GeoImporter.ImportAsync(db.DataSource, ImportKind.Buildings, file.Path, new ImportOptions(), null, CancellationToken.None);

        Assert.Equal(outside, result.FeaturesWithProblems);
        Assert.Equal(GeoImporter.MaxReportedFeatures + 1, result.Problems.Count);
        Assert.Equal("feature #1 (code T-B-OUT1): the footprint lies outside its grid 'T-GC-01'", result.Problems[0]);
        Assert.Equal("and 5 more features with problems", result.Problems[^1]);
        Assert.Equal(GeoImporter.MaxReportedFeatures, result.ProblemsByFeature!.Count);
    }

    [Fact]
    public async Task AFileThatIsNotGeoJsonShapefileOrGeoPackageIsRefusedByItsExtension()
    {
        await using var db = await ImportDatabase.CreateAsync();
        var csv = Path.Combine(Path.GetTempPath(), $"sd-import-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(csv, "code,name\n");

        try
        {
            var result = await GeoImporter.ImportAsync(db.DataSource, ImportKind.Grids, csv, new ImportOptions(), null, CancellationToken.None);

            Assert.Equal([$"{Path.GetFileName(csv)}: unknown file type '.txt' (expected .geojson, .json, .shp, .gpkg, .csv)"], result.Problems);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static string Grid(string code, double x, double y) => string.Create(CultureInfo.InvariantCulture,
        $$"""
        {"type": "Feature", "properties": {"code": "{{code}}", "name": "网格", "stationCode": "T-GC"},
         "geometry": {"type": "Polygon", "coordinates": [[[{{x}}, {{y}}], [{{x + 0.01}}, {{y}}], [{{x + 0.01}}, {{y + 0.01}}], [{{x}}, {{y + 0.01}}], [{{x}}, {{y}}]]]} }
        """);

    private static string Building(string code, string use, string floors, string gridCode, double x = 106.605, string? landlord = null) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"type": "Feature",
         "properties": {"code": "{{code}}", "gridCode": "{{gridCode}}", "use": "{{use}}", "floors": {{floors}}, "street": "黔灵镇",
                        "community": "改茶村", "road": "测试路", "number": "1号", "landlord": {{(landlord is null ? "null" : $"\"{landlord}\"")}}},
         "geometry": {"type": "Polygon", "coordinates": [[[{{x}}, 26.62], [{{x + 0.0002}}, 26.62], [{{x + 0.0002}}, 26.6202], [{{x}}, 26.6202], [{{x}}, 26.62]]]} }
        """);
}

internal sealed class TemporaryFile : IDisposable
{
    private TemporaryFile(string path) => Path = path;

    public string Path { get; }

    public static TemporaryFile GeoJson(params string[] features)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sd-import-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, $$"""{"type": "FeatureCollection", "features": [{{string.Join(",\n", features)}}]}""");
        return new TemporaryFile(path);
    }

    public void Dispose() => File.Delete(Path);
}
