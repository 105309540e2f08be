using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// The raw statements of the police map beside its tile layers (which hold their own).
//
// The area query (AreaQuery): counting and listing in one hand-written PostGIS statement (ST_Intersects for a polygon, ST_DWithin on geography behind an index-friendly degree
// bound for a circle) with the caller's scope bound from ScopeSql, so no geometry of a building is
// ever loaded into memory. EF's version repeated the scope query filters on every joined table
// (persons, rooms, buildings): ten times slower at city scale (scripts/bench/area.sh). The tests
// EXPLAIN it (the footprint's GiST index) and compare its answers with the endpoint's.
public static class MapSql
{
    public const string PolygonPredicate = "ST_Intersects(b.footprint, @area)";

    // The degree bound first: the GiST index on footprint serves it; the metres on the spheroid decide.
    public const string CirclePredicate = "ST_DWithin(b.footprint, @center, @degrees) and ST_DWithin(b.footprint::geography, @center::geography, @metres)";

    // The buildings of the shape in the caller's scope are gathered once (materialized): the totals
    // sum building_counts (kept equal to CurrentResidents by triggers) instead of counting thousands
    // of registrations, and the list joins the current registrations of the same buildings, in the
    // order the map shows them, at most MaskedResidents.MaxListed. Persons and rooms need no scope
    // of their own: a current registration in a building in scope is what makes a person visible.
    // The totals come on every row, and on one row with an empty list when nobody lives there.
    private static string Sql(string buildingsInShape) => $"""
        with inside as materialized (
            select b.id, b.code, b.address_id,
                   coalesce(building_count.residents, 0) as residents, coalesce(building_count.floating, 0) as floating
            from buildings b
            left join building_counts building_count on building_count.building_id = b.id
            where {buildingsInShape} and {ScopeSql.GridInScope("b.grid_id")}
        ), totals as (
            select count(*)::int as buildings, coalesce(sum(residents), 0)::int as residents, coalesce(sum(floating), 0)::int as floating
            from inside
        )
        select totals.buildings, totals.residents, totals.floating,
               listed.person_id, listed.name, listed.id_number_cipher, listed.sex, listed.origin_region_code,
               listed.building_id, listed.code, listed.full_text, listed.room, listed.status, listed.move_in_date
        from totals
        left join lateral (
            select r.person_id, p.name, p.id_number_cipher, p.sex, p.origin_region_code,
                   r.building_id, inside.code, a.full_text, coalesce(room.number, r.room_label) as room, r.status, r.move_in_date
            from inside
            join residence_registrations r on r.building_id = inside.id
            join persons p on p.id = r.person_id
            join standard_addresses a on a.id = inside.address_id
            left join rooms room on room.id = r.room_id
            where {CurrentResidents.IsCurrentSql("r")}
            order by inside.code, coalesce(room.number, r.room_label), p.name, r.id
            limit {MaskedResidents.MaxListed}) listed on true
        """;

    private static readonly string PolygonSql = Sql(PolygonPredicate);
    private static readonly string CircleSql = Sql(CirclePredicate);

    public static NpgsqlCommand InPolygon(NpgsqlDataSource dataSource, Polygon area, CallerScope scope)
    {
        var command = dataSource.CreateCommand(PolygonSql);
        command.Parameters.Add(new NpgsqlParameter("area", area));
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }

    public static NpgsqlCommand InCircle(NpgsqlDataSource dataSource, Point center, double metres, CallerScope scope)
    {
        var command = dataSource.CreateCommand(CircleSql);
        command.Parameters.Add(new NpgsqlParameter("center", center));
        command.Parameters.Add(new NpgsqlParameter("degrees", NpgsqlDbType.Double) { Value = SpatialQueries.DegreesCovering(center, metres) });
        command.Parameters.Add(new NpgsqlParameter("metres", NpgsqlDbType.Double) { Value = metres });
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }

    // The extent of the grids in the caller's scope, where the style opens the map. ST_Extent in
    // PostgreSQL: EF's EnvelopeCombiner casts the box back to the column's MultiPolygon, which fails.
    private static readonly string ScopeExtentSql = $"""
        select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        from (select ST_Extent(g.boundary) as e
              from community_grids g join police_stations gs on gs.id = g.station_id
              where {ScopeSql.Predicate("g.station_id", "gs.district_id")}) extent
        where e is not null
        """;

    public static NpgsqlCommand ScopeExtent(NpgsqlDataSource dataSource, CallerScope scope)
    {
        var command = dataSource.CreateCommand(ScopeExtentSql);
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }
}
