using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

// What is written for each row of the file, after both passes: how many rows, and any problem
// only the database could see (a building outside its grid), which undoes the import. Of many such
// features only the reported first ones are listed; UnlistedFeatures counts the rest.
internal sealed record WriteOutcome(
    int Imported, IReadOnlyList<(int Number, string Key, string Problem)> Problems, IReadOnlyList<string> Notes, int UnlistedFeatures = 0)
{
    public static WriteOutcome Written(int imported, params string[] notes) => new(imported, [], notes);
}

// One target table of the importer. Subclasses say how a feature becomes a row and how rows are
// written; the two-pass flow (check everything, then write everything) lives here once.
internal abstract class FeatureTable<TRow>(NpgsqlConnection connection) : IImportTable where TRow : class
{
    protected NpgsqlConnection Connection { get; } = connection;

    public abstract ImportKind Kind { get; }

    // The property that identifies a feature in messages and must be unique.
    protected virtual string KeyProperty => "code";

    // A fixed statement with one text[] parameter @keys, returning those keys already stored.
    protected abstract string ExistingKeysSql { get; }

    // CSV has points only (lon/lat columns): only a table of points takes it.
    protected virtual bool AcceptsCsv => false;

    // Called in the checking pass for every row that parsed, for checks that need all rows (CheckAllAsync).
    protected virtual void Checked(TRow row)
    {
    }

