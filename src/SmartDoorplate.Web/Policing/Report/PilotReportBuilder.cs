using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Policing.Report;

// Builds the pilot report for the caller's scope: 两抢一盗 per month around the plate date, the
// Gi* hot spots of the same cases (HotspotAnalysis, the code behind /api/hotspots), and the
// buildings in hot cells ranked by the cases nearest to them.
public static class PilotReportBuilder
{
    public static async Task<PilotReport?> BuildAsync(
        NpgsqlDataSource dataSource, CallerScope scope, string? grid, string? station, DateOnly plateDate, int months,
        DateTimeOffset now, CancellationToken ct)
    {
        // Equal windows of whole months: as many after the plates as have passed (at most `months`),
        // and as many before.
        var thisMonth = FirstOfMonth(DateOnly.FromDateTime(now.ToOffset(ChinaTime.Offset).DateTime));
        var plateMonth = FirstOfMonth(plateDate);
        var elapsed = (thisMonth.Year - plateMonth.Year) * 12 + thisMonth.Month - plateMonth.Month;
        var window = Math.Clamp(elapsed, 1, months);
        var beforeFrom = plateMonth.AddMonths(-window);
        var afterTo = plateMonth.AddMonths(window).AddDays(-1);
        var types = CaseTypes.RobberyAndTheft.ToArray();

        var hotspots = await HotspotAnalysis.ComputeAsync(dataSource, scope,
            new HotspotRequest(PilotReport.CellSize, PilotReport.Band, beforeFrom, afterTo, types, grid, station, UseFdr: false,
                HotspotAnalysis.DefaultMinimumResidents), ct);
        if (hotspots is null || hotspots.TooManyCells) return null;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (start, end) = HotspotAnalysis.Instants(beforeFrom, afterTo);
        var monthly = await PilotReportSql.MonthlyAsync(connection, hotspots.Area, start, end, types, beforeFrom, window * 2, plateMonth, ct);
        var before = monthly.Where(m => !m.AfterPlates).Sum(m => m.Count);
        var after = monthly.Where(m => m.AfterPlates).Sum(m => m.Count);
        var grids = await PilotReportSql.GridsAsync(connection, hotspots.Area, ct);
        var buildings = await PilotReportSql.HotBuildingsAsync(connection, hotspots, start, end, types, ct);
        var name = await PilotReportSql.AreaNameAsync(connection, hotspots.Area, grid, grids, ct);

        return new PilotReport(name, grid, station, plateMonth, window, beforeFrom, afterTo, monthly, before, after,
            PeriodChange.Percent(before, after), hotspots, grids, buildings, now);
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);
}
