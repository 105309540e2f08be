using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Policing.Report;

// The pilot report's statements, on the owner's connection over the area the hot-spot analysis
// already narrowed to the caller's scope (not through the request's query filters): spatial
// (&& with ST_Intersects, ST_PointOnSurface, a nearest-entrance lateral join), parameterised. Their
// results are pinned by PilotReportTests (the pilot's counts before and after, its ten hot
// buildings, another station's own area).
public static class PilotReportSql
{
    public static async Task<IReadOnlyList<MonthCount>> MonthlyAsync(NpgsqlConnection connection, Geometry area,
        DateTimeOffset start, DateTimeOffset end, CaseType[] types, DateOnly firstMonth, int monthCount, DateOnly plateMonth, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select to_char(c.occurred_at at time zone '{ChinaTime.SqlTimeZone}', 'YYYY-MM'), count(*)::int from cases c
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

    public static async Task<IReadOnlyList<GridOutline>> GridsAsync(NpgsqlConnection connection, Geometry area, CancellationToken ct)
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
    public static async Task<string> AreaNameAsync(NpgsqlConnection connection, Geometry area, string? grid, IReadOnlyList<GridOutline> grids, CancellationToken ct)
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
    public static async Task<IReadOnlyList<HotBuilding>> HotBuildingsAsync(NpgsqlConnection connection, HotspotAnalysisResult hotspots,
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
                ResidentRates.Per1000(cases, residents), cell.ClassName));
        }

        return [.. found.OrderByDescending(b => b.Cases).ThenByDescending(b => b.RatePer1000 ?? 0).ThenBy(b => b.Code, StringComparer.Ordinal)
            .Take(PilotReport.TopBuildings)];
    }
}
