using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Hotspots;

// The hot-spot statements that stay SQL: spatial selections and joins PostGIS does (the study area's
// union and its projection to UTM 48N, cases and residents inside it, buildings in hot cells, cells as
// GeoJSON), the data stamp (row versions), the scope-checked run look-up the tile layer shares, and
// the COPY of a run's cells. Runs themselves are read and written through EF (HotspotRun). Each
// builder returns a parameterised command without a connection: the caller runs it on its own, and
// tests EXPLAIN the very same text (HotspotSqlTests). Scope predicates come from Data/ScopeSql.
public static class HotspotSql
{
    // The grids the caller may analyse, narrowed to one grid or station code: their union (in WGS84
    // and in UTM 48N, the cells' CRS) and, when all lie in one station or district, that station or
    // district (who may read the run later).
    private static readonly string StudyAreaText = $"""
        select area, ST_Transform(area, 32648), stations, station_id, districts, district_id from (
          select ST_Union(g.boundary) as area, count(distinct g.station_id) as stations, min(g.station_id) as station_id,
                 count(distinct s.district_id) as districts, min(s.district_id) as district_id
          from community_grids g join police_stations s on s.id = g.station_id
          where {ScopeSql.Predicate("g.station_id", "s.district_id")}
            and (@grid::text is null or g.code = @grid)
            and (@station::text is null or s.code = @station)) as union_of_grids
        """;

