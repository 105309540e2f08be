using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing;

// Getis-Ord Gi* hot spots of cases on a square grid in UTM 48N metres over the officer's own
// jurisdiction (or one grid / station of it), with the registered residents of each cell so that a
// hot spot can be read as a rate, not just a count. The statistics are the Analytics library's
// (matching spdep::localG); PostGIS does the selection and projection, the grid is in memory
// because it is small (a station at 100 m is ~1,000 cells).
public static class HotspotsApi
{
    public const int MaxCells = 200_000;
    public const int DefaultMinimumResidents = 20;
    private const int GuiyangUtmZone = 48;

    public static IEndpointRouteBuilder MapHotspots(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hotspots", GetHotspots).WithTags("Hotspots").RequireAuthorization(Policies.PoliceOrAdmin);
        return app;
    }

    public static readonly Bilingual StudyAreaRequired = new("管理员请指定网格或派出所（grid 或 station 参数）", "Admins choose a grid or station (the grid or station parameter)");
    public static readonly Bilingual CellSizeInvalid = new("网格边长须为 25–2000 米", "cellSize must be 25–2000 metres");
    public static readonly Bilingual BandInvalid = new("距离带须不小于网格边长、不大于其 20 倍", "band must be at least cellSize and at most 20 × cellSize");
    public static readonly Bilingual DateInvalid = new("日期格式须为 yyyy-MM-dd，且起始不晚于结束", "Dates are yyyy-MM-dd and from must not be after to");
    public static readonly Bilingual TypesInvalid = new("案件类别须取自代码表", "types must come from the case-type code list");
    public static readonly Bilingual MethodInvalid = new("方法须为 gistar 或 gistar-fdr", "method must be gistar or gistar-fdr");
    public static readonly Bilingual TooManyCells = new("网格数过多，请加大网格边长或缩小范围", "Too many cells: use a larger cellSize or a smaller area");

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, NotFound>> GetHotspots(
        double? cellSize, double? band, string? from, string? to, string? types, string? grid, string? station, string? method,
        int? minResidents, SmartDoorplateDb db, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, Bilingual>();
        var size = cellSize ?? 100;
        if (!double.IsFinite(size) || size is < 25 or > 2000) errors["cellSize"] = CellSizeInvalid;
        // Default band: 1.5 cells, i.e. the cell and its 8 neighbours (queen contiguity).
        var distanceBand = band ?? size * 1.5;
        if (!double.IsFinite(distanceBand) || distanceBand < size || distanceBand > size * 20) errors["band"] = BandInvalid;
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var fromDate = ParseDate("from", from, today.AddYears(-1), errors);
        var toDate = ParseDate("to", to, today, errors);
        if (fromDate > toDate) errors["from"] = DateInvalid;
        var caseTypes = ParseTypes(types, errors);
        var useFdr = method switch { null or "gistar" => false, "gistar-fdr" => true, _ => Error(errors, "method", MethodInvalid) };
        var scope = db.Scope;
        if (scope.SeesEverything && grid is null && station is null) errors["grid"] = StudyAreaRequired;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value.ToString() }));

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var area = await StudyAreaAsync(connection, scope, grid, station, ct);
        if (area is null) return TypedResults.NotFound();

        var projectedArea = await ScalarGeometryAsync(connection, "select ST_Transform(@area, 32648)", area, ct);
        var envelope = projectedArea.EnvelopeInternal;
        var estimatedCells = Math.Ceiling(envelope.Width / size + 1) * Math.Ceiling(envelope.Height / size + 1);
        if (estimatedCells > MaxCells)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cellSize"] = [TooManyCells.ToString()] });
        var inside = PreparedGeometryFactory.Prepare(projectedArea);
        var factory = projectedArea.Factory;
        var cells = SquareGrid.Cover(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY, size,
            (x, y) => inside.Contains(factory.CreatePoint(new Coordinate(x, y))));

        var (caseX, caseY) = await CasePointsAsync(connection, area, fromDate, toDate, caseTypes, ct);
        var counts = cells.CountPoints(caseX, caseY);
        var residents = await ResidentsPerCellAsync(connection, area, cells, ct);

        var result = cells.Cells.Length >= 3
            ? GiStar.Compute(cells.CentreX.AsSpan(), cells.CentreY.AsSpan(), counts.AsSpan(), distanceBand)
            : null;
        var bins = result is null ? [] : ConfidenceBins.Classify(result.ZScores.AsSpan(), result.PValues.AsSpan(), useFdr);
        var minimumResidents = Math.Max(1, minResidents ?? DefaultMinimumResidents);

        var features = new JsonArray();
        for (var i = 0; i < cells.Cells.Length; i++)
        {
            var cell = cells.Cells[i];
            var rate = residents[i] >= minimumResidents ? counts[i] * 1000.0 / residents[i] : (double?)null;
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = CellPolygon(cell.CentreX, cell.CentreY, size),
                ["properties"] = new JsonObject
                {
                    ["x"] = cell.CentreX,
                    ["y"] = cell.CentreY,
                    ["count"] = counts[i],
                    ["residents"] = residents[i],
                    // Cases per 1,000 registered residents; cells with fewer residents than the minimum
                    // are suppressed: a rate over 3 people is noise and could point at a household.
                    ["rate"] = rate,
                    ["z"] = result is null || double.IsNaN(result.ZScores[i]) ? null : result.ZScores[i],
                    ["p"] = result is null || double.IsNaN(result.PValues[i]) ? null : result.PValues[i],
                    ["class"] = result is null ? "not_significant" : ClassName(bins[i]),
                    ["bin"] = result is null ? 0 : bins[i],
                },
            });
        }

        return TypedResults.Ok(new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = features,
            ["parameters"] = new JsonObject
            {
                ["method"] = useFdr ? "gistar-fdr" : "gistar",
                ["cellSize"] = size,
                ["band"] = distanceBand,
                ["bandIsDefault"] = band is null,
                ["from"] = fromDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["to"] = toDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["types"] = new JsonArray([.. caseTypes.Select(t => (JsonNode)SnakeCaseEnum.ToCode(t))]),
                ["grid"] = grid,
                ["station"] = station,
                ["minResidents"] = minimumResidents,
                ["crs"] = "EPSG:32648",
                ["cells"] = cells.Cells.Length,
                ["events"] = caseX.Length,
                ["eventsInCells"] = (int)counts.Sum(),
            },
        });
    }

    private static bool Error(Dictionary<string, Bilingual> errors, string field, Bilingual message)
    {
        errors[field] = message;
        return false;
    }

    private static DateOnly ParseDate(string field, string? value, DateOnly fallback, Dictionary<string, Bilingual> errors)
    {
        if (value is null) return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors[field] = DateInvalid;
        return fallback;
    }

    private static CaseType[] ParseTypes(string? types, Dictionary<string, Bilingual> errors)
    {
        // 两抢一盗 by default: the pilot's headline measure.
        if (string.IsNullOrWhiteSpace(types)) return [.. CaseTypes.RobberyAndTheft];
        var parsed = new List<CaseType>();
        foreach (var code in types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (SnakeCaseEnum.TryParse<CaseType>(code, out var type) && SnakeCaseEnum.ToCode(type) == code) parsed.Add(type);
            else errors["types"] = TypesInvalid;
        }
        return [.. parsed.Distinct()];
    }

    private static string ClassName(int bin) => bin switch
    {
        3 => "hot_99", 2 => "hot_95", 1 => "hot_90", -1 => "cold_90", -2 => "cold_95", -3 => "cold_99", _ => "not_significant",
    };

    // Raw SQL does not pass through EF's query filters, so the jurisdiction is applied here, from the same CallerScope.
    private static async Task<Geometry?> StudyAreaAsync(NpgsqlConnection connection, CallerScope scope, string? grid, string? station, CancellationToken ct)
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

    private static async Task<Geometry> ScalarGeometryAsync(NpgsqlConnection connection, string sql, Geometry area, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
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
        command.Parameters.AddWithValue("from", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime());
        command.Parameters.AddWithValue("to", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime());
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

    private static JsonObject CellPolygon(double centreX, double centreY, double size)
    {
        var half = size / 2;
        (double, double)[] corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)];
        var ring = new JsonArray();
        foreach (var (dx, dy) in corners)
        {
            var point = Utm.ToWgs84(new UtmCoordinate(GuiyangUtmZone, true, centreX + dx, centreY + dy));
            ring.Add(new JsonArray(Math.Round(point.Longitude, 7), Math.Round(point.Latitude, 7)));
        }
        return new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) };
    }
}
