using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Cli;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Import;

public sealed class CsvCaseImportTests
{
    [Fact]
    public async Task ACsvOfCasesWithLonLatColumnsIsImportedIntoTheGridsTheyLieIn()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportSuccessfullyAsync(ImportKind.Cases, "cases-good.csv");

        Assert.Equal(3, result.Imported);
        Assert.Equal(
            ["T-CSV-001|burglary|open|T-GC-01|2026-03-01 13:30|夜间入室", "T-CSV-002|burglary|solved|T-GC-01|2026-03-02 00:05|",
             "T-CSV-003|theft|closed|T-GC-01|2026-03-03 04:00|电动车被盗, 已登记"],
            await db.ColumnAsync<string>("""
                select c.case_number || '|' || c.type || '|' || c.status || '|' || g.code || '|'
                       || to_char(c.occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || '|' || coalesce(c.summary, '')
                from cases c join community_grids g on g.id = c.grid_id order by c.case_number
                """));
    }

    [Fact]
    public async Task BadRowsAreReportedByTheirLineAndNothingIsImported()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportAsync(ImportKind.Cases, "cases-bad.csv");

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FeaturesWithProblems);
        Assert.Equal(2, result.Problems.Count);
        Assert.StartsWith("line 3 (case_number T-BAD-002): 'type' is 'tourism'", result.Problems[0]);
        Assert.StartsWith("line 7 (case_number T-BAD-006): 'lon' and 'lat' must be decimal degrees", result.Problems[1]);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from cases"));
    }

    [Fact]
    public async Task Gcj02CoordinatesInACsvAreShiftedToWgs84()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();

        var result = await db.ImportAsync(ImportKind.Cases, "cases-gcj02.csv", SourceCrs.Gcj02);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var stored = (await db.ColumnAsync<string>("select ST_X(location) || ' ' || ST_Y(location) from cases"))[0].Split(" ").Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var expected = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(106.61, 26.62));
        Assert.Equal(expected.Longitude, stored[0], 9);
        Assert.Equal(expected.Latitude, stored[1], 9);
        // The GCJ-02 offset around Guiyang is a few hundred metres.
        Assert.InRange(GreatCircle.DistanceMetres(new GeoPoint(106.61, 26.62), new GeoPoint(stored[0], stored[1])), 300, 800);
    }

    [Fact]
    public async Task ACsvOfGridsIsRefusedBecauseCsvHoldsPointsOnly()
    {
        await using var db = await ImportDatabase.CreateAsync();

        var result = await db.ImportAsync(ImportKind.Grids, "cases-good.csv");

        Assert.False(result.Succeeded);
        Assert.Contains("only cases", result.Problems[0]);
    }
}

public sealed class CsvCaseImportCommandTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task TheImportVerbTakesACsvOfCasesThroughTheSameImporter()
    {
        _ = app.Server;
        foreach (var kind in new[] { "districts", "stations", "grids" })
        {
            Assert.Equal(0, await CommandLineVerbs.RunAsync(app.Services, ["import", kind, ImportDatabase.TestFile(kind + ".geojson")]));
        }

        Assert.Equal(1, await CommandLineVerbs.RunAsync(app.Services, ["import", "cases", ImportDatabase.TestFile("cases-bad.csv")]));
        Assert.Equal(0, await CommandLineVerbs.RunAsync(app.Services, ["import", "cases", ImportDatabase.TestFile("cases-good.csv")]));

        var cases = await app.WithDbAsync(db => Task.FromResult(db.Cases.Select(c => c.CaseNumber).OrderBy(c => c).ToList()));
        Assert.Equal(["T-CSV-001", "T-CSV-002", "T-CSV-003"], cases);
    }
}