    public static NpgsqlCommand StudyArea(CallerScope scope, string? grid, string? station)
    {
        var command = new NpgsqlCommand(StudyAreaText);
        ScopeSql.AddParameters(command.Parameters, scope);
        command.Parameters.Add(new NpgsqlParameter("grid", NpgsqlDbType.Text) { Value = (object?)grid ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("station", NpgsqlDbType.Text) { Value = (object?)station ?? DBNull.Value });
        return command;
    }

    // Case locations in UTM 48N metres, of the given types, in [start, end).
    public static NpgsqlCommand CaseLocations(Geometry area, DateTimeOffset start, DateTimeOffset end, string[] types)
    {
        var command = new NpgsqlCommand("""
            select ST_X(p), ST_Y(p) from (
              select ST_Transform(c.location, 32648) as p from cases c
              where c.location && @area and ST_Intersects(c.location, @area)
                and c.occurred_at >= @from and c.occurred_at < @to and c.type = any(@types)) as projected
            """);
        command.Parameters.AddWithValue("area", area);
        command.Parameters.AddWithValue("from", start);
        command.Parameters.AddWithValue("to", end);
        command.Parameters.AddWithValue("types", types);
        return command;
    }

    // Entrances in UTM 48N metres with their current residents (confirmed or verified, not moved out).
    public static NpgsqlCommand ResidentsByEntrance(Geometry area)
    {
        var command = new NpgsqlCommand($"""
            select ST_X(e), ST_Y(e), n from (
              select ST_Transform(b.entrance, 32648) as e,
                     (select count(*) from residence_registrations r
                      where r.building_id = b.id and {CurrentResidents.IsCurrentSql("r")}) as n
              from buildings b
              where b.entrance && @area and ST_Intersects(b.entrance, @area)) as residents
            where n > 0
            """);
        command.Parameters.AddWithValue("area", area);
        return command;
    }

    // What a stored run depends on besides its parameters: the area's outline, its cases (any new,
    // edited or removed one changes the count, the latest creation or the sum of row versions) and
    // its current residents (the rates). Equal stamps mean the same cells would come out again.
    public static NpgsqlCommand DataStamp(Geometry area)
    {
        var command = new NpgsqlCommand($"""
            select md5(ST_AsEWKB(@area)) || '/' || cases.n || '/' || coalesce(cases.latest, '') || '/' || cases.versions
                   || '/' || residents.n || '/' || residents.versions
            from (select count(*) as n, max(c.created_at)::text as latest, coalesce(sum(c.xmin::text::bigint), 0) as versions
                  from cases c where c.location && @area and ST_Intersects(c.location, @area)) cases,
                 (select count(*) as n, coalesce(sum(r.xmin::text::bigint), 0) as versions
                  from buildings b join residence_registrations r on r.building_id = b.id
                  where b.entrance && @area and ST_Intersects(b.entrance, @area)
                    and {CurrentResidents.IsCurrentSql("r")}) residents
            """);
        command.Parameters.AddWithValue("area", area);
        return command;
    }

    // A run's cells in cell order, the geometry as GeoJSON with 7 decimals (the cells are rounded to
    // 7 decimals when laid out, so nothing is lost).
    public static NpgsqlCommand CellFeatures(long runId)
    {
        var command = new NpgsqlCommand("""
            select ST_AsGeoJSON(geometry, 7), x, y, count, residents, rate, z, p, class, bin, before, after
            from hotspot_cells where run_id = @run order by cell
            """);
        command.Parameters.AddWithValue("run", runId);
        return command;
    }

    private static readonly string VisibleRunText = $"""
        select r.id, r.kind, r.created_at, r.parameters::text from hotspot_runs r
        where (@run::bigint is null or r.id = @run) and {ScopeSql.Predicate("r.station_id", "r.district_id")}
        order by r.created_at desc, r.id desc limit 1
        """;

    // A run the caller may read (of their station, or of their district; admins all); without an id,
    // the caller's latest visible run.
    public static NpgsqlCommand VisibleRun(CallerScope scope, long? runId)
    {
        var command = new NpgsqlCommand(VisibleRunText);
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = (object?)runId ?? DBNull.Value });
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }

    public const int MaxHotBuildings = 1000;

    // Buildings whose entrance lies in a hot cell of the run (hottest first), within the caller's scope.
    private static readonly string HotBuildingsText = $"""
        select b.id, b.code, a.full_text, c.class, c.count, ST_X(b.entrance), ST_Y(b.entrance)
        from hotspot_cells c
        join buildings b on b.entrance && c.geometry and ST_Intersects(b.entrance, c.geometry)
        join standard_addresses a on a.id = b.address_id
        where c.run_id = @run and c.bin > 0 and {ScopeSql.GridInScope("b.grid_id")}
        order by c.bin desc, c.count desc, b.code
        limit {MaxHotBuildings}
        """;

    public static NpgsqlCommand HotBuildings(CallerScope scope, long runId)
    {
        var command = new NpgsqlCommand(HotBuildingsText);
        command.Parameters.AddWithValue("run", runId);
        ScopeSql.AddParameters(command.Parameters, scope);
        return command;
    }

    // A run's cells, written in one COPY on the connection (and in the transaction) that stored the run.
    public static async Task CopyCellsAsync(NpgsqlConnection connection, long runId, IReadOnlyList<HotspotCellRow> cells, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "copy hotspot_cells (run_id, cell, geometry, x, y, count, residents, rate, z, p, class, bin, before, after) from stdin (format binary)", ct);
        foreach (var cell in cells)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(cell.Cell, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(cell.Geometry, NpgsqlDbType.Geometry, ct);
            await importer.WriteAsync(cell.X, NpgsqlDbType.Double, ct);
            await importer.WriteAsync(cell.Y, NpgsqlDbType.Double, ct);
            await importer.WriteAsync(cell.Count, NpgsqlDbType.Double, ct);
            await importer.WriteAsync(cell.Residents, NpgsqlDbType.Double, ct);
            foreach (var value in new[] { cell.Rate, cell.Z, cell.P })
            {
                if (value is { } v) await importer.WriteAsync(v, NpgsqlDbType.Double, ct); else await importer.WriteNullAsync(ct);
            }
            await importer.WriteAsync(cell.Class, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(cell.Bin, NpgsqlDbType.Integer, ct);
            foreach (var value in new[] { cell.Before, cell.After })
            {
                if (value is { } v) await importer.WriteAsync(v, NpgsqlDbType.Double, ct); else await importer.WriteNullAsync(ct);
            }
        }
        await importer.CompleteAsync(ct);
    }
}
