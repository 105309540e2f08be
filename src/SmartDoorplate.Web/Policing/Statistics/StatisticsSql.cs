using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Statistics;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Statistics;

// Every figure of the residents' statistics in one statement and one round trip. Written as SQL
// because its plan is what matters at city scale: the area is narrowed to its grids first, then to
// their buildings, then to those buildings' registrations by the (building_id, status) index, and
// only the area's residents are joined to persons by key. Through EF the same six counts were six
// statements, each joining the registrations to buildings and grids twice (the area and the scope
// filter) and persons through the person scope filter's EXISTS, which read far more than the area
// (seconds for a station of the city seed). StatisticsSqlTests EXPLAINs this text.
//
// One row per figure: (figure, key, sub, n, m). figure is totals (n residents, m floating), open
// (n pending, m overdue), province (key = first two digits of the origin region), age_sex (key =
// index of the band in AgeBands.Standard, sub = sex), reason (key = reason code) or month (key =
// "yyyy-MM" in Guiyang time, n registrations submitted, m of them late).
public static class StatisticsSql
{
    private static string BandCase(int bands) =>
        "case " + string.Concat(Enumerable.Range(1, bands - 1).Select(i => $"when p.birth_date > @born_{i} then {i - 1} ")) + $"else {bands - 1} end";

    public static readonly string Figures = $"""
        with area_grids as materialized (
          select g.id from community_grids g join police_stations s on s.id = g.station_id
          where {ScopeSql.Predicate("g.station_id", "s.district_id")}
            and (@grid::bigint is null or g.id = @grid)
            and (@station::bigint is null or g.station_id = @station)
            and (@district::bigint is null or s.district_id = @district)
        ), area_registrations as materialized (
          select r.status, r.move_out_date, r.submitted_at, r.late, r.reason, r.person_id
          from residence_registrations r
          where r.building_id in (select b.id from buildings b where b.grid_id in (select id from area_grids))
        ), area_residents as materialized (
          select r.reason, p.origin_region_code, p.birth_date, p.sex
          from area_registrations r join persons p on p.id = r.person_id
          where {CurrentResidents.IsCurrentSql("r")}
        )
        select 'totals', null, null, count(*), count(*) filter (where not starts_with(origin_region_code, @local_prefix)) from area_residents
        union all
        select 'open', null, null, count(*), count(*) filter (where submitted_at < @overdue_before) from area_registrations where status = 'submitted'
        union all
        select 'province', left(origin_region_code, 2), null, count(*), 0 from area_residents group by 2
        union all
        select 'age_sex', ({BandCase(AgeBands.Standard.Count)})::text, p.sex, count(*), 0 from area_residents p group by 2, 3
        union all
        select 'reason', reason, null, count(*), 0 from area_residents group by 2
        union all
        select 'month', to_char((submitted_at at time zone 'UTC') + make_interval(hours => @offset_hours), 'YYYY-MM'), null, count(*), count(*) filter (where late)
        from area_registrations where submitted_at >= @period_start and submitted_at < @period_end group by 2
        """;

    public static NpgsqlCommand FiguresCommand(
        CallerScope scope, long? gridId, long? stationId, long? districtId, DateOnly today, DateTimeOffset overdueBefore,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, int offsetHours)
    {
        var command = new NpgsqlCommand(Figures);
        ScopeSql.AddParameters(command.Parameters, scope);
        command.Parameters.Add(new NpgsqlParameter("grid", NpgsqlDbType.Bigint) { Value = (object?)gridId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("station", NpgsqlDbType.Bigint) { Value = (object?)stationId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("district", NpgsqlDbType.Bigint) { Value = (object?)districtId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("local_prefix", NpgsqlDbType.Text) { Value = CurrentResidents.LocalRegionPrefix });
        command.Parameters.Add(new NpgsqlParameter("overdue_before", NpgsqlDbType.TimestampTz) { Value = overdueBefore.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("period_start", NpgsqlDbType.TimestampTz) { Value = periodStart.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("period_end", NpgsqlDbType.TimestampTz) { Value = periodEnd.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("offset_hours", NpgsqlDbType.Integer) { Value = offsetHours });
        for (var i = 1; i < AgeBands.Standard.Count; i++)
        {
            command.Parameters.Add(new NpgsqlParameter($"born_{i}", NpgsqlDbType.Date) { Value = AgeBands.BornOnOrBefore(today, AgeBands.Standard[i].MinAge) });
        }
        return command;
    }
}
