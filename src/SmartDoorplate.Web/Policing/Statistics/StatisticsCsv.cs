using System.Globalization;
using SmartDoorplate.Analytics.Statistics;
using SmartDoorplate.Localization;
using SmartDoorplate.Occupancy;

namespace SmartDoorplate.Policing.Statistics;

// The statistics as one tidy long table, `section,key,name,sex,count`, one figure a row: easy to
// pivot in Excel or read with any CSV reader. Parameters come first (value in `name`, no count).
//
// Small counts: on screen an officer sees exact figures — they may list the very residents of
// their area anyway (audited). A file leaves the system and travels, like the tenant export, so
// in it each breakdown is protected by SmallCounts: counts of 1–4 are written "x", and so is one
// more cell where a lone hidden cell could be recovered from the total ("<5" would be untrue of
// that one, and would point at the small one). Statistics:CsvSuppressBelow sets the threshold
// (0 = exact figures). Totals stay exact: the map shows them per building already.
public static class StatisticsCsv
{
    public static readonly string[] Header = ["section", "key", "name", "sex", "count"];

    public static byte[] Write(StatisticsDto stats, int suppressBelow, Language language) =>
        TenantExport.Csv(Header, Rows(stats, suppressBelow, language));

    public static IEnumerable<string[]> Rows(StatisticsDto stats, int suppressBelow, Language language)
    {
        string Text(IReadOnlyDictionary<string, Bilingual> names, string key) => names[key].In(language);
        string[] Parameter(string key, string value) => ["parameter", key, value, "", ""];

        yield return Parameter("area", stats.Area.Code is null ? stats.Area.Name : $"{stats.Area.Kind}:{stats.Area.Code} {stats.Area.Name}");
        yield return Parameter("as_of", stats.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return Parameter("from", stats.From);
        yield return Parameter("to", stats.To);
        yield return Parameter("deadline_days", Number(stats.DeadlineDays));
        yield return Parameter("late_after_days", Number(stats.LateAfterDays));
        yield return Parameter("suppress_below", Number(Math.Max(suppressBelow, 0)));

        var totals = stats.Totals;
        foreach (var (key, count) in new[] { ("residents", totals.Residents), ("pending", totals.Pending), ("overdue", totals.Overdue), ("registrations", totals.Registrations), ("late", totals.Late) })
        {
            yield return ["totals", key, Text(StatisticsText.Totals, key), "", Number(count)];
        }

        Cell[][] sections =
        [
            [new("origin", "floating", Text(StatisticsText.Totals, "floating"), "", totals.Floating), new("origin", "local", Text(StatisticsText.Totals, "local"), "", totals.Local)],
            [.. stats.Provinces.Select(p => new Cell("province", p.Code, p.Name, "", p.Count))],
            [.. stats.AgeSex.SelectMany(a => new Cell[] { new("age_sex", a.Band, a.Name, "female", a.Female), new("age_sex", a.Band, a.Name, "male", a.Male) })],
            [.. stats.Reasons.Select(r => new Cell("reason", r.Code, r.Name, "", r.Count))],
            [.. stats.Monthly.Select(m => new Cell("month", m.Month, "", "", m.Registrations))],
            [.. stats.Monthly.Select(m => new Cell("month_late", m.Month, "", "", m.Late))],
        ];
        foreach (var section in sections)
        {
            var hidden = SmallCounts.Suppressed([.. section.Select(c => (long)c.Count)], suppressBelow);
            for (var i = 0; i < section.Length; i++)
            {
                var cell = section[i];
                yield return [cell.Section, cell.Key, cell.Name, cell.Sex, hidden[i] ? StatisticsText.Suppressed : Number(cell.Count)];
            }
        }
    }

    // One figure of a breakdown: the cells of one breakdown add up to a published total.
    private sealed record Cell(string Section, string Key, string Name, string Sex, int Count);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
