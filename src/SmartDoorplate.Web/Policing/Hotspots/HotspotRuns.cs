using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Hotspots;

public sealed record HotspotCellRow(
    int Cell, Polygon Geometry, double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P,
    string Class, int Bin, double? Before = null, double? After = null);

public sealed record HotspotRunInfo(long Id, HotspotRunKind Kind, DateTimeOffset CreatedAt, bool Reused, JsonObject Parameters)
{
    public HotspotRunDto AsDto() => new(Id, SnakeCaseEnum.ToCode(Kind), CreatedAt, Reused);
}

// hotspot_runs and hotspot_cells: stored once per (area, inputs, data stamp), read by the API, the
// `hotspots` tile layer and the list of buildings in hot cells. Runs go through EF; the cells are
// written with COPY and read with the statements of HotspotSql; the scope of a stored run is its
// station and district, checked with Data/ScopeSql.
public static class HotspotRuns
{
    public const int MaxHotBuildings = HotspotSql.MaxHotBuildings;

    // Reuses the latest run of the same area, kind and inputs whose data stamp is unchanged, or
    // computes and stores a new one. Two identical requests at once may both store a run: harmless,
    // the later one is simply the one found next time.
    public static async Task<HotspotRunInfo> GetOrCreateAsync(
        SmartDoorplateDb db, HotspotAnalysis.StudyArea area, HotspotRunKind kind, JsonObject inputs, long? userId,
        Func<Task<(JsonObject Found, IReadOnlyList<HotspotCellRow> Cells)>> compute, CancellationToken ct)
    {
        var connection = await HotspotAnalysis.OpenConnectionAsync(db, ct);
        var inputsKey = inputs.ToJsonString();
        var stamp = await HotspotAnalysis.DataStampAsync(connection, area, ct);
        var latest = await db.Set<HotspotRun>().AsNoTracking()
            .Where(r => r.AreaKey == area.Key && r.Kind == kind && r.InputsKey == inputsKey && r.DataStamp == stamp)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.CreatedAt, r.Parameters })
            .FirstOrDefaultAsync(ct);
        if (latest is not null)
        {
            return new HotspotRunInfo(latest.Id, kind, latest.CreatedAt, true, JsonNode.Parse(latest.Parameters)!.AsObject());
        }

        var (found, cells) = await compute();
        var parameters = (JsonObject)inputs.DeepClone();
        foreach (var (name, value) in found) parameters[name] = value?.DeepClone();

        var run = new HotspotRun
        {
            Kind = kind,
            AreaKey = area.Key,
            StationId = area.StationId,
            DistrictId = area.DistrictId,
            InputsKey = inputsKey,
            DataStamp = stamp,
            Parameters = parameters.ToJsonString(),
            CreatedById = userId,
            Cells = cells.Count,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(run);
        await db.SaveChangesAsync(ct);
        await HotspotSql.CopyCellsAsync(connection, run.Id, cells, ct);
        await transaction.CommitAsync(ct);
        return new HotspotRunInfo(run.Id, kind, run.CreatedAt, false, parameters);
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
            // Cases per 1,000 registered residents, suppressed below the minimum (ResidentRates).
            var rate = ResidentRates.Per1000(counts[i], residents[i], options.MinimumResidents);
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

    // One stored cell as read back: the geometry is PostGIS's GeoJSON, passed through as written.
    private sealed record StoredCell(
        JsonElement Geometry, double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P, string Class, int Bin,
        double? Before, double? After);

    private static async Task<List<StoredCell>> StoredCellsAsync(NpgsqlConnection connection, long runId, CancellationToken ct)
    {
        await using var command = HotspotSql.CellFeatures(runId);
        command.Connection = connection;
        var cells = new List<StoredCell>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        double? Nullable(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
        while (await reader.ReadAsync(ct))
        {
            using var geometry = JsonDocument.Parse(reader.GetString(0));
            cells.Add(new StoredCell(geometry.RootElement.Clone(), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                Nullable(5), Nullable(6), Nullable(7), reader.GetString(8), reader.GetInt32(9), Nullable(10), Nullable(11)));
        }
        return cells;
    }

    // The stored cells of a counts run as GeoJSON features, in cell order.
    public static async Task<IReadOnlyList<HotspotFeature<HotspotCellProperties>>> CountFeaturesAsync(NpgsqlConnection connection, long runId, CancellationToken ct) =>
        [.. (await StoredCellsAsync(connection, runId, ct)).Select(c => new HotspotFeature<HotspotCellProperties>(c.Geometry,
            new HotspotCellProperties(c.X, c.Y, c.Count, c.Residents, c.Rate, c.Z, c.P, c.Class, c.Bin)))];

    // The stored cells of a change run: each with its two periods' counts and their change.
    public static async Task<IReadOnlyList<HotspotFeature<HotspotChangeCellProperties>>> ChangeFeaturesAsync(NpgsqlConnection connection, long runId, CancellationToken ct) =>
        [.. (await StoredCellsAsync(connection, runId, ct)).Select(c =>
        {
            double before = c.Before ?? 0, after = c.After ?? 0;
            var percent = PeriodChange.Percent(before, after);
            return new HotspotFeature<HotspotChangeCellProperties>(c.Geometry, new HotspotChangeCellProperties(
                c.X, c.Y, c.Count, c.Residents, c.Rate, c.Z, c.P, c.Class, c.Bin, before, after, after - before, double.IsFinite(percent) ? percent : null));
        })];

    // A run the caller may read: of their station (or a grid of it), or of their district; admins all.
    // Without an id, the caller's latest visible run (what a tile without ?run= shows).
    public static async Task<HotspotRunInfo?> VisibleAsync(NpgsqlDataSource dataSource, CallerScope scope, long? runId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await VisibleAsync(connection, scope, runId, ct);
    }

    public static async Task<HotspotRunInfo?> VisibleAsync(NpgsqlConnection connection, CallerScope scope, long? runId, CancellationToken ct)
    {
        await using var command = HotspotSql.VisibleRun(scope, runId);
        command.Connection = connection;
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new HotspotRunInfo(reader.GetInt64(0), SnakeCaseEnum.Parse<HotspotRunKind>(reader.GetString(1)),
            reader.GetFieldValue<DateTimeOffset>(2), true, JsonNode.Parse(reader.GetString(3))!.AsObject());
    }

    public static async Task<IReadOnlyList<HotspotBuilding>> HotBuildingsAsync(NpgsqlConnection connection, CallerScope scope, long runId, CancellationToken ct)
    {
        await using var command = HotspotSql.HotBuildings(scope, runId);
        command.Connection = connection;
        var buildings = new List<HotspotBuilding>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            buildings.Add(new HotspotBuilding(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6)));
        }
        return buildings;
    }
}
