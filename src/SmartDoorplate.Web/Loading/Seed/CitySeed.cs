using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Cli;
using SmartDoorplate.Privacy;
using Spectre.Console;

namespace SmartDoorplate.Loading.Seed;

public sealed record CitySeedOptions(int Seed = CitySeedOptions.DefaultSeed, int Buildings = CitySeedOptions.DefaultBuildings)
{
    public const int DefaultSeed = 1;
    public const int DefaultBuildings = 200_000;
    public const int MinBuildings = 100;
    // The lattice has 640,000 cells; past this the countryside would fill up as densely as the centre.
    public const int MaxBuildings = 400_000;

    // Guiyang-like ratios: ten registered residents and five cases (over five years) per building.
    public int Persons => Buildings * 10;
    public int Cases => Buildings * 5;
}

// `seed --scale city`: a Guiyang-sized synthetic data set for benchmarks (vector tiles, polygon
// queries, hot spots over five years) — districts, stations, grids, buildings with addresses, plates
// and rooms, persons with encrypted ID numbers, their registrations, and cases.
//
// It all goes in with binary COPY inside one transaction, so a failed or interrupted run leaves
// nothing behind, and a run that finds CITY- data already there says so and changes nothing. Every
// code it writes starts with CITY- (districts, whose codes are fixed, are reused when present), so it
// sits beside the pilot data in the same database; ground already covered by non-city grids (the
// pilot) is kept free of generated buildings and cases.
public static class CitySeed
{
    public const string CodePrefix = "CITY-";

    public static async Task<int> GenerateAsync(IServiceProvider services, CitySeedOptions options, CancellationToken cancellationToken)
    {
        if (options.Buildings is < CitySeedOptions.MinBuildings or > CitySeedOptions.MaxBuildings)
            throw new CommandFailedException($"--buildings must be between {CitySeedOptions.MinBuildings:N0} and {CitySeedOptions.MaxBuildings:N0}");
        try
        {
            return await GenerateInTransactionAsync(services, options, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new CommandFailedException($"seeding the city failed and was rolled back: {CommandFailedException.DatabaseReason(e)}");
        }
    }

    private static async Task<int> GenerateInTransactionAsync(IServiceProvider services, CitySeedOptions options, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var protector = services.GetRequiredService<PersonalDataProtector>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Writers wait (readers don't) until the seed commits; a second seed started meanwhile then
        // finds the first one's rows and stops.
        await LoadingSql.LockTablesAsync(connection, CitySeedWriter.Tables, cancellationToken);
        var seededStations = await LoadingSql.CountCodesStartingAsync(connection, "police_stations", CodePrefix, cancellationToken);
        if (seededStations > 0)
        {
            var buildings = await LoadingSql.CountCodesStartingAsync(connection, "buildings", CodePrefix, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the city data set is already seeded ({seededStations:N0} police stations, {buildings:N0} buildings with {CodePrefix} codes); nothing to do"));
            return 0;
        }

        // The pilot's ground (grids that are not ours) stays free of generated buildings and cases.
        var reservedAreas = await LoadingSql.GridExtentsNotStartingAsync(connection, CodePrefix, cancellationToken);
        // No generated person may duplicate an ID number already registered.
        var takenIdNumbers = await LoadingSql.IdNumberIndexPrefixesAsync(connection, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeding the city: {options.Buildings:N0} buildings, {options.Persons:N0} persons, {options.Cases:N0} cases (seed {options.Seed})"));
        if (reservedAreas.Count > 0)
            Console.WriteLine($"keeping the ground of {reservedAreas.Count} existing grid(s) free of generated buildings and cases");

        async Task<List<SeedStepTiming>> Run(SeedProgress progress)
        {
            var layoutStep = progress.Begin("layout (in memory)", 0);
            var layout = await Task.Run(() => CityLayout.Create(options.Seed, options.Buildings, reservedAreas), cancellationToken);
            layoutStep.Finish();

            await new CitySeedWriter(connection, layout, options, protector, takenIdNumbers, progress, now, cancellationToken).WriteAllAsync();

            var commitStep = progress.Begin("commit", 0);
            await transaction.CommitAsync(cancellationToken);
            commitStep.Finish();

            // Fresh statistics for the planner; vacuum too, so that the visibility map is set (index-only
            // scans) and autovacuum does not start on millions of new rows in the middle of a benchmark.
            var analyzeStep = progress.Begin("vacuum analyze", 0);
            await LoadingSql.VacuumAnalyzeAsync(connection, CitySeedWriter.Tables, cancellationToken);
            // Each COPY statement of registrations moved the counts of most buildings (persons and their
            // registrations are written interleaved), so the triggers left building_counts at about
            // eight dead versions per row: 100 MB for 16 MB of counts, which a hash join over the
            // table (population tiles) read in full. Rewritten compact, as a live table would stay.
            await LoadingSql.VacuumFullAsync(connection, "building_counts", cancellationToken);
            analyzeStep.Finish();
            return progress.Timings;
        }

        var timings = SeedProgress.IsInteractive
            ? await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(ctx => Run(new SeedProgress(ctx, Console.Out)))
            : await Run(new SeedProgress(null, Console.Out));

        var size = await LoadingSql.DatabaseSizeAsync(connection, cancellationToken);
        PrintSummary(timings, total.Elapsed, size);
        return 0;
    }

    private static void PrintSummary(List<SeedStepTiming> timings, TimeSpan total, string databaseSize)
    {
        var lines = new List<string> { "", $"{"step",-26} {"rows",12} {"seconds",9} {"rows/s",10}" };
        lines.AddRange(timings.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Name,-26} {(t.Rows > 0 ? t.Rows.ToString("N0", CultureInfo.InvariantCulture) : ""),12} {t.Elapsed.TotalSeconds,9:F1} {(t.Rows > 0 ? (t.Rows / Math.Max(t.Elapsed.TotalSeconds, 0.001)).ToString("N0", CultureInfo.InvariantCulture) : ""),10}")));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"total",-26} {timings.Sum(t => t.Rows),12:N0} {total.TotalSeconds,9:F1}"));
        lines.Add($"database size: {databaseSize}");
        foreach (var line in lines) Console.WriteLine(line);
    }
}
