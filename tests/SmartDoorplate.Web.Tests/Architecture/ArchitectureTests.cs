using System.Text.RegularExpressions;

namespace SmartDoorplate.Web.Tests.Architecture;

// The shape of src/SmartDoorplate.Web, read from its source files: features stay apart, raw SQL
// lives in its homes, and Gis/ stays the bottom layer of geometry. The lists of known exceptions are
// data, each with its reason; an entry that no longer applies fails too, so the lists only shrink.
public partial class ArchitectureTests
{
    public static readonly string[] Features = ["Accounts", "Audit", "Doorplates", "Gis", "Loading", "Map", "Occupancy", "Policing", "Registrations"];

    public const int MaxOtherFeatures = 3;

    // The composition roots: they see every feature by design.
    public static readonly string[] CompositionRoots = ["Program.cs", "Data/SmartDoorplateDb.cs", "Data/SmartDoorplateDb.Scope.cs"];

    // Files that import more than three other features today, and why.
    public static readonly IReadOnlyDictionary<string, string> KnownWideImports = new Dictionary<string, string>();

    // The homes of raw SQL: one *Sql class per feature (or sub-feature), the tile layers' base class
    // that runs each layer's statement, and the one COPY helper.
    public static readonly string[] SqlHomes =
    [
        "Accounts/AccountsSql.cs",
        "Audit/AuditSql.cs",
        "Data/NoticeSql.cs",
        "Doorplates/DoorplatesSql.cs",
        "Gis/BuildingsSql.cs",
        "Health/HealthSql.cs",
        "Loading/LoadingSql.cs",
        "Loading/Tables/BulkCopy.cs",
        "Map/MapSql.cs",
        "Map/VectorTileLayer.cs",
        "Occupancy/OccupancySql.cs",
        "Policing/Hotspots/HotspotSql.cs",
        "Policing/Patrol/PatrolSql.cs",
        "Policing/Report/PilotReportSql.cs",
        "Policing/Statistics/StatisticsSql.cs",
        "Policing/WatchList/WatchListSql.cs",
        "Registrations/RegistrationsSql.cs",
    ];

    // Raw SQL outside the homes today, and why.
    public static readonly IReadOnlyDictionary<string, string> KnownRawSql = new Dictionary<string, string>
    {
        ["Loading/Import/FeatureSource.cs"] = "reads an uploaded GeoPackage file (SQLite, its own gpkg_contents), not our database",
    };

    // Gis/ files that import Map/ or Loading/ today, and why.
    public static readonly IReadOnlyDictionary<string, string> KnownGisLayering = new Dictionary<string, string>();

