using Npgsql;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Import;

// A freshly migrated database of its own for one test, reached the way the importer is used
// outside the web app: through an NpgsqlDataSource with NetTopologySuite.
public sealed class ImportDatabase : IAsyncDisposable
{
    public static readonly string[] TouchedTables =
        ["districts", "police_stations", "community_grids", "standard_addresses", "buildings", "doorplates", "users", "cases",
         "rooms", "persons", "residence_registrations", "building_counts"];

    private ImportDatabase(string name, NpgsqlDataSource dataSource)
    {
        Name = name;
        DataSource = dataSource;
    }

    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ImportDatabase> CreateAsync()
    {
        var name = await TestDatabase.CreateAsync();
        var builder = new NpgsqlDataSourceBuilder(TestDatabase.ConnectionStringFor(name));
        builder.UseNetTopologySuite();
        return new ImportDatabase(name, builder.Build());
    }

    public static string TestFile(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "import", name);

    public Task<ImportResult> ImportAsync(ImportKind kind, string fileName, SourceCrs crs = SourceCrs.Wgs84) =>
        GeoImporter.ImportAsync(DataSource, kind, TestFile(fileName), new ImportOptions(crs), null, CancellationToken.None);

    public async Task<ImportResult> ImportSuccessfullyAsync(ImportKind kind, string fileName)
    {
        var result = await ImportAsync(kind, fileName);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        return result;
    }

    // districts → stations → grids of the test files: what buildings and cases refer to.
    public async Task ImportJurisdictionsAsync()
    {
        await ImportSuccessfullyAsync(ImportKind.Districts, "districts.geojson");
        await ImportSuccessfullyAsync(ImportKind.Stations, "stations.geojson");
        await ImportSuccessfullyAsync(ImportKind.Grids, "grids.geojson");
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<T>> ColumnAsync<T>(string sql)
    {
        var values = new List<T>();
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    public async Task<Dictionary<string, long>> RowCountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in TouchedTables) counts[table] = await ScalarAsync<long>($"select count(*) from {table}");
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestDatabase.DropAsync(Name);
    }
}
