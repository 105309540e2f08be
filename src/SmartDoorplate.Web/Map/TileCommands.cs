using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Accounts;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;

namespace SmartDoorplate.Map;

// `sdp tiles sql`: the exact statement the tile endpoint runs, with its parameters written in as
// literals, one file per tile — so scripts/bench/tiles.sh can time PostgreSQL alone (pgbench) on
// the same SQL the app sends, without a copy of it that could drift.
public static class TileCommands
{
    public static Command Tiles(IServiceProvider services)
    {
        var layer = new Argument<string>("layer") { Description = "boundaries, buildings, population, cases or hotspots (with --run)" };
        var tiles = new Argument<string[]>("tiles") { Description = "tiles as z/x/y", Arity = ArgumentArity.OneOrMore };
        var station = new Option<string?>("--station") { Description = "scope of this police station's code (default: an admin, who sees everything)" };
        var output = new Option<DirectoryInfo>("-o", "--output") { Description = "folder for LAYER-Z-X-Y.sql files", Required = true };
        var run = new Option<long>("--run") { Description = "the stored hot-spot run the hotspots layer draws (hotspot_runs.id)" };
        var sql = new Command("sql", "Write the SQL of tiles, parameters inlined, for timing PostgreSQL alone.") { layer, tiles, station, output, run };
        sql.SetAction(async (parseResult, ct) =>
        {
            var name = parseResult.GetValue(layer)!;
            if (!VectorTileLayers.ByName.TryGetValue(name, out var tileLayer))
                throw new CommandFailedException($"no SQL for layer '{name}'");
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var scope = await ScopeOfAsync(services, parseResult.GetValue(station), ct);
            // Every case, and the run given as it is (no run: run 0, an empty tile).
            var layerParameters = new TileParameters(CaseFilter.All, parseResult.GetValue(run));
            var folder = parseResult.GetValue(output)!;
            folder.Create();
            var written = 0;
            foreach (var text in parseResult.GetValue(tiles)!)
            {
                var parts = text.Split('/');
                var errors = new Dictionary<string, string[]>();
                if (parts.Length != 3 || TileAddress.Parse(parts[0], parts[1], parts[2], errors) is not { } tile)
                    throw new CommandFailedException($"'{text}' is not a tile z/x/y");
                // The endpoint answers 204 below the layer's zoom without asking PostgreSQL.
                if (tile.Z < tileLayer.MinZoom) continue;
                written++;
                await using var command = tileLayer.CreateCommand(dataSource, tile, scope, layerParameters);
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"{name}-{tile.Z}-{tile.X}-{tile.Y}.sql"),
                    SqlLiterals.Inline(command) + ";\n", ct);
            }
            Console.WriteLine($"tiles sql: {written} {name} tiles (none below z{tileLayer.MinZoom}) → {folder.FullName}");
            return 0;
        });
        return new Command("tiles", "Vector tiles of the police map.") { sql };
    }

    // The scope the statements are written for: an admin's, or an officer's of the station.
    internal static async Task<CallerScope> ScopeOfAsync(IServiceProvider services, string? stationCode, CancellationToken ct)
    {
        if (stationCode is null) return new CallerScope(ScopeKind.Admin);
        await using var serviceScope = services.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var id = await db.PoliceStations.Where(s => s.Code == stationCode).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct)
                 ?? throw new CommandFailedException($"no police station '{stationCode}'");
        return new CallerScope(ScopeKind.Station, StationId: id);
    }
}
