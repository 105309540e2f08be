using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Hotspots;

public sealed record HotspotCellRow(
    int Cell, Polygon Geometry, double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P,
    string Class, int Bin, double? Before = null, double? After = null);

public sealed record HotspotRunInfo(long Id, HotspotRunKind Kind, DateTimeOffset CreatedAt, bool Reused, JsonObject Parameters)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["kind"] = SnakeCaseEnum.ToCode(Kind),
        ["createdAt"] = CreatedAt,
        ["reused"] = Reused,
    };
}

// hotspot_runs and hotspot_cells: stored once per (area, inputs, data stamp), read by the API, the
// `hotspots` tile layer and the list of buildings in hot cells. Raw SQL like the rest of the
// analysis; the scope of a stored run is its station and district, checked with Data/ScopeSql.
public static class HotspotRuns
{
    // Reuses the latest run of the same area, kind and inputs whose data stamp is unchanged, or
    // computes and stores a new one. Two identical requests at once may both store a run: harmless,
    // the later one is simply the one found next time.
    public static async Task<HotspotRunInfo> GetOrCreateAsync(
        NpgsqlConnection connection, HotspotAnalysis.StudyArea area, HotspotRunKind kind, JsonObject inputs, long? userId,
        Func<Task<(JsonObject Found, IReadOnlyList<HotspotCellRow> Cells)>> compute, CancellationToken ct)
    {
        var inputsKey = inputs.ToJsonString();
        var stamp = await HotspotAnalysis.DataStampAsync(connection, area, ct);
        await using (var find = new NpgsqlCommand("""
            select id, created_at, parameters::text from hotspot_runs
            where area_key = @area_key and kind = @kind and inputs_key = @inputs_key and data_stamp = @stamp
            order by created_at desc, id desc limit 1
            """, connection))
        {
            find.Parameters.AddWithValue("area_key", area.Key);
            find.Parameters.AddWithValue("kind", SnakeCaseEnum.ToCode(kind));
            find.Parameters.AddWithValue("inputs_key", inputsKey);
            find.Parameters.AddWithValue("stamp", stamp);
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                return new HotspotRunInfo(reader.GetInt64(0), kind, reader.GetFieldValue<DateTimeOffset>(1), true,
                    JsonNode.Parse(reader.GetString(2))!.AsObject());
            }
        }

