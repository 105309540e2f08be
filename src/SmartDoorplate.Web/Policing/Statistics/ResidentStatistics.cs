using System.Globalization;
using System.Linq.Expressions;
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

// The residents' statistics of a grid or station. Every figure is a GROUP BY or COUNT in PostgreSQL
// over the registrations of the area, read through the scope query filters; only the counts come back.
// The definitions are the app's own: residents = ResidenceRegistration.IsOccupying, floating = ID
// issued outside Guiyang (CurrentResidents.IsFloating, region not 5201xx), pending = submitted,
// overdue = submitted longer ago than Registrations:LandlordDeadlineDays (the police queue's rule),
// late = flagged late at submission (Registrations:LateAfterDays).
// REVIEW (city scale): six statements, each scanning the area's registrations ((building_id, status)
// index via the area's buildings). A station of the city seed is ~30,000 rows; a district or an
// admin's whole city (2,000,000) is seconds per request — measure before district officers use it.
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

        var registrations = area.Registrations(db);
        var residents = registrations.Where(ResidenceRegistration.IsOccupying);

        var origin = await residents.GroupBy(r => 1)
            .Select(g => new { Residents = g.Count(), Floating = g.AsQueryable().Count(CurrentResidents.IsFloatingResident) })
            .SingleOrDefaultAsync(ct);
        var open = await registrations.Where(r => r.Status == RegistrationStatus.Submitted).GroupBy(r => 1)
            .Select(g => new { Pending = g.Count(), Overdue = g.Count(r => r.SubmittedAt < submittedBefore) })
            .SingleOrDefaultAsync(ct);

        var provinces = await residents.GroupBy(r => r.Person!.OriginRegionCode.Substring(0, 2))
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        var ageSex = await residents.Select(r => r.Person!).Select(BandAndSex(today))
            .GroupBy(p => new { p.Band, p.Sex })
            .Select(g => new { g.Key.Band, g.Key.Sex, Count = g.Count() })
            .ToListAsync(ct);

        var reasons = await residents.GroupBy(r => r.Reason)
            .Select(g => new { Reason = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        // Shifted by +8 h so that the UTC calendar fields are Guiyang's (China has no daylight saving).
        var offsetHours = ChinaTime.Offset.TotalHours;
        var monthly = await registrations.Where(r => r.SubmittedAt >= periodStart && r.SubmittedAt < periodEnd)
            .Select(r => new { Local = r.SubmittedAt.AddHours(offsetHours), r.Late })
            .GroupBy(r => new { r.Local.Year, r.Local.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Registrations = g.Count(), Late = g.Count(r => r.Late) })
            .ToListAsync(ct);

        var residentsTotal = origin?.Residents ?? 0;
        var floating = origin?.Floating ?? 0;
        var series = Enumerable.Range(0, months).Select(i => firstMonth.AddMonths(i)).Select(month =>
        {
            var found = monthly.FirstOrDefault(m => m.Year == month.Year && m.Month == month.Month);
            return new MonthCountDto(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), found?.Registrations ?? 0, found?.Late ?? 0);
        }).ToList();

        return new StatisticsDto(
            new StatisticsAreaDto(SnakeCaseEnum.ToCode(area.Kind), area.Code, area.Name),
            today, registrationOptions.LandlordDeadlineDays, registrationOptions.LateAfterDays, months,
            series[0].Month, series[^1].Month,
            new StatisticsTotalsDto(residentsTotal, floating, residentsTotal - floating, open?.Pending ?? 0, open?.Overdue ?? 0,
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

    private static string ProvinceName(string code, Language language) =>
        Province.TryGet(code, out var province)
            ? (language == Language.En ? province.EnglishName : province.ChineseName)
            : StatisticsText.UnknownProvince.In(language);

    public sealed class PersonBand
    {
        public int Band { get; init; }
        public Sex Sex { get; init; }
    }

    // p => new PersonBand { Band = p.BirthDate > cut-off(18) ? 0 : p.BirthDate > cut-off(30) ? 1 : … , Sex = p.Sex },
    // built from AgeBands.Standard: a CASE on birth dates in SQL, no age computed per row.
    private static Expression<Func<Person, PersonBand>> BandAndSex(DateOnly today)
    {
        var person = Expression.Parameter(typeof(Person), "p");
        var birth = Expression.Property(person, nameof(Person.BirthDate));
        var bands = AgeBands.Standard;
        Expression band = Expression.Constant(bands.Count - 1);
        for (var i = bands.Count - 1; i > 0; i--)
        {
            var bornAfter = Expression.GreaterThan(birth, Expression.Constant(AgeBands.BornOnOrBefore(today, bands[i].MinAge)));
            band = Expression.Condition(bornAfter, Expression.Constant(i - 1), band);
        }
        var body = Expression.MemberInit(Expression.New(typeof(PersonBand)),
            Expression.Bind(typeof(PersonBand).GetProperty(nameof(PersonBand.Band))!, band),
            Expression.Bind(typeof(PersonBand).GetProperty(nameof(PersonBand.Sex))!, Expression.Property(person, nameof(Person.Sex))));
        return Expression.Lambda<Func<Person, PersonBand>>(body, person);
    }
}
