using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Analytics.Statistics;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;
using Sex = SmartDoorplate.Registrations.Sex;

namespace SmartDoorplate.Policing.Statistics;

public sealed class StatisticsOptions
{
    public const string Section = "Statistics";
    // How many calendar months the registrations series covers, the current one included.
    public int Months { get; set; } = 12;
    // Counts from 1 to this − 1 are written "<N" in the CSV export (0 or 1: no suppression);
    // see ResidentStatistics.CsvRows for why only the export.
    public int CsvSuppressBelow { get; set; } = 5;
}

public sealed record StatisticsAreaDto(string Kind, string? Code, string Name);

public sealed record StatisticsTotalsDto(int Residents, int Floating, int Local, int Pending, int Overdue, int Registrations, int Late);

public sealed record ProvinceCountDto(string Code, string Name, int Count);

public sealed record AgeSexCountDto(string Band, string Name, int Female, int Male);

public sealed record ReasonCountDto(string Code, string Name, int Count);

public sealed record MonthCountDto(string Month, int Registrations, int Late);

// Counts only, never a person. Months are Guiyang calendar months ("yyyy-MM").
public sealed record StatisticsDto(
    StatisticsAreaDto Area, DateOnly AsOf, int DeadlineDays, int LateAfterDays, int Months, string From, string To,
    StatisticsTotalsDto Totals, IReadOnlyList<ProvinceCountDto> Provinces, IReadOnlyList<AgeSexCountDto> AgeSex,
    IReadOnlyList<ReasonCountDto> Reasons, IReadOnlyList<MonthCountDto> Monthly);

// The residents' statistics of a grid, a station, a district or everything the caller sees. Every
// figure is a COUNT or GROUP BY in PostgreSQL, in one statement (StatisticsSql) scoped like the query
// filters (Data/ScopeSql); only the counts come back. The definitions are the app's own: residents =
// ResidenceRegistration.IsOccupying, floating = ID issued outside Guiyang (CurrentResidents.IsFloating,
// region not 5201xx), pending = submitted, overdue = submitted longer ago than
// Registrations:LandlordDeadlineDays (the police queue's rule), late = flagged late at submission
// (Registrations:LateAfterDays). A station of the city seed (~50,000 registrations) takes well under a
// second (docs/performance.md); a whole city of 2,000,000 registrations takes seconds.
public static class ResidentStatistics
{
    public static async Task<StatisticsDto> ComputeAsync(
        SmartDoorplateDb db, StatisticsArea area, TimeProvider clock, RegistrationOptions registrationOptions,
        StatisticsOptions options, Language language, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var local = now.ToOffset(ChinaTime.Offset);
        var today = DateOnly.FromDateTime(local.DateTime);
        var months = Math.Clamp(options.Months, 1, 120);
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-(months - 1));
        // Npgsql writes timestamptz parameters in UTC only.
        var periodStart = new DateTimeOffset(firstMonth.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();
        var periodEnd = new DateTimeOffset(new DateOnly(today.Year, today.Month, 1).AddMonths(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();
        var submittedBefore = now.AddDays(-registrationOptions.LandlordDeadlineDays);

        var figures = await ReadFiguresAsync(db, area, today, submittedBefore, periodStart, periodEnd, ct);
        var origin = figures.Totals;
        var open = figures.Open;
        var provinces = figures.Provinces;
        var ageSex = figures.AgeSex;
        var reasons = figures.Reasons;
        var monthly = figures.Monthly;

        var residentsTotal = origin.Residents;
        var floating = origin.Floating;
        var series = Enumerable.Range(0, months).Select(i => firstMonth.AddMonths(i)).Select(month =>
        {
            var found = monthly.Where(m => m.Year == month.Year && m.Month == month.Month).ToList();
            return new MonthCountDto(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), found.Sum(m => m.Registrations), found.Sum(m => m.Late));
        }).ToList();

        return new StatisticsDto(
            new StatisticsAreaDto(SnakeCaseEnum.ToCode(area.Kind), area.Code, area.Name),
            today, registrationOptions.LandlordDeadlineDays, registrationOptions.LateAfterDays, months,
            series[0].Month, series[^1].Month,
            new StatisticsTotalsDto(residentsTotal, floating, residentsTotal - floating, open.Pending, open.Overdue,
                series.Sum(m => m.Registrations), series.Sum(m => m.Late)),
            provinces.OrderByDescending(p => p.Count).ThenBy(p => p.Code, StringComparer.Ordinal)
                .Select(p => new ProvinceCountDto(p.Code, ProvinceName(p.Code, language), p.Count)).ToList(),
            AgeBands.Standard.Select((band, i) => new AgeSexCountDto(band.Key, StatisticsText.AgeBands[band.Key].In(language),
                ageSex.Where(a => a.Band == i && a.Sex == Sex.Female).Sum(a => a.Count),
                ageSex.Where(a => a.Band == i && a.Sex == Sex.Male).Sum(a => a.Count))).ToList(),
            Enum.GetValues<ResidenceReason>().Select(reason => new ReasonCountDto(SnakeCaseEnum.ToCode(reason), RegistrationText.Reasons[reason].In(language),
                reasons.Where(r => r.Reason == reason).Sum(r => r.Count))).ToList(),
            series);
    }

    private sealed record Figures(
        (int Residents, int Floating) Totals, (int Pending, int Overdue) Open, List<(string Code, int Count)> Provinces,
        List<(int Band, Sex Sex, int Count)> AgeSex, List<(ResidenceReason Reason, int Count)> Reasons,
        List<(int Year, int Month, int Registrations, int Late)> Monthly);

    // The one statement of StatisticsSql, its rows sorted into the figures.
    private static async Task<Figures> ReadFiguresAsync(
        SmartDoorplateDb db, StatisticsArea area, DateOnly today, DateTimeOffset overdueBefore,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken ct)
    {
        var figures = new Figures((0, 0), (0, 0), [], [], [], []);
        var totals = figures.Totals;
        var open = figures.Open;
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = StatisticsSql.FiguresCommand(db.Scope, area.GridId, area.StationId, null, today, overdueBefore,
            periodStart, periodEnd, (int)ChinaTime.Offset.TotalHours);
        command.Connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = reader.IsDBNull(1) ? null : reader.GetString(1);
                var n = (int)reader.GetInt64(3);
                var m = (int)reader.GetInt64(4);
                switch (reader.GetString(0))
                {
                    case "totals": totals = (n, m); break;
                    case "open": open = (n, m); break;
                    case "province": figures.Provinces.Add((key!, n)); break;
                    case "age_sex": figures.AgeSex.Add((int.Parse(key!, CultureInfo.InvariantCulture), SnakeCaseEnum.Parse<Sex>(reader.GetString(2)), n)); break;
                    case "reason": figures.Reasons.Add((SnakeCaseEnum.Parse<ResidenceReason>(key!), n)); break;
                    case "month":
                        figures.Monthly.Add((int.Parse(key![..4], CultureInfo.InvariantCulture), int.Parse(key[5..], CultureInfo.InvariantCulture), n, m));
                        break;
                }
            }
        }
        return figures with { Totals = totals, Open = open };
    }

    private static string ProvinceName(string code, Language language) =>
        Province.TryGet(code, out var province)
            ? (language == Language.En ? province.EnglishName : province.ChineseName)
            : StatisticsText.UnknownProvince.In(language);
}
