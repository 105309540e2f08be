using SmartDoorplate.Cli;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Import;

public sealed class ImportCommandTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<int> RunAsync(params string[] args)
    {
        _ = app.Server; // builds the host, so that its configuration (the test database) is in place
        return CommandLineVerbs.RunAsync(app.Services, args);
    }

    [Fact]
    public async Task TheImportVerbExitsZeroOnGoodFilesAndNonZeroOnABadOneWithoutWriting()
    {
        Assert.Equal(0, await RunAsync("import", "districts", ImportDatabase.TestFile("districts.geojson")));
        Assert.Equal(0, await RunAsync("import", "stations", ImportDatabase.TestFile("stations.geojson")));
        Assert.Equal(1, await RunAsync("import", "grids", ImportDatabase.TestFile("bad-bowtie.geojson")));
        Assert.Equal(0, await RunAsync("import", "grids", ImportDatabase.TestFile("grids.geojson"), "--crs", "wgs84"));

        var grids = await app.WithDbAsync(db => Task.FromResult(db.Grids.Select(g => g.Code).OrderBy(c => c).ToList()));
        Assert.Equal(["T-GC-01", "T-GC-02", "T-GC-03"], grids);
    }

    [Fact]
    public async Task TheImportVerbRefusesAnUnknownKindOrCrs()
    {
        Assert.NotEqual(0, await RunAsync("import", "parcels", ImportDatabase.TestFile("grids.geojson")));
        Assert.NotEqual(0, await RunAsync("import", "grids", ImportDatabase.TestFile("grids.geojson"), "--crs", "bd09"));
    }
}
