using System.CommandLine;
using System.Text.Json;
using Npgsql;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Map;

// `sdp area sql`: the exact statement POST /api/map/area runs for each request body, parameters
// written in as literals, so scripts/bench/area.sh times PostgreSQL alone on the SQL the app sends.
public static class AreaCommands
{
    public static Command Area(IServiceProvider services)
    {
        var bodies = new Argument<FileInfo[]>("bodies") { Description = "request bodies (JSON, as POSTed to /api/map/area)", Arity = ArgumentArity.OneOrMore };
        var station = new Option<string?>("--station") { Description = "scope of this police station's code (default: an admin, who sees everything)" };
        var output = new Option<DirectoryInfo>("-o", "--output") { Description = "folder for one NAME.sql per body NAME.json", Required = true };
        var sql = new Command("sql", "Write the SQL of area queries, parameters inlined, for timing PostgreSQL alone.") { bodies, station, output };
        sql.SetAction(async (parseResult, ct) =>
        {
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var scope = await TileCommands.ScopeOfAsync(services, parseResult.GetValue(station), ct);
            var folder = parseResult.GetValue(output)!;
            folder.Create();
            var files = parseResult.GetValue(bodies)!;
            foreach (var file in files)
            {
                AreaRequest request;
                try
                {
                    request = JsonSerializer.Deserialize<AreaRequest>(await File.ReadAllTextAsync(file.FullName, ct), JsonSerializerOptions.Web)
                              ?? throw new CommandFailedException($"{file.Name}: empty body");
                    await using var command = AreaQuery.CreateCommand(dataSource, request, scope);
                    await File.WriteAllTextAsync(Path.Combine(folder.FullName, Path.ChangeExtension(file.Name, ".sql")), SqlLiterals.Inline(command) + ";\n", ct);
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException)
                {
                    throw new CommandFailedException($"{file.Name}: not an area request ({ex.Message})");
                }
            }
            Console.WriteLine($"area sql: {files.Length} statements → {folder.FullName}");
            return 0;
        });
        return new Command("area", "The police map's area query.") { sql };
    }
}
