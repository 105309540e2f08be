using Npgsql;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Loading.Import;

public enum ImportKind { Districts, Stations, Grids, Buildings, Cases, Roads, Landmarks }

// Scope limits where imported rows may lie (an officer imports cases of their own jurisdiction only);
// null is the system (the command-line verbs, the pilot loader), which may import anywhere.
public sealed record ImportOptions(SourceCrs Crs = SourceCrs.Wgs84, CallerScope? Scope = null);

// One feature's (or CSV line's) problems, for an API that answers field by field.
public sealed record FeatureProblems(int Number, string Where, IReadOnlyList<string> Problems);

// Total is null while it is not known yet (a GeoJSON file is streamed, not counted first).
public sealed record ImportProgress(string Stage, int Done, int? Total);

public sealed record ImportResult(
    ImportKind Kind,
    string FileName,
    int Features,
    int Imported,
    IReadOnlyList<string> Problems,
    int FeaturesWithProblems,
    IReadOnlyList<string> Notes,
    IReadOnlyList<FeatureProblems>? ProblemsByFeature = null)
{
    public bool Succeeded => FeaturesWithProblems == 0 && Problems.Count == 0;

    public string Summary => Succeeded
        ? $"imported {Imported} {ImportTables.Plural(Kind)} from {FileName}"
        : FeaturesWithProblems > 0
            ? $"{FileName}: {FeaturesWithProblems} of {Features} features have problems; nothing was imported"
            : Problems[0];
}

// Imports districts, police stations, grids, buildings or cases from a GeoJSON, Shapefile or
// GeoPackage file (cases also from CSV with lon/lat columns), streaming: first every feature is checked
// (geometry, properties, parent codes, duplicates in the file and in the database), and only when all
// are fine is anything written with binary COPY. Buildings are read once, into a staging table as they
// are checked, and moved from there; the other kinds read the file a second time to write it. Nothing
// is written when any feature has a problem, and a failure while writing rolls back to where the
// import began.
public static class GeoImporter
{
    public const int MaxReportedFeatures = 20;

    public static async Task<ImportResult> ImportAsync(
        NpgsqlDataSource dataSource, ImportKind kind, string path, ImportOptions options,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await ImportAsync(transaction, kind, path, options, progress, cancellationToken);
        if (result.Succeeded) await transaction.CommitAsync(cancellationToken);
        return result;
    }

    // Runs inside the caller's transaction (the pilot loader imports five files in one); on
    // failure the transaction is back where it was before this call.
    public static async Task<ImportResult> ImportAsync(
        NpgsqlTransaction transaction, ImportKind kind, string path, ImportOptions options,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        const string savepoint = "geo_import";
        await transaction.SaveAsync(savepoint, cancellationToken);
        try
        {
            var result = await ImportTables.For(kind, transaction.Connection!)
                .RunAsync(path, fileName, options, progress, cancellationToken);
            if (!result.Succeeded) await transaction.RollbackAsync(savepoint, cancellationToken);
            return result;
        }
        catch (FeatureSourceException ex)
        {
            await transaction.RollbackAsync(savepoint, cancellationToken);
            return new ImportResult(kind, fileName, 0, 0, [ex.Message], 0, []);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation
                                           or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation)
        {
            // The checks ran before writing, so this means someone else changed the same rows meanwhile.
            await transaction.RollbackAsync(savepoint, cancellationToken);
            return new ImportResult(kind, fileName, 0, 0,
                [$"{fileName}: the database refused the rows ({ex.MessageText}{(ex.Detail is null ? "" : ": " + ex.Detail)}); nothing was imported"], 0, []);
        }
    }
}

// Problems by feature number, in file order, each feature on one line.
internal sealed class ProblemLog
{
    private readonly SortedDictionary<int, (string? Key, List<string> Problems)> byFeature = [];

    // Features with problems beyond the reported ones, known only by their number.
    private int unlisted;

    public int Count => byFeature.Count + unlisted;

    public void AddUnlisted(int features) => unlisted += features;

    public void Add(int featureNumber, string? key, string problem)
    {
        if (!byFeature.TryGetValue(featureNumber, out var entry))
        {
            entry = (key, []);
            byFeature[featureNumber] = entry;
        }

        entry.Problems.Add(problem);
    }

    public void AddAll(int featureNumber, string? key, IEnumerable<string> problems)
    {
        foreach (var problem in problems) Add(featureNumber, key, problem);
    }

    public IReadOnlyList<string> Lines(string keyProperty, Func<int, string> where)
    {
        var lines = byFeature.Take(GeoImporter.MaxReportedFeatures)
            .Select(f => $"{where(f.Key)}{(f.Value.Key is null ? "" : $" ({keyProperty} {f.Value.Key})")}: {string.Join("; ", f.Value.Problems)}")
            .ToList();
        if (Count > GeoImporter.MaxReportedFeatures)
        {
            lines.Add($"and {Count - GeoImporter.MaxReportedFeatures} more features with problems");
        }

        return lines;
    }

    public IReadOnlyList<FeatureProblems> ByFeature(Func<int, string> where) =>
        [.. byFeature.Take(GeoImporter.MaxReportedFeatures).Select(f => new FeatureProblems(f.Key, where(f.Key), f.Value.Problems))];
}
