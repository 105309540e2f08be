using System.Text.RegularExpressions;

namespace SmartDoorplate.Web.Tests.Architecture;

// The docs are a newcomer's map: a path they name that no longer exists sends the reader nowhere.
// Every repository path written in backticks in the README and docs/ must exist, and every page
// they link to must be there. Paths are read the way the docs write them: from the repository
// root (`src/…`, `scripts/…`), from the web project (`Map/VectorTileLayers`), from either project
// (`Web/…`, `Analytics/…`), with or without the file's extension.
public sealed partial class DocsTests
{
    private static readonly string Root = FindRepositoryRoot();

    private static readonly string[] RootFolders = ["src", "tests", "scripts", "gis-data", "docs"];

    // Where a path that starts with a folder of a project is looked for: the web project first.
    private static readonly string[] ProjectFolders = ["src/SmartDoorplate.Web", "src/SmartDoorplate.Analytics"];

    // The folders of the web project (features and infrastructure) and of the analytics library, so
    // that one the docs name but the code lacks is reported rather than taken for prose.
    private static readonly string[] FeatureFolders =
    [
        "Accounts", "Audit", "Doorplates", "Gis", "Loading", "Map", "Occupancy", "Policing", "Registrations",
        "Data", "Hosting", "Localization", "Privacy", "Cli", "Health", "Shared",
        "Geodesy", "Hotspots", "Identity", "Statistics",
    ];

    private static readonly string[] Extensions = ["", ".cs", ".cshtml", ".md", ".sh"];

    [Fact]
    public void EveryRepositoryPathTheDocsNameInBackticksExists()
    {
        var missing = new List<string>();
        var checkedPaths = 0;
        foreach (var document in Documents())
        {
            foreach (var (line, path) in BacktickPaths(document))
            {
                var candidates = Candidates(path).ToList();
                if (candidates.Count == 0) continue;
                checkedPaths++;
                if (!candidates.Any(Exists)) missing.Add($"{Relative(document)}:{line}: `{path}`");
            }
        }

        Assert.True(checkedPaths > 20, $"only {checkedPaths} paths were found in the docs: is the pattern still right?");
        Assert.True(missing.Count == 0, "paths named in the docs that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void EveryPageTheDocsLinkToExists()
    {
        var missing = new List<string>();
        foreach (var document in Documents())
        {
            foreach (var (line, target) in Links(document))
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target));
                if (!File.Exists(full) && !Directory.Exists(full)) missing.Add($"{Relative(document)}:{line}: ({target})");
            }
        }

        Assert.True(missing.Count == 0, "links in the docs to pages that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void ArchitectureLinksToEveryDesignPageAndToPerformance()
    {
        var architecture = Path.Combine(Root, "docs", "ARCHITECTURE.md");
        var linked = Links(architecture)
            .Select(link => Path.GetFullPath(Path.Combine(Root, "docs", link.Target)))
            .ToHashSet();
        var design = Path.Combine(Root, "docs", "design");
        var pages = (Directory.Exists(design) ? Directory.GetFiles(design, "*.md") : [])
            .Append(Path.Combine(Root, "docs", "performance.md"));

        var unlinked = pages.Where(page => !linked.Contains(Path.GetFullPath(page))).Select(Relative).ToList();

        Assert.True(unlinked.Count == 0, "pages ARCHITECTURE does not link to:\n" + string.Join('\n', unlinked));
    }

    private static IEnumerable<string> Documents()
    {
        yield return Path.Combine(Root, "README.md");
        yield return Path.Combine(Root, "docs", "ARCHITECTURE.md");
        var performance = Path.Combine(Root, "docs", "performance.md");
        if (File.Exists(performance)) yield return performance;
        var design = Path.Combine(Root, "docs", "design");
        if (!Directory.Exists(design)) yield break;
        foreach (var page in Directory.GetFiles(design, "*.md").Order()) yield return page;
    }

    // Inline code spans outside fenced blocks; a command (`scripts/sdp print --grid …`) names its first word.
    private static IEnumerable<(int Line, string Path)> BacktickPaths(string document)
    {
        var inFence = false;
        var number = 0;
        foreach (var text in File.ReadLines(document))
        {
            number++;
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence) continue;
            foreach (Match span in CodeSpan().Matches(text))
            {
                var word = span.Groups[1].Value.Trim().Split(' ', 2)[0].TrimEnd('.', ',', ';', ':');
                if (word.Contains('/')) yield return (number, word);
            }
        }
    }

    private static IEnumerable<(int Line, string Target)> Links(string document)
    {
        var number = 0;
        foreach (var text in File.ReadLines(document))
        {
            number++;
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = link.Groups[1].Value.Split('#', 2)[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                yield return (number, target);
            }
        }
    }

    // The places a path may name, or none when it is not a repository path (a URL, a MIME type,
    // `lon/lat`, a placeholder such as `{code}` or an elided `tests/…/X`).
    private static IEnumerable<string> Candidates(string path)
    {
        if (path.IndexOfAny(['{', '<', '…', '?', '|', '$', '=', '@']) >= 0 || path.StartsWith('/') || path.StartsWith('.')) yield break;
        var first = path.Split('/')[0];
        if (RootFolders.Contains(first))
        {
            yield return path;
            yield break;
        }
        if (first == "Web" || first == "SmartDoorplate.Web")
        {
            yield return "src/SmartDoorplate.Web/" + path[(first.Length + 1)..];
            yield break;
        }
        if (first == "Analytics" || first == "SmartDoorplate.Analytics")
        {
            yield return "src/SmartDoorplate.Analytics/" + path[(first.Length + 1)..];
            yield break;
        }
        var folders = ProjectFolders.Where(project => Directory.Exists(Path.Combine(Root, project, first)) || first == "wwwroot").ToList();
        if (folders.Count == 0 && FeatureFolders.Contains(first))
        {
            // A folder the docs name that neither project has: still a path, so it must be reported.
            folders.Add(ProjectFolders[0]);
        }
        foreach (var project in folders) yield return project + "/" + path;
    }

    private static bool Exists(string relative)
    {
        // `Policing/WatchList/` names a folder: the file Policing/WatchList.cs does not make it true.
        if (relative.EndsWith('/')) return Directory.Exists(Path.Combine(Root, relative));
        var full = Path.Combine(Root, relative);
        var name = Path.GetFileName(full);
        var folder = Path.GetDirectoryName(full)!;
        if (name.Contains('*'))
        {
            return Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder, name).Any();
        }
        return Directory.Exists(full) || Extensions.Any(extension => File.Exists(full + extension));
    }

    private static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmartDoorplate.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"SmartDoorplate.sln was not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
