using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing;

// Days are Beijing days, both inclusive; Grid/Station narrow the caller's own jurisdiction.
public sealed record HotspotRequest(
    double CellSize, double Band, DateOnly From, DateOnly To, CaseType[] Types, string? Grid, string? Station,
    bool UseFdr, int MinimumResidents);

public sealed record HotspotCell(
    double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P, int Bin, string ClassName)
{
    public bool IsHot => Bin > 0;
}

// Area is the study area in WGS84, ProjectedArea the same in UTM 48N (EPSG:32648), the cells' CRS.
public sealed record HotspotAnalysisResult(
    HotspotRequest Request, Geometry Area, Geometry ProjectedArea, SquareGrid? Grid, IReadOnlyList<HotspotCell> Cells,
    int Events, int EventsInCells, bool TooManyCells)
{
    public HotspotCell? CellAt(double x, double y) =>
        Grid?.CellIndexOf(x, y) is { } index and >= 0 ? Cells[index] : null;
}

// The Gi* computation behind /api/hotspots and the pilot report: a square grid in UTM 48N metres
// over the caller's jurisdiction (or one grid / station of it), case counts and registered residents
// per cell, then Getis-Ord Gi* (the Analytics library's, matching spdep::localG). PostGIS does the
// selection and projection; the grid is in memory because it is small (a station at 100 m is ~1,000 cells).
public static class HotspotAnalysis
{
    public const int MaxCells = 200_000;

    // Null when the study area is not in the caller's scope (or has no grids).
    public static async Task<HotspotAnalysisResult?> ComputeAsync(NpgsqlDataSource dataSource, CallerScope scope, HotspotRequest request, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var area = await StudyAreaAsync(connection, scope, request.Grid, request.Station, ct);
        if (area is null) return null;

        var size = request.CellSize;
        var projectedArea = await ProjectAsync(connection, area, ct);
        var envelope = projectedArea.EnvelopeInternal;
        var estimatedCells = Math.Ceiling(envelope.Width / size + 1) * Math.Ceiling(envelope.Height / size + 1);
        if (estimatedCells > MaxCells) return new HotspotAnalysisResult(request, area, projectedArea, null, [], 0, 0, TooManyCells: true);
        var inside = PreparedGeometryFactory.Prepare(projectedArea);
        var factory = projectedArea.Factory;
        var cells = SquareGrid.Cover(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY, size,
            (x, y) => inside.Contains(factory.CreatePoint(new Coordinate(x, y))));

        var (caseX, caseY) = await CasePointsAsync(connection, area, request.From, request.To, request.Types, ct);
        var counts = cells.CountPoints(caseX, caseY);
        var residents = await ResidentsPerCellAsync(connection, area, cells, ct);

        var result = cells.Cells.Length >= 3
            ? GiStar.Compute(cells.CentreX.AsSpan(), cells.CentreY.AsSpan(), counts.AsSpan(), request.Band)
            : null;
        var bins = result is null ? [] : ConfidenceBins.Classify(result.ZScores.AsSpan(), result.PValues.AsSpan(), request.UseFdr);

        var list = new HotspotCell[cells.Cells.Length];
        for (var i = 0; i < list.Length; i++)
        {
            var cell = cells.Cells[i];
            // Cases per 1,000 registered residents; cells with fewer residents than the minimum
            // are suppressed: a rate over 3 people is noise and could point at a household.
            var rate = residents[i] >= request.MinimumResidents ? counts[i] * 1000.0 / residents[i] : (double?)null;
            var bin = result is null ? 0 : bins[i];
            list[i] = new HotspotCell(cell.CentreX, cell.CentreY, counts[i], residents[i], rate,
                result is null || double.IsNaN(result.ZScores[i]) ? null : result.ZScores[i],
                result is null || double.IsNaN(result.PValues[i]) ? null : result.PValues[i],
                bin, result is null ? "not_significant" : ClassName(bin));
        }

        return new HotspotAnalysisResult(request, area, projectedArea, cells, list, caseX.Length, (int)counts.Sum(), TooManyCells: false);
    }

    public static string ClassName(int bin) => bin switch
    {
        3 => "hot_99", 2 => "hot_95", 1 => "hot_90", -1 => "cold_90", -2 => "cold_95", -3 => "cold_99", _ => "not_significant",
    };

    // Beijing days [from, to] as instants [start, end).
    public static (DateTimeOffset Start, DateTimeOffset End) Instants(DateOnly from, DateOnly to) =>
        (new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime(),
         new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime());

    // Raw SQL does not pass through EF's query filters, so the jurisdiction is applied here, from the same CallerScope.
    public static async Task<Geometry?> StudyAreaAsync(NpgsqlConnection connection, CallerScope scope, string? grid, string? station, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select ST_Union(g.boundary)
            from community_grids g join police_stations s on s.id = g.station_id
            where (@all or (@station_id::bigint is not null and g.station_id = @station_id) or (@district_id::bigint is not null and s.district_id = @district_id))
              and (@grid::text is null or g.code = @grid)
              and (@station::text is null or s.code = @station)
            """, connection);
        command.Parameters.AddWithValue("all", scope.SeesEverything);
        command.Parameters.Add(new NpgsqlParameter("station_id", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = scope.Kind == ScopeKind.Station ? scope.StationId! : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("district_id", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = scope.Kind == ScopeKind.District ? scope.DistrictId! : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("grid", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)grid ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("station", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)station ?? DBNull.Value });
        var value = await command.ExecuteScalarAsync(ct);
        return value as Geometry;
    }

    private static async Task<Geometry> ProjectAsync(NpgsqlConnection connection, Geometry area, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select ST_Transform(@area, 32648)", connection);
        command.Parameters.AddWithValue("area", area);
        return (Geometry)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<(double[] X, double[] Y)> CasePointsAsync(
        NpgsqlConnection connection, Geometry area, DateOnly from, DateOnly to, CaseType[] types, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select ST_X(p), ST_Y(p) from (
              select ST_Transform(c.location, 32648) as p from cases c
              where c.location && @area and ST_Intersects(c.location, @area)
                and c.occurred_at >= @from and c.occurred_at < @to and c.type = any(@types)) as projected
            """, connection);
        command.Parameters.AddWithValue("area", area);
        // Days are Beijing days: the pilot's figures are reported per local calendar day.
        var (start, end) = Instants(from, to);
        command.Parameters.AddWithValue("from", start);
        command.Parameters.AddWithValue("to", end);
        command.Parameters.AddWithValue("types", types.Select(SnakeCaseEnum.ToCode).ToArray());
        var x = new List<double>();
        var y = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            x.Add(reader.GetDouble(0));
            y.Add(reader.GetDouble(1));
        }
        return ([.. x], [.. y]);
    }

    private static async Task<double[]> ResidentsPerCellAsync(NpgsqlConnection connection, Geometry area, SquareGrid cells, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select ST_X(e), ST_Y(e), n from (
              select ST_Transform(b.entrance, 32648) as e,
                     (select count(*) from residence_registrations r
                      where r.building_id = b.id and r.status in ('confirmed', 'verified') and r.move_out_date is null) as n
              from buildings b
              where b.entrance && @area and ST_Intersects(b.entrance, @area)) as residents
            where n > 0
            """, connection);
        command.Parameters.AddWithValue("area", area);
        var perCell = new double[cells.Cells.Length];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cell = cells.CellIndexOf(reader.GetDouble(0), reader.GetDouble(1));
            if (cell >= 0) perCell[cell] += reader.GetInt64(2);
        }
        return perCell;
    }
}
