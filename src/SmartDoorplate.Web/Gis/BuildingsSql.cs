using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Gis;

// The raw statements of the buildings API; a test EXPLAINs each (the footprint's GiST index).
public static class BuildingsSql
{
    // The FeatureCollection is written by PostgreSQL (ST_AsGeoJSON, json_agg) in one statement and
    // passed on as text: no geometry objects in .NET, and the bbox limit bounds its size. Raw SQL
    // skips the EF query filters, hence ScopeSql.
    private static readonly string InBoxSql = $"""
        select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                   'type', 'Feature',
                   'id', b.id,
                   'geometry', ST_AsGeoJSON(b.footprint, 7)::json,
                   'properties', json_build_object(
                       'id', b.id, 'code', b.code, 'doorplateCode', plate.code, 'address', a.full_text, 'gridCode', g.code,
                       'residents', counts.residents, 'floating', counts.floating, 'pending', counts.pending))
                   order by b.id), '[]'::json))::text
        from buildings b
        join standard_addresses a on a.id = b.address_id
        join community_grids g on g.id = b.grid_id
        left join doorplates plate on plate.building_id = b.id and plate.revoked_at is null
        {CurrentResidents.CountsJoinSql}
        where ST_Intersects(b.footprint, ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326))
          and {ScopeSql.GridInScope("b.grid_id")}
        """;

    public static NpgsqlCommand InBox(NpgsqlDataSource dataSource, BoundingBox box, CallerScope scope)
    {
        var command = dataSource.CreateCommand(InBoxSql);
        command.Parameters.Add(new NpgsqlParameter("min_lon", NpgsqlDbType.Double) { Value = box.MinLon });
        command.Parameters.Add(new NpgsqlParameter("min_lat", NpgsqlDbType.Double) { Value = box.MinLat });
        command.Parameters.Add(new NpgsqlParameter("max_lon", NpgsqlDbType.Double) { Value = box.MaxLon });
        command.Parameters.Add(new NpgsqlParameter("max_lat", NpgsqlDbType.Double) { Value = box.MaxLat });
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }
}