    protected virtual Task LoadReferencesAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract TRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems);

    protected abstract string KeyOf(TRow row);

    // Checks that need every row first (e.g. one query for all landlords named in the file).
    protected virtual Task CheckAllAsync(IReadOnlyDictionary<string, int> numbersByKey, ProblemLog problems, ImportOptions options, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected abstract Task<WriteOutcome> WriteAsync(IEnumerable<TRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken);

    // A table whose file is too big to parse twice hands each row to a stage as the checking pass reads
    // it; the stage may write rows before the pass ends, inside the import's savepoint, so a problem
    // anywhere rolls them back with everything else. Null: the file is read again to write.
    protected virtual Task<IRowStage<TRow>?> BeginStagingAsync(CancellationToken cancellationToken) => Task.FromResult<IRowStage<TRow>?>(null);

    public async Task<ImportResult> RunAsync(string path, string fileName, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var csv = FeatureSource.IsCsv(path);
        if (csv && !AcceptsCsv)
        {
            return new ImportResult(Kind, fileName, 0, 0,
                [$"{fileName}: CSV (lon/lat columns) holds points, which only cases are; use GeoJSON, Shapefile or GeoPackage for {ImportTables.Plural(Kind)}"], 0, []);
        }

        // CSV headers are snake_case (case_number): messages name the column as the file does.
        var keyName = csv ? SnakeCaseEnum.ToSnakeCase(KeyProperty) : KeyProperty;
        string Where(int number) => FeatureSource.Describe(path, number);
        await LoadReferencesAsync(cancellationToken);

        var problems = new ProblemLog();
        var numbersByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var features = 0;
        var checking = $"checking {fileName}";
        progress?.Report(new ImportProgress(checking, 0, null));
        await using var stage = await BeginStagingAsync(cancellationToken);
        foreach (var feature in FeatureSource.Read(path, ImportTables.Plural(Kind)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            features++;
            var featureProblems = new List<string>();
            var key = feature.Properties[KeyProperty]?.ToString();
            if (feature.ReadError is not null)
            {
                featureProblems.Add(feature.ReadError);
            }
            else if (Parse(feature, options.Crs, featureProblems) is { } row)
            {
                key = KeyOf(row);
                if (!numbersByKey.TryAdd(key, feature.Number))
                {
                    featureProblems.Add($"{keyName} '{key}' is also used by {Where(numbersByKey[key])}");
                }
                else
                {
                    Checked(row);
                    // Once any feature has a problem nothing will be written: checking goes on, staging stops.
                    if (stage is not null && problems.Count == 0 && featureProblems.Count == 0) await stage.AddAsync(row, cancellationToken);
                }
            }

            problems.AddAll(feature.Number, key, featureProblems);
            if (features % 1000 == 0) progress?.Report(new ImportProgress(checking, features, null));
        }

        progress?.Report(new ImportProgress(checking, features, features));
        // The connection is free for the checks below only once the stage has written its last row.
        var staged = stage is null ? null : await stage.CompleteAsync(cancellationToken);
        if (features == 0) return Failed(fileName, 0, problems, $"{fileName} has no features");

        // The stage checked the keys of the rows it was given; the rest are checked here.
        foreach (var (number, key) in staged?.KeysAlreadyStored ?? []) problems.Add(number, key, AlreadyStored(keyName, key));
        var toCheck = staged is null ? numbersByKey : numbersByKey.Where(k => k.Value > staged.CheckedThrough).ToDictionary(StringComparer.Ordinal);
        await CheckExistingKeysAsync(toCheck, problems, keyName, cancellationToken);
        await CheckAllAsync(numbersByKey, problems, options, cancellationToken);
        if (problems.Count > 0) return Failed(fileName, features, problems, keyName, Where);

        var outcome = stage is not null
            ? await stage.WriteAsync(features, progress, cancellationToken)
            : await WriteAsync(ReadRowsAgain(path, options), features, progress, cancellationToken);
        foreach (var (number, key, problem) in outcome.Problems) problems.Add(number, key, problem);
        problems.AddUnlisted(outcome.UnlistedFeatures);
        if (problems.Count > 0) return Failed(fileName, features, problems, keyName, Where);
        return new ImportResult(Kind, fileName, features, outcome.Imported, [], 0, outcome.Notes);
    }

    private ImportResult Failed(string fileName, int features, ProblemLog problems, string fileProblem) =>
        new(Kind, fileName, features, 0, [fileProblem], 0, []);

    private ImportResult Failed(string fileName, int features, ProblemLog problems, string keyName, Func<int, string> where) =>
        new(Kind, fileName, features, 0, problems.Lines(keyName, where), problems.Count, [], problems.ByFeature(where));

    private async Task CheckExistingKeysAsync(Dictionary<string, int> numbersByKey, ProblemLog problems, string keyName, CancellationToken cancellationToken)
    {
        if (numbersByKey.Count == 0) return;
        await using var command = BulkCopy.Command(ExistingKeysSql, Connection);
        command.Parameters.AddWithValue("keys", numbersByKey.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0).TrimEnd();
            problems.Add(numbersByKey[key], key, AlreadyStored(keyName, key));
        }
    }

    private static string AlreadyStored(string keyName, string key) =>
        $"{keyName} '{key}' already exists in the database (import only adds; remove or rename the feature)";

    // The second pass: every feature passed the first, so a problem now means the file changed.
    private IEnumerable<TRow> ReadRowsAgain(string path, ImportOptions options)
    {
        foreach (var feature in FeatureSource.Read(path, ImportTables.Plural(Kind)))
        {
            var problems = new List<string>();
            yield return (feature.ReadError is null ? Parse(feature, options.Crs, problems) : null)
                ?? throw new FeatureSourceException($"{Path.GetFileName(path)} changed while it was being imported ({FeatureSource.Describe(path, feature.Number)})");
        }
    }
}

// What a stage found while it took the rows: keys already stored (by feature number), and the last
// feature number whose key it checked.
internal sealed record StageChecks(IReadOnlyList<(int Number, string Key)> KeysAlreadyStored, int CheckedThrough);

// The rows of a staged import: added while the file is checked, kept only once every check passed
// (the import's savepoint undoes whatever the stage wrote before a problem showed).
internal interface IRowStage<in TRow> : IAsyncDisposable
{
    Task AddAsync(TRow row, CancellationToken cancellationToken);

    Task<StageChecks> CompleteAsync(CancellationToken cancellationToken);

    Task<WriteOutcome> WriteAsync(int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken);
}

internal interface IImportTable
{
    Task<ImportResult> RunAsync(string path, string fileName, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken cancellationToken);
}
