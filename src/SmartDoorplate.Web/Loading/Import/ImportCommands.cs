using System.CommandLine;
using Npgsql;
using SmartDoorplate.Cli;

namespace SmartDoorplate.Loading.Import;

public static class ImportCommands
{
    public static Command Import(IServiceProvider services)
    {
        var kind = new Argument<string>("kind") { Description = "what the file holds: districts, stations, grids, buildings, cases, roads or landmarks" };
        kind.AcceptOnlyFromAmong(Enum.GetValues<ImportKind>().Select(ImportTables.Plural).ToArray());
        var file = new Argument<FileInfo>("file") { Description = "a .geojson/.json, .shp or .gpkg file; for cases also .csv with columns case_number,type,occurred_at,lon,lat,status,summary" };
        var crs = new Option<string>("--crs")
        {
            Description = "coordinates of the file: wgs84 (GeoJSON's, the default) or gcj02 (AMap/Gaode, Tencent; converted to WGS84)",
            DefaultValueFactory = _ => "wgs84",
        };
        crs.AcceptOnlyFromAmong("wgs84", "gcj02");
        var command = new Command("import", "Import districts, police stations, grids, buildings, cases, roads or landmarks from GeoJSON, ESRI Shapefile or GeoPackage (cases also from CSV with lon/lat).")
        {
            kind, file, crs,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var importKind = Enum.GetValues<ImportKind>().Single(k => ImportTables.Plural(k) == parseResult.GetValue(kind));
            var options = new ImportOptions(parseResult.GetValue(crs) == "gcj02" ? SourceCrs.Gcj02 : SourceCrs.Wgs84);
            var path = parseResult.GetValue(file)!.FullName;
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();

            ImportResult result;
            try
            {
                result = await ConsoleProgress.RunAsync(progress =>
                    GeoImporter.ImportAsync(dataSource, importKind, path, options, progress, cancellationToken));
            }
            catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The import's transaction is rolled back with its connection: the reason is all there is to say.
                throw new CommandFailedException($"{Path.GetFileName(path)}: the database failed ({CommandFailedException.DatabaseReason(ex)}); nothing was imported");
            }

            Report(result);
            return 0;
        });
        return command;
    }

    // Problems go to stderr one feature a line; the verb's one-line reason comes last.
    public static void Report(ImportResult result)
    {
        if (!result.Succeeded)
        {
            if (result.FeaturesWithProblems > 0)
            {
                foreach (var problem in result.Problems) Console.Error.WriteLine(problem);
            }

            throw new CommandFailedException(result.Summary);
        }

        Console.WriteLine(result.Summary);
        foreach (var note in result.Notes) Console.WriteLine($"  note: {note}");
    }
}