        var (found, cells) = await compute();
        var parameters = (JsonObject)inputs.DeepClone();
        foreach (var (name, value) in found) parameters[name] = value?.DeepClone();

        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand("""
            insert into hotspot_runs (kind, area_key, station_id, district_id, inputs_key, data_stamp, parameters, created_by_id, cells)
            values (@kind, @area_key, @station_id, @district_id, @inputs_key, @stamp, @parameters, @user_id, @cells)
            returning id, created_at
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("kind", SnakeCaseEnum.ToCode(kind));
            insert.Parameters.AddWithValue("area_key", area.Key);
            insert.Parameters.Add(new NpgsqlParameter("station_id", NpgsqlDbType.Bigint) { Value = (object?)area.StationId ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("district_id", NpgsqlDbType.Bigint) { Value = (object?)area.DistrictId ?? DBNull.Value });
            insert.Parameters.AddWithValue("inputs_key", inputsKey);
            insert.Parameters.AddWithValue("stamp", stamp);
            insert.Parameters.Add(new NpgsqlParameter("parameters", NpgsqlDbType.Jsonb) { Value = parameters.ToJsonString() });
            insert.Parameters.Add(new NpgsqlParameter("user_id", NpgsqlDbType.Bigint) { Value = (object?)userId ?? DBNull.Value });
            insert.Parameters.AddWithValue("cells", cells.Count);
            await using var reader = await insert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            id = reader.GetInt64(0);
            createdAt = reader.GetFieldValue<DateTimeOffset>(1);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy hotspot_cells (run_id, cell, geometry, x, y, count, residents, rate, z, p, class, bin, before, after) from stdin (format binary)", ct))
        {
            foreach (var cell in cells)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(id, NpgsqlDbType.Bigint, ct);
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
        await transaction.CommitAsync(ct);
        return new HotspotRunInfo(id, kind, createdAt, false, parameters);
    }

    // The Gi* cells of one period's counts, classified as the request asked (with or without FDR).
    public static IReadOnlyList<HotspotCellRow> CountCells(SquareGrid cells, double[] counts, double[] residents, HotspotAnalysis.Options options)
    {
        var result = cells.Cells.Length >= 3
            ? GiStar.Compute(cells.CentreX.AsSpan(), cells.CentreY.AsSpan(), counts.AsSpan(), options.Band)
            : null;
        var bins = result is null ? [] : ConfidenceBins.Classify(result.ZScores.AsSpan(), result.PValues.AsSpan(), options.UseFdr);
        var rows = new List<HotspotCellRow>(cells.Cells.Length);
        for (var i = 0; i < cells.Cells.Length; i++)
        {
            var cell = cells.Cells[i];
            // Cases per 1,000 registered residents; cells with fewer residents than the minimum are
            // suppressed: a rate over 3 people is noise and could point at a household.
            var rate = residents[i] >= options.MinimumResidents ? counts[i] * 1000.0 / residents[i] : (double?)null;
            rows.Add(new HotspotCellRow(i, HotspotAnalysis.CellPolygon(cell.CentreX, cell.CentreY, options.CellSize), cell.CentreX, cell.CentreY,
                counts[i], residents[i], rate, Finite(result?.ZScores[i]), Finite(result?.PValues[i]),
                result is null ? "not_significant" : HotspotAnalysis.ClassName(bins[i]), result is null ? 0 : bins[i]));
        }
        return rows;
    }

    // Gi* of after − before per cell: a hot class is a cluster of rises, a cold one of falls.
    public static IReadOnlyList<HotspotCellRow> ChangeCells(SquareGrid cells, double[] before, double[] after, double[] residents, HotspotAnalysis.Options options)
    {
        var change = cells.Cells.Length >= 3
            ? PeriodChange.Compute(cells.CentreX.AsSpan(), cells.CentreY.AsSpan(), before, after, options.Band)
            : null;
        var bins = change is null ? [] : ConfidenceBins.Classify(change.DifferenceGiStar.ZScores.AsSpan(), change.DifferenceGiStar.PValues.AsSpan(), options.UseFdr);
        var rows = new List<HotspotCellRow>(cells.Cells.Length);
        for (var i = 0; i < cells.Cells.Length; i++)
        {
            var cell = cells.Cells[i];
            rows.Add(new HotspotCellRow(i, HotspotAnalysis.CellPolygon(cell.CentreX, cell.CentreY, options.CellSize), cell.CentreX, cell.CentreY,
                after[i] - before[i], residents[i], null, Finite(change?.DifferenceGiStar.ZScores[i]), Finite(change?.DifferenceGiStar.PValues[i]),
                change is null ? "not_significant" : HotspotAnalysis.ClassName(bins[i]), change is null ? 0 : bins[i], before[i], after[i]));
        }
        return rows;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    // The stored cells as GeoJSON features, in cell order.
    public static async Task<JsonArray> FeaturesAsync(NpgsqlConnection connection, long runId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select ST_AsGeoJSON(geometry, 7), x, y, count, residents, rate, z, p, class, bin, before, after
            from hotspot_cells where run_id = @run order by cell
            """, connection);
        command.Parameters.AddWithValue("run", runId);
        var features = new JsonArray();
        await using var reader = await command.ExecuteReaderAsync(ct);
        double? Nullable(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
        while (await reader.ReadAsync(ct))
        {
            var properties = new JsonObject
            {
                ["x"] = reader.GetDouble(1),
                ["y"] = reader.GetDouble(2),
                ["count"] = reader.GetDouble(3),
                ["residents"] = reader.GetDouble(4),
                ["rate"] = Nullable(5),
                ["z"] = Nullable(6),
                ["p"] = Nullable(7),
                ["class"] = reader.GetString(8),
                ["bin"] = reader.GetInt32(9),
            };
            if (Nullable(10) is { } before && Nullable(11) is { } after)
            {
                properties["before"] = before;
                properties["after"] = after;
                properties["difference"] = after - before;
                var percent = PeriodChange.Percent(before, after);
                properties["percentChange"] = double.IsFinite(percent) ? percent : null;
            }
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = JsonNode.Parse(reader.GetString(0)),
                ["properties"] = properties,
            });
        }
        return features;
    }

    private static readonly string VisibleRunSql = $"""
        select r.id, r.kind, r.created_at, r.parameters::text from hotspot_runs r
        where (@run::bigint is null or r.id = @run) and {ScopeSql.Predicate("r.station_id", "r.district_id")}
        order by r.created_at desc, r.id desc limit 1
        """;

    // A run the caller may read: of their station (or a grid of it), or of their district; admins all.
    // Without an id, the caller's latest visible run (what a tile without ?run= shows).
    public static async Task<HotspotRunInfo?> VisibleAsync(NpgsqlDataSource dataSource, CallerScope scope, long? runId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(VisibleRunSql);
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = (object?)runId ?? DBNull.Value });
        ScopeSql.AddParameters(command.Parameters, scope);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new HotspotRunInfo(reader.GetInt64(0), SnakeCaseEnum.Parse<HotspotRunKind>(reader.GetString(1)),
            reader.GetFieldValue<DateTimeOffset>(2), true, JsonNode.Parse(reader.GetString(3))!.AsObject());
    }

    public const int MaxHotBuildings = 1000;

    // Buildings whose entrance lies in a hot cell of the run (hottest first), within the caller's scope.
    private static readonly string HotBuildingsSql = $"""
        select b.id, b.code, a.full_text, c.class, c.count, ST_X(b.entrance), ST_Y(b.entrance)
        from hotspot_cells c
        join buildings b on b.entrance && c.geometry and ST_Intersects(b.entrance, c.geometry)
        join standard_addresses a on a.id = b.address_id
        where c.run_id = @run and c.bin > 0 and {ScopeSql.GridInScope("b.grid_id")}
        order by c.bin desc, c.count desc, b.code
        limit {MaxHotBuildings}
        """;

    public static async Task<JsonArray> HotBuildingsAsync(NpgsqlDataSource dataSource, CallerScope scope, long runId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(HotBuildingsSql);
        command.Parameters.AddWithValue("run", runId);
        ScopeSql.AddParameters(command.Parameters, scope);
        var buildings = new JsonArray();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            buildings.Add(new JsonObject
            {
                ["id"] = reader.GetInt64(0),
                ["code"] = reader.GetString(1),
                ["address"] = reader.GetString(2),
                ["class"] = reader.GetString(3),
                ["count"] = reader.GetDouble(4),
                ["lon"] = reader.GetDouble(5),
                ["lat"] = reader.GetDouble(6),
            });
        }
        return buildings;
    }
}
