using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Policing.Report;

public sealed class PilotReportOptions
{
    public const string Section = "Report";

    // The day the smart doorplates went up in the pilot (改茶村).
    public DateOnly PlateDate { get; set; } = new(2025, 11, 1);

    // Months compared on each side of the plate date (equal windows).
    public int Months { get; set; } = 12;

    // The station an admin's report shows unless they choose another (the pilot's, 改茶警务区).
    public string Station { get; set; } = "QL-GC";
}

public sealed record MonthCount(DateOnly Month, int Count, bool AfterPlates);

public sealed record GridOutline(string Code, string Name, Geometry Boundary);

public sealed record HotBuilding(long Id, string Code, string Address, string GridCode, int Cases, int Residents, double? RatePer1000, string CellClass);

// Everything the report page and its PDF/PNG show, computed once per request. Geometry for drawing
// (cells, grid outlines, the area) is in UTM 48N metres, the hot-spot cells' own CRS.
public sealed record PilotReport(
    string AreaName,
    string? Grid,
    string? Station,
    DateOnly PlateDate,
    int Months,
    DateOnly BeforeFrom,
    DateOnly AfterTo,
    IReadOnlyList<MonthCount> Monthly,
    int Before,
    int After,
    double PercentChange,
    HotspotAnalysisResult Hotspots,
    IReadOnlyList<GridOutline> Grids,
    IReadOnlyList<HotBuilding> HotBuildings,
    DateTimeOffset GeneratedAt)
{
    public const double CellSize = 100;
    public const double Band = 150;
    public const int TopBuildings = 10;

    // A case belongs to the nearest building entrance within this distance; farther ones to none.
    public const double BuildingCaseMetres = 50;

    public DateOnly AfterFrom => PlateDate;
    public DateOnly BeforeTo => PlateDate.AddDays(-1);

    public int HotCells => Hotspots.Cells.Count(c => c.IsHot);
}

