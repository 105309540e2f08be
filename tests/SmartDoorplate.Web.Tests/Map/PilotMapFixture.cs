using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Pilot;
using SmartDoorplate.Map;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Pilot;

namespace SmartDoorplate.Web.Tests.Map;

// The committed pilot data set (改茶村: stations QL-GC and QL-XH) in a database of its own, with the
// demo officers signed in: the map is tested on realistic footprints, residents and cases.
public class PilotMapFixture : AppFactory
{
    public const string Password = "Test-Map-2026!";

    // A spot in the middle of QL-GC, well away from QL-XH (east of 106.690).
    public const double GaichaLongitude = 106.675, GaichaLatitude = 26.61;

    // A box of QL-GC buildings only.
    public const string GaichaBox = "106.665,26.603,106.685,26.615";

    public HttpClient Gaicha { get; private set; } = null!;
    public HttpClient Other { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Landlord { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var result = await PilotDataLoader.LoadAsync(
            Services.GetRequiredService<NpgsqlDataSource>(), Services.GetRequiredService<PersonalDataProtector>(),
            PilotData.Directory, Password, TimeProvider.System, null, CancellationToken.None);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(Environment.NewLine, result.Problems));
        Gaicha = await this.SignedInClientAsync("police.gaicha", Password);
        Other = await this.SignedInClientAsync("police.other", Password);
        Admin = await this.SignedInClientAsync("admin", Password);
        Landlord = await this.SignedInClientAsync("landlord.demo", Password);
    }

    public static string TileUrl(string layer, TileAddress tile, string query = "") => $"/api/map/tiles/{layer}/{tile.Z}/{tile.X}/{tile.Y}.mvt{query}";

    public static TileAddress GaichaTile(int zoom) => TileAddress.Containing(GaichaLongitude, GaichaLatitude, zoom);

    // As the owner: ground truth computed beside the app, not through it.
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    // Every row of a query whose columns are all numbers, as doubles.
    public async Task<List<double[]>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<double[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetDouble).ToArray());
        }
        return rows;
    }
}

[CollectionDefinition(Name)]
public sealed class PilotMapCollection : ICollectionFixture<PilotMapFixture>
{
    public const string Name = "pilot map";
}

// GDAL as the independent reader of what the endpoints write (scripts/test.sh installs gdal-bin).
public static class Ogr
{
    public static async Task<string> InfoAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ogrinfo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ogrinfo {string.Join(' ', arguments)} failed: {await error}");
        return await output;
    }

    // The MVT driver reads z/x/y from the last three parts of the path.
    public static async Task<string> ReadTileAsync(byte[] tile, TileAddress address)
    {
        var root = Directory.CreateTempSubdirectory("sd-tiles-");
        try
        {
            var path = Path.Combine(root.FullName, "t", address.Z.ToString(), address.X.ToString(), $"{address.Y}.pbf");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, tile);
            return await InfoAsync("-ro", "-q", "-al", "MVT:" + path);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
