using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Cli;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Loading.Seed;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Loading.Pilot;

public sealed record PilotLoadResult(bool AlreadyLoaded, IReadOnlyList<string> Problems, IReadOnlyList<(string Table, long Rows)> Counts)
{
    public bool Succeeded => Problems.Count == 0;
}

// Loads gis-data/pilot (改茶村, see gis-data/README.md) once: the jurisdiction tree, buildings with
// their addresses, plates and landlords, rooms, residents with their registrations, cases, the roads
// and landmarks of the map's base layer and the demo accounts, all in one transaction, so that a bad file leaves the database as it was.
public static class PilotDataLoader
{
    public const string DistrictCode = "520103";
    public const string PilotStationCode = "QL-GC";
    public const string OtherStationCode = "QL-XH";

    // Several `scripts/run.sh` may start at once over one database; the second waits, then sees
    // the pilot loaded by the first instead of failing on its unique codes.
    private const long SeedLockKey = 0x5D_5EED_0001;

    private static readonly (ImportKind Kind, string File)[] JurisdictionFiles =
    [
        (ImportKind.Districts, "districts.geojson"),
        (ImportKind.Stations, "stations.geojson"),
        (ImportKind.Grids, "grids.geojson"),
        (ImportKind.Buildings, "buildings.geojson"),
    ];

    public static async Task<int> LoadAsync(IServiceProvider services, DirectoryInfo? dataDirectory, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IHostEnvironment>().IsProduction())
        {
            throw new CommandFailedException("the pilot data set and its demo accounts are never loaded in Production");
        }

        var directory = dataDirectory ?? FindRepositoryPilotData()
            ?? throw new CommandFailedException("gis-data/pilot was not found above the current folder or the app; pass --data DIR");
        if (!directory.Exists) throw new CommandFailedException($"{directory.FullName}: no such folder");

        var result = await ConsoleProgress.RunAsync(progress => LoadAsync(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<PersonalDataProtector>(),
            directory, DemoAccounts.Password, TimeProvider.System, progress, cancellationToken));
        if (result.AlreadyLoaded)
        {
            Console.WriteLine("pilot data already loaded");
            return 0;
        }

        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems) Console.Error.WriteLine(problem);
            throw new CommandFailedException($"the pilot data in {directory.FullName} was not loaded; nothing was changed");
        }

        Console.WriteLine($"pilot data loaded from {directory.FullName}:");
        foreach (var (table, rows) in result.Counts) Console.WriteLine($"  {table,-24} {rows,8}");
        return 0;
    }

    public static async Task<PilotLoadResult> LoadAsync(
        NpgsqlDataSource dataSource, PersonalDataProtector protector, DirectoryInfo directory, string demoPassword,
        TimeProvider clock, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LoadingSql.TakeTransactionLockAsync(connection, SeedLockKey, cancellationToken);

        if (await LoadingSql.StationExistsAsync(connection, DistrictCode, PilotStationCode, cancellationToken))
        {
            // Loaded by a version without the base map's files: add them, once.
            if (!HasBaseMapFiles(directory) || await LoadingSql.BaseMapExistsAsync(connection, cancellationToken)) return new PilotLoadResult(true, [], []);
            var added = await LoadBaseMapAsync(transaction, directory, progress, cancellationToken);
            if (added is not null) return Failed(added);
            var countsNow = await LoadingSql.CountRowsAsync(connection, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PilotLoadResult(false, [], countsNow);
        }

        // Returning without committing rolls everything back when the transaction is disposed.
        foreach (var (kind, file) in JurisdictionFiles)
        {
            // `seed --scale city` run first keeps district 520103 (with its own boundary); the pilot's
            // stations then hang under that row instead of failing on its code.
            if (kind == ImportKind.Districts && await LoadingSql.DistrictExistsAsync(connection, DistrictCode, cancellationToken)) continue;
            var imported = await GeoImporter.ImportAsync(transaction, kind, Path.Combine(directory.FullName, file), new ImportOptions(), progress, cancellationToken);
            if (!imported.Succeeded) return Failed(imported);
        }

        // After the buildings, which created landlord.demo and landlord.other without a password.
        await DemoAccounts.CreateAsync(connection, protector, PilotStationCode, OtherStationCode, demoPassword, cancellationToken);

        var rooms = await RoomsCsv.ImportAsync(connection, Path.Combine(directory.FullName, "rooms.csv"), progress, cancellationToken);
        if (!rooms.Succeeded) return new PilotLoadResult(false, rooms.Problems, []);

        var residents = await ResidentsCsv.ImportAsync(connection, protector, Path.Combine(directory.FullName, "residents.csv"), clock, progress, cancellationToken);
        if (!residents.Succeeded) return new PilotLoadResult(false, residents.Problems, []);

        var cases = await GeoImporter.ImportAsync(transaction, ImportKind.Cases, Path.Combine(directory.FullName, "cases.geojson"), new ImportOptions(), progress, cancellationToken);
        if (!cases.Succeeded) return Failed(cases);

        if (HasBaseMapFiles(directory) && await LoadBaseMapAsync(transaction, directory, progress, cancellationToken) is { } baseMap) return Failed(baseMap);

        var counts = await LoadingSql.CountRowsAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PilotLoadResult(false, [], counts);
    }

    // The roads and landmarks the map's base layer draws (gis-data/README.md); a data directory without
    // them (an older copy, a test's own) still loads.
    private static readonly (ImportKind Kind, string File)[] BaseMapFiles =
    [
        (ImportKind.Roads, "roads.geojson"),
        (ImportKind.Landmarks, "landmarks.geojson"),
    ];

    private static bool HasBaseMapFiles(DirectoryInfo directory) => BaseMapFiles.All(f => File.Exists(Path.Combine(directory.FullName, f.File)));

    // Null when both loaded; else the failed import (the transaction is back where it was).
    private static async Task<ImportResult?> LoadBaseMapAsync(NpgsqlTransaction transaction, DirectoryInfo directory,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var (kind, file) in BaseMapFiles)
        {
            var imported = await GeoImporter.ImportAsync(transaction, kind, Path.Combine(directory.FullName, file), new ImportOptions(), progress, cancellationToken);
            if (!imported.Succeeded) return imported;
        }
        return null;
    }

    private static PilotLoadResult Failed(ImportResult result) =>
        new(false, result.FeaturesWithProblems > 0 ? [result.Summary, .. result.Problems] : result.Problems, []);

    // scripts/run.sh passes --data; this default serves `dotnet run` from anywhere in the repository.
    private static DirectoryInfo? FindRepositoryPilotData()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = new DirectoryInfo(Path.Combine(folder.FullName, "gis-data", "pilot"));
                if (File.Exists(Path.Combine(candidate.FullName, "districts.geojson"))) return candidate;
            }
        }

        return null;
    }
}