// Builds the pilot report for the caller's scope: 两抢一盗 per month around the plate date, the
// Gi* hot spots of the same cases (HotspotAnalysis, the code behind /api/hotspots), and the
// buildings in hot cells ranked by the cases nearest to them.
public static class PilotReportBuilder
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static async Task<PilotReport?> BuildAsync(
        NpgsqlDataSource dataSource, CallerScope scope, string? grid, string? station, DateOnly plateDate, int months,
        DateTimeOffset now, CancellationToken ct)
    {
        // Equal windows of whole months: as many after the plates as have passed (at most `months`),
        // and as many before.
        var thisMonth = FirstOfMonth(DateOnly.FromDateTime(now.ToOffset(Beijing).DateTime));
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
        var monthly = await MonthlyAsync(connection, hotspots.Area, start, end, types, beforeFrom, window * 2, plateMonth, ct);
        var before = monthly.Where(m => !m.AfterPlates).Sum(m => m.Count);
        var after = monthly.Where(m => m.AfterPlates).Sum(m => m.Count);
        var grids = await GridsAsync(connection, hotspots.Area, ct);
        var buildings = await HotBuildingsAsync(connection, hotspots, start, end, types, ct);
        var name = await AreaNameAsync(connection, hotspots.Area, grid, grids, ct);

        return new PilotReport(name, grid, station, plateMonth, window, beforeFrom, afterTo, monthly, before, after,
            PeriodChange.Percent(before, after), hotspots, grids, buildings, now);
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    private static async Task<IReadOnlyList<MonthCount>> MonthlyAsync(NpgsqlConnection connection, Geometry area,
        DateTimeOffset start, DateTimeOffset end, CaseType[] types, DateOnly firstMonth, int monthCount, DateOnly plateMonth, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select to_char(c.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM'), count(*)::int from cases c
            where c.location && @area and ST_Intersects(c.location, @area)
              and c.occurred_at >= @from and c.occurred_at < @to and c.type = any(@types)
            group by 1
            """, connection);
        command.Parameters.AddWithValue("area", area);
        command.Parameters.AddWithValue("from", start);
        command.Parameters.AddWithValue("to", end);
        command.Parameters.AddWithValue("types", types.Select(SnakeCaseEnum.ToCode).ToArray());
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return [.. Enumerable.Range(0, monthCount).Select(i =>
        {
            var month = firstMonth.AddMonths(i);
            return new MonthCount(month, counts.GetValueOrDefault(month.ToString("yyyy-MM", CultureInfo.InvariantCulture)), month >= plateMonth);
        })];
    }

    private static async Task<IReadOnlyList<GridOutline>> GridsAsync(NpgsqlConnection connection, Geometry area, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select g.code, g.name, ST_Transform(g.boundary, 32648) from community_grids g
            where g.boundary && @area and ST_Within(ST_PointOnSurface(g.boundary), @area)
            order by g.code
            """, connection);
        command.Parameters.AddWithValue("area", area);
        var grids = new List<GridOutline>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) grids.Add(new GridOutline(reader.GetString(0), reader.GetString(1), (Geometry)reader.GetValue(2)));
        return grids;
    }

    // The area's name as an officer says it: the one grid asked for, else its station.
    private static async Task<string> AreaNameAsync(NpgsqlConnection connection, Geometry area, string? grid, IReadOnlyList<GridOutline> grids, CancellationToken ct)
    {
        if (grid is not null && grids.FirstOrDefault(g => g.Code == grid) is { } one) return one.Name;
        await using var command = new NpgsqlCommand("""
            select string_agg(distinct s.name, '、' order by s.name) from community_grids g join police_stations s on s.id = g.station_id
            where g.boundary && @area and ST_Within(ST_PointOnSurface(g.boundary), @area)
            """, connection);
        command.Parameters.AddWithValue("area", area);
        return await command.ExecuteScalarAsync(ct) as string ?? "";
    }

    // Residents are counts (CurrentResidents' definition), never names. Each case counts once, for
    // the nearest entrance within 50 m on the spheroid; the ST_Expand box (0.001° ≥ 99 m at Guiyang's
    // latitude) lets the GiST index find the candidates first.
    private static async Task<IReadOnlyList<HotBuilding>> HotBuildingsAsync(NpgsqlConnection connection, HotspotAnalysisResult hotspots,
        DateTimeOffset start, DateTimeOffset end, CaseType[] types, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            with nearest as (
                select n.id from cases c
                cross join lateral (
                    select b.id from buildings b
                    where b.entrance && ST_Expand(c.location, 0.001)
                      and ST_DWithin(b.entrance::geography, c.location::geography, {PilotReport.BuildingCaseMetres.ToString(CultureInfo.InvariantCulture)})
                    order by b.entrance <-> c.location limit 1) n
                where c.location && @area and ST_Intersects(c.location, @area)
                  and c.occurred_at >= @from and c.occurred_at < @to and c.type = any(@types)),
            per_building as (select id, count(*)::int as cases from nearest group by id)
            select b.id, b.code, a.full_text, g.code, pb.cases,
                   (select count(*)::int from residence_registrations r
                    where r.building_id = b.id and r.status in ('confirmed', 'verified') and r.move_out_date is null),
                   ST_X(ST_Transform(b.entrance, 32648)), ST_Y(ST_Transform(b.entrance, 32648))
            from per_building pb
            join buildings b on b.id = pb.id
            join standard_addresses a on a.id = b.address_id
            join community_grids g on g.id = b.grid_id
            where ST_Intersects(b.entrance, @area)
            """, connection);
        command.Parameters.AddWithValue("area", hotspots.Area);
        command.Parameters.AddWithValue("from", start);
        command.Parameters.AddWithValue("to", end);
        command.Parameters.AddWithValue("types", types.Select(SnakeCaseEnum.ToCode).ToArray());
        var found = new List<HotBuilding>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cell = hotspots.CellAt(reader.GetDouble(6), reader.GetDouble(7));
            if (cell is not { IsHot: true }) continue;
            var cases = reader.GetInt32(4);
            var residents = reader.GetInt32(5);
            found.Add(new HotBuilding(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), cases, residents,
                residents > 0 ? cases * 1000.0 / residents : null, cell.ClassName));
        }

        return [.. found.OrderByDescending(b => b.Cases).ThenByDescending(b => b.RatePer1000 ?? 0).ThenBy(b => b.Code, StringComparer.Ordinal)
            .Take(PilotReport.TopBuildings)];
    }
}