    [GeneratedRegex(@"^using\s+(?:static\s+)?SmartDoorplate\.([A-Za-z]+)", RegexOptions.Multiline)]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"new\s+NpgsqlCommand\s*\(|new\s+NpgsqlBatchCommand\s*\(|\bExecuteSql\w*\s*\(|\bSqlQuery\w*\s*[<(]|\bFromSql\w*\s*\(|\b\w*(?:[Dd]ataSource|[Cc]onnection)\w*\s*\.\s*CreateCommand\s*\(|\bBegin\w*(?:Import|Export)\w*\s*\(|\bBulkCopy\s*\.\s*Command\s*\(\s*\$?\x22|\bBulkCopy\s*\.\s*ExecuteAsync\s*\(\s*\w+\s*,\s*\$?\x22")]
    private static partial Regex RawSqlPattern();

    [Fact]
    public void NoFileImportsMoreThanThreeOtherFeatures()
    {
        var wide = SourceFiles().Where(f => !CompositionRoots.Contains(f.Path))
            .Select(f => (f.Path, Others: OtherFeaturesImported(f.Path, f.Text)))
            .Where(f => f.Others.Count > MaxOtherFeatures)
            .ToDictionary(f => f.Path, f => string.Join(", ", f.Others));

        AssertOnlyKnown(wide, KnownWideImports, "imports more than three other features");
    }

    [Fact]
    public void RawSqlIsWrittenOnlyInItsHomes()
    {
        var raw = SourceFiles().Where(f => !SqlHomes.Contains(f.Path) && HasRawSql(f.Text))
            .ToDictionary(f => f.Path, f => RawSqlPattern().Match(f.Text).Value);

        AssertOnlyKnown(raw, KnownRawSql, "writes raw SQL outside the homes");
    }

    [Fact]
    public void EverySqlHomeExistsAndHoldsSql()
    {
        var files = SourceFiles().ToDictionary(f => f.Path, f => f.Text);

        Assert.All(SqlHomes, home => Assert.True(files.TryGetValue(home, out var text) && HasRawSql(text), $"{home} is listed as a home of SQL but holds none"));
    }

    [Fact]
    public void GisImportsNeitherLoadingNorMap()
    {
        var upward = SourceFiles().Where(f => FeatureOf(f.Path) == "Gis")
            .Select(f => (f.Path, Above: OtherFeaturesImported(f.Path, f.Text).Intersect(new[] { "Loading", "Map" }).ToList()))
            .Where(f => f.Above.Count > 0)
            .ToDictionary(f => f.Path, f => string.Join(", ", f.Above));

        AssertOnlyKnown(upward, KnownGisLayering, "makes Gis/ depend on a feature above it");
    }

    // The checks themselves, on files made up for the purpose: each finds what it is there to find.
    [Fact]
    public void TheChecksFindAViolationWhenOneIsWritten()
    {
        const string wide = """
            using SmartDoorplate.Accounts;
            using SmartDoorplate.Audit;
            using SmartDoorplate.Data;
            using SmartDoorplate.Gis;
            using SmartDoorplate.Policing.Cases;
            using static SmartDoorplate.Registrations.RegistrationRules;
            namespace SmartDoorplate.Map;
            """;
        Assert.Equal(new[] { "Accounts", "Audit", "Gis", "Policing", "Registrations" }, OtherFeaturesImported("Map/NewPanel.cs", wide));
        Assert.Equal(new[] { "Accounts", "Audit", "Policing", "Registrations" }, OtherFeaturesImported("Gis/NewQuery.cs", wide));

        Assert.True(HasRawSql("""await db.Database.ExecuteSqlAsync($"delete from persons", ct);"""));
        Assert.True(HasRawSql("""await using var command = new NpgsqlCommand("select 1", connection);"""));
        Assert.True(HasRawSql("""var rows = db.Persons.FromSql($"select * from persons").ToList();"""));
        Assert.True(HasRawSql("""await using var writer = await connection.BeginBinaryImportAsync("copy t from stdin (format binary)");"""));
        Assert.True(HasRawSql("""await using var command = dataSource.CreateCommand("select 1");"""));
        Assert.True(HasRawSql("""using var command = connection.CreateCommand();"""));
        Assert.False(HasRawSql("""var rows = await db.Persons.Where(p => p.Name == name).ExecuteDeleteAsync(ct);"""));
        // The loaders' command helper takes statement text: written inline it is raw SQL, handed a home's statement it is not.
        Assert.True(HasRawSql("""await using var command = BulkCopy.Command("select 1", connection);"""));
        Assert.True(HasRawSql("""await BulkCopy.ExecuteAsync(connection, $"vacuum {table}", ct);"""));
        Assert.False(HasRawSql("""await BulkCopy.ExecuteAsync(Connection, ImportSql.AnalyzeBuildings, ct);"""));
        // A method of our own that is named CreateCommand and hands back a home's statement is no raw SQL.
        Assert.False(HasRawSql("""await using var command = tileLayer.CreateCommand(dataSource, tile, scope, parameters);"""));
    }

    private static void AssertOnlyKnown(IReadOnlyDictionary<string, string> found, IReadOnlyDictionary<string, string> known, string what)
    {
        var unexpected = found.Keys.Except(known.Keys).Order().Select(path => $"{path} {what} ({found[path]})").ToList();
        var stale = known.Keys.Except(found.Keys).Order().Select(path => $"{path} is listed as a known exception but no longer is one: remove it").ToList();
        Assert.True(unexpected.Count == 0 && stale.Count == 0, string.Join("\n", unexpected.Concat(stale)));
    }

    private static List<string> OtherFeaturesImported(string path, string text)
    {
        var own = FeatureOf(path);
        return UsingPattern().Matches(text).Select(m => m.Groups[1].Value)
            .Where(name => Features.Contains(name) && name != own).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static bool HasRawSql(string text) => RawSqlPattern().IsMatch(text);

    private static string? FeatureOf(string path) => path.Split('/')[0] is var top && Features.Contains(top) ? top : null;

    // Every C# file of the web project (migrations are generated, not written), by its path from the project folder.
    private static IEnumerable<(string Path, string Text)> SourceFiles()
    {
        var project = Path.Combine(RepoRoot(), "src", "SmartDoorplate.Web");
        return Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(project, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal)
                && !path.StartsWith("Data/Migrations/", StringComparison.Ordinal) && !path.StartsWith("node_modules/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(Path.Combine(project, path))));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmartDoorplate.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no SmartDoorplate.sln above {AppContext.BaseDirectory}");
    }
}
