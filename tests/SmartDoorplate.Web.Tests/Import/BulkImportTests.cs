using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Import;

// A city-sized import through the real verb, on a connection whose command timeout is one second: long
// enough for every request of the app, far too short for fanning out thousands of buildings. The bulk
// statements of an import must not be bound by it.
public sealed class BulkImportTests(JurisdictionsAppFactory app) : IClassFixture<JurisdictionsAppFactory>
{
    private const int Footprints = 20_000;

    private WebApplicationFactory<Program> OwnerWith(string connectionOptions) =>
        app.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:" + DataServices.ConnectionStringName,
            $"{app.OwnerConnectionString};{connectionOptions}"));

    private static async Task<(int Exit, string Error)> RunAsync(WebApplicationFactory<Program> host, params string[] args)
    {
        _ = host.Server;
        var error = new StringWriter();
        var originalError = Console.Error;
        Console.SetError(error);
        try
        {
            return (await CommandLineVerbs.RunAsync(host.Services, args), error.ToString());
        }
        finally
        {
            Console.SetError(originalError);
        }
    }


    // Squares of about 10 m on a lattice inside the three test grids (0.02° × 0.04° each), every
    // property the importer requires, in file order PREFIX-000001, PREFIX-000002, ... (or from PREFIX-first).
    private static string WriteFootprints(string prefix, int count, bool brokenHalfWay = false, int first = 1)
    {
        var path = Path.Combine(Path.GetTempPath(), $"footprints-{Guid.NewGuid():N}.geojson");
        var json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[\n");
        for (var i = first - 1; i < first - 1 + count; i++)
        {
            if (brokenHalfWay && i == count / 2)
            {
                json.Append(",{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[106.601,");
                break;
            }

            var grid = i % 3;
            var cell = i / 3;
            var x = 106.6 + grid * 0.02 + 0.0002 * (cell % 90) + 0.001;
            var y = 26.6 + 0.0004 * (cell / 90) + 0.001;
            string P(double lon, double lat) => string.Create(CultureInfo.InvariantCulture, $"[{lon:F6},{lat:F6}]");
            json.Append(i == first - 1 ? "" : ",")
                .Append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[")
                .Append(P(x, y)).Append(',').Append(P(x + 0.0001, y)).Append(',').Append(P(x + 0.0001, y + 0.0001)).Append(',')
                .Append(P(x, y + 0.0001)).Append(',').Append(P(x, y))
                .Append(CultureInfo.InvariantCulture,
                    $"]]}},\"properties\":{{\"code\":\"{prefix}-{i + 1:D6}\",\"gridCode\":\"T-GC-0{grid + 1}\",\"use\":\"residential\",\"floors\":{1 + i % 9},")
                .Append(CultureInfo.InvariantCulture,
                    $"\"street\":\"黔灵镇\",\"community\":\"改茶村\",\"road\":\"测试路\",\"number\":\"{i + 1}号\",\"postcode\":\"550003\"}}}}\n");
        }

        if (!brokenHalfWay) json.Append("]}\n");
        File.WriteAllText(path, json.ToString());
        return path;
    }

    private Task<long> CountAsync(string sql) => app.OwnerScalarAsync<long>(sql);

    [Fact]
    public async Task TwentyThousandFootprintsAreImportedWithTheirAddressesAndPlatesUnderAOneSecondCommandTimeout()
    {
        await using var host = OwnerWith("Command Timeout=1");
        var file = WriteFootprints("T-BULK", Footprints);
        const string validIndexes = """
            select count(*) from pg_index
            where indrelid in ('buildings'::regclass, 'standard_addresses'::regclass, 'doorplates'::regclass) and indisvalid
            """;
        const string validatedKeys = """
            select count(*) from pg_constraint
            where contype = 'f' and convalidated and (conrelid in ('buildings'::regclass, 'doorplates'::regclass) or confrelid = 'buildings'::regclass)
            """;
        var indexes = await CountAsync(validIndexes);
        var keys = await CountAsync(validatedKeys);
        try
        {
            var (exit, error) = await RunAsync(host, "import", "buildings", file);

            Assert.True(exit == 0, error);
            Assert.Equal(Footprints, await CountAsync("select count(*) from buildings where code like 'T-BULK-%'"));
            Assert.Equal(Footprints, await CountAsync(
                "select count(distinct a.id) from buildings b join standard_addresses a on a.id = b.address_id where b.code like 'T-BULK-%'"));
            Assert.Equal(Footprints, await CountAsync(
                "select count(*) from doorplates d join buildings b on b.id = d.building_id where b.code like 'T-BULK-%' and d.version = 1 and d.revoked_at is null"));
            // Ids follow the file, and every building lies in the grid the file names.
            Assert.Equal(0, await CountAsync("""
                select count(*) from (select code, id, lag(id) over (order by code) as previous from buildings where code like 'T-BULK-%') b
                where b.id <= b.previous
                """));
            Assert.Equal(0, await CountAsync(
                "select count(*) from buildings b join community_grids g on g.id = b.grid_id where b.code like 'T-BULK-%' and not ST_Intersects(g.boundary, b.footprint)"));
            // The secondary indexes the import rebuilt are all there again, and valid, and so are the
            // foreign keys it added back, checked.
            Assert.Equal(indexes, await CountAsync(validIndexes));
            Assert.Equal(keys, await CountAsync(validatedKeys));
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The import writes while it reads; a stored code far into the file still fails it whole, and every
    // such feature is listed, as a check-then-write import would list them.
    [Fact]
    public async Task CodesAlreadyStoredAnywhereInAFileAreAllListedAndNothingIsImported()
    {
        await using var host = OwnerWith("Command Timeout=1");
        var stored = new[] { WriteFootprints("T-LATE", 1, first: 2), WriteFootprints("T-LATE", 1, first: 15_000) };
        var file = WriteFootprints("T-LATE", Footprints);
        try
        {
            foreach (var one in stored) Assert.Equal(0, (await RunAsync(host, "import", "buildings", one)).Exit);

            var (exit, error) = await RunAsync(host, "import", "buildings", file);

            Assert.Equal(1, exit);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                [
                    "feature #2 (code T-LATE-000002): code 'T-LATE-000002' already exists in the database (import only adds; remove or rename the feature)",
                    "feature #15000 (code T-LATE-015000): code 'T-LATE-015000' already exists in the database (import only adds; remove or rename the feature)",
                    $"error: {Path.GetFileName(file)}: 2 of {Footprints} features have problems; nothing was imported",
                ],
                lines);
            Assert.Equal(2, await CountAsync("select count(*) from buildings where code like 'T-LATE-%'"));
            Assert.Equal(0, await CountAsync("select count(*) from standard_addresses a where not exists (select 1 from buildings b where b.address_id = a.id)"));
        }
        finally
        {
            foreach (var path in stored.Append(file)) File.Delete(path);
        }
    }

    [Fact]
    public async Task AFileBrokenHalfWayFailsWithOneLineAndExitOneAndImportsNothing()
    {
        await using var host = OwnerWith("Command Timeout=1");
        var file = WriteFootprints("T-BROKEN", Footprints, brokenHalfWay: true);
        try
        {
            var (exit, error) = await RunAsync(host, "import", "buildings", file);

            Assert.Equal(1, exit);
            var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Contains(Path.GetFileName(file), line);
            Assert.DoesNotContain("   at ", error);
            Assert.Equal(0, await CountAsync("select count(*) from buildings where code like 'T-BROKEN-%'"));
            Assert.Equal(0, await CountAsync("select count(*) from standard_addresses a where not exists (select 1 from buildings b where b.address_id = a.id)"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ADatabaseFailureDuringTheImportIsOneLineWithExitOneAndImportsNothing()
    {
        // Every statement that runs longer than 50 ms is cancelled by the server: the fan-out of
        // thousands of buildings is, whatever the client's timeout.
        await using var host = OwnerWith("Options=-c statement_timeout=50");
        var file = WriteFootprints("T-CANCELLED", Footprints);
        try
        {
            var (exit, error) = await RunAsync(host, "import", "buildings", file);

            Assert.Equal(1, exit);
            var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Contains("nothing was imported", line);
            Assert.DoesNotContain("   at ", error);
            Assert.Equal(0, await CountAsync("select count(*) from buildings where code like 'T-CANCELLED-%'"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

// The test grids (T-GC-01..03) and their station and district, imported once for the class.
public sealed class JurisdictionsAppFactory : AppFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var owner = AsOwner();
        _ = owner.Server;
        foreach (var kind in new[] { "districts", "stations", "grids" })
        {
            var exit = await CommandLineVerbs.RunAsync(owner.Services, ["import", kind, ImportDatabase.TestFile($"{kind}.geojson")]);
            if (exit != 0) throw new InvalidOperationException($"the test {kind} were not imported");
        }
    }
}
