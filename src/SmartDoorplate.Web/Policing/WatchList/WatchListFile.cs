using System.Text;
using System.Text.RegularExpressions;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.WatchList;

public sealed record WatchListLine(int Line, ResidentIdNumber IdNumber, string? Reference, string? Reason);

public sealed record WatchListLineProblem(int Line, Bilingual Problem);

// An uploaded watch list: UTF-8 text, either one ID number per line or CSV with the header
// `id_number,reference,reason` (reference and reason optional; without a header the columns are
// taken in that order). Every line is checked (GB 11643 through Analytics/Identity) before anything
// is stored, and every bad line is reported by number. The same number twice in a file is one entry.
public static partial class WatchListFile
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxEntries = 10_000;
    public const int MaxReportedProblems = 100;
    public static readonly string[] Columns = ["id_number", "reference", "reason"];

    public static (List<WatchListLine> Lines, List<WatchListLineProblem> Problems) Parse(string text, DateOnly today)
    {
        var lines = new List<WatchListLine>();
        var problems = new List<WatchListLineProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[]? header = null;
        var lineNumber = 0;
        foreach (var rawLine in text.TrimStart('\uFEFF').Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var fields = SplitCsv(line);
            if (fields is null)
            {
                problems.Add(new(lineNumber, WatchListText.LineQuoting));
                continue;
            }

            if (header is null && lines.Count == 0 && fields[0].Trim().Equals(Columns[0], StringComparison.OrdinalIgnoreCase))
            {
                header = [.. fields.Select(f => f.Trim().ToLowerInvariant())];
                var unknown = header.Where(h => !Columns.Contains(h)).ToArray();
                if (unknown.Length > 0 || header.Distinct().Count() != header.Length)
                    problems.Add(new(lineNumber, WatchListText.HeaderColumns.Format(string.Join(",", Columns))));
                continue;
            }

            var columns = header ?? Columns;
            if (fields.Length > columns.Length)
            {
                problems.Add(new(lineNumber, WatchListText.TooManyFields.Format(columns.Length)));
                continue;
            }

            string? Field(string name)
            {
                var index = Array.IndexOf(columns, name);
                var value = index >= 0 && index < fields.Length ? fields[index].Trim() : "";
                return value.Length == 0 ? null : value;
            }

            var id = ResidentIdNumber.Validate(Field("id_number"), today);
            var reference = Field("reference");
            var reason = Field("reason");
            var before = problems.Count;
            if (!id.IsValid) problems.Add(new(lineNumber, RegistrationText.IdProblem(id.Error.Value, WatchListText.IdMissing)));
            if (reference is { Length: > WatchEntryConfiguration.MaxReferenceLength })
                problems.Add(new(lineNumber, WatchListText.ReferenceTooLong.Format(WatchEntryConfiguration.MaxReferenceLength)));
            if (reason is { Length: > WatchEntryConfiguration.MaxReasonLength })
                problems.Add(new(lineNumber, WatchListText.ReasonTooLong.Format(WatchEntryConfiguration.MaxReasonLength)));
            if ((reference is not null && !PlainText().IsMatch(reference)) || (reason is not null && !PlainText().IsMatch(reason)))
                problems.Add(new(lineNumber, WatchListText.TextCharacters));
            if (problems.Count > before || !id.IsValid) continue;

            if (seen.Add(id.Number.Value)) lines.Add(new(lineNumber, id.Number, reference, reason));
        }

        if (lines.Count == 0 && problems.Count == 0) problems.Add(new(0, WatchListText.Empty));
        if (lines.Count > MaxEntries) problems.Add(new(0, WatchListText.TooManyEntries.Format(MaxEntries)));
        return (lines, problems);
    }

    public static Bilingual Describe(WatchListLineProblem problem) =>
        problem.Line == 0 ? problem.Problem : WatchListText.AtLine.Format(problem.Line, problem.Problem.Zh, problem.Problem.En);

    // RFC 4180 fields of one line: commas, optional double quotes with "" inside. A field that
    // opens a quote and never closes it is a broken line (answers null); so is text after a closing quote.
    private static string[]? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) return null;
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                var rest = i;
                while (rest < line.Length && line[rest] == ' ') rest++;
                if (rest < line.Length && line[rest] != ',') return null;
                i = rest;
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
            }

            fields.Add(field.ToString());
            if (i >= line.Length) return [.. fields];
            i++; // the comma
        }
    }

    [GeneratedRegex(@"^[^<>\p{Cc}]*$")]
    private static partial Regex PlainText();
}
