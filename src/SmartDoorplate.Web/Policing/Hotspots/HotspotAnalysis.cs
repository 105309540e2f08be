using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Policing.Hotspots;

// Days are Beijing days, both inclusive; Grid/Station narrow the caller's own jurisdiction.
public sealed record HotspotRequest(
    double CellSize, double Band, DateOnly From, DateOnly To, CaseType[] Types, string? Grid, string? Station,
    bool UseFdr, int MinimumResidents);

public sealed record AnalysedCell(
    double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P, int Bin, string ClassName)
{
    public bool IsHot => Bin > 0;
}

// Area is the study area in WGS84, ProjectedArea the same in UTM 48N (EPSG:32648), the cells' CRS.
public sealed record HotspotAnalysisResult(
    HotspotRequest Request, Geometry Area, Geometry ProjectedArea, SquareGrid? Grid, IReadOnlyList<AnalysedCell> Cells,
    int Events, int EventsInCells, bool TooManyCells)
{
    public AnalysedCell? CellAt(double x, double y) =>
        Grid?.CellIndexOf(x, y) is { } index and >= 0 ? Cells[index] : null;
}

// What every hot-spot analysis shares, whether one period (/api/hotspots) or two (/api/hotspots/change):
// the parameters and their defaults, the study area from the caller's jurisdiction, the square grid in
// UTM 48N metres, cases and residents per cell, the data stamp that says whether a stored run is still
// current. The statistics are the Analytics library's (matching spdep::localG); PostGIS does the
// selection and projection, the grid is in memory because it is small (a station at 100 m is ~1,000 cells).
public static class HotspotAnalysis
{
    public const int MaxCells = 200_000;
    public const int DefaultMinimumResidents = ResidentRates.MinimumResidents;
    private const int GuiyangUtmZone = 48;

    public static readonly Bilingual StudyAreaRequired = new("管理员请指定网格或派出所（grid 或 station 参数）", "Admins choose a grid or station (the grid or station parameter)");
    public static readonly Bilingual CellSizeInvalid = new("网格边长须为 25–2000 米", "cellSize must be 25–2000 metres");
    public static readonly Bilingual BandInvalid = new("邻域半径（band）须不小于网格边长，且不大于网格边长的 20 倍", "band must be at least cellSize and at most 20 × cellSize");
    public static readonly Bilingual DateInvalid = new("日期格式须为 yyyy-MM-dd，且起始不晚于结束", "Dates are yyyy-MM-dd and from must not be after to");
    public static readonly Bilingual TypesInvalid = new("案件类别须取自代码表", "types must come from the case-type code list");
    public static readonly Bilingual MethodInvalid = new("方法须为 gistar 或 gistar-fdr", "method must be gistar or gistar-fdr");
    public static readonly Bilingual TooManyCells = new("网格数过多，请加大网格边长或缩小范围", "Too many cells: use a larger cellSize or a smaller area");

    // The parameters of one analysis after defaults: what a run is matched on and stored with.
    public sealed record Options(double CellSize, double Band, bool BandIsDefault, CaseType[] Types, string? Grid, string? Station, bool UseFdr, int MinimumResidents)
    {
        public string Method => UseFdr ? "gistar-fdr" : "gistar";

        public JsonObject ToJson() => new()
        {
            ["method"] = Method,
            ["cellSize"] = CellSize,
            ["band"] = Band,
            ["bandIsDefault"] = BandIsDefault,
            ["types"] = new JsonArray([.. Types.Select(t => (JsonNode)SnakeCaseEnum.ToCode(t))]),
            ["grid"] = Grid,
            ["station"] = Station,
            ["minResidents"] = MinimumResidents,
            ["crs"] = "EPSG:32648",
        };
    }

    // A period of whole Beijing days, both ends included.
    public sealed record Period(DateOnly From, DateOnly To)
    {
        public int Days => To.DayNumber - From.DayNumber + 1;
        public JsonObject ToJson() => new() { ["from"] = Format(From), ["to"] = Format(To) };
    }

    // Key: "grid:CODE", "station:ID" or "district:ID" — the same area asked for by an officer of the
    // station, their district or an admin is one key. Station and district: who may read its runs.
    // Area is in WGS84, ProjectedArea the same in UTM 48N (EPSG:32648), the cells' CRS.
    public sealed record StudyArea(Geometry Area, Geometry ProjectedArea, string Key, long? StationId, long? DistrictId);

    // Cells of one layout with what was counted in them.
    public sealed record CellCounts(SquareGrid Cells, double[] Counts, int Events);

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static Options? ParseOptions(IHotspotOptionsQuery query, CallerScope scope, Dictionary<string, Bilingual> errors)
    {
        var (cellSize, band, grid, station, method) = (query.CellSize, query.Band, query.Grid, query.Station, query.Method);
        var size = cellSize ?? 100;
        if (!double.IsFinite(size) || size is < 25 or > 2000) errors["cellSize"] = CellSizeInvalid;
        // Default band: 1.5 cells, i.e. the cell and its 8 neighbours (queen contiguity).
        var distanceBand = band ?? size * 1.5;
        if (!double.IsFinite(distanceBand) || distanceBand < size || distanceBand > size * 20) errors["band"] = BandInvalid;
        var caseTypes = ParseTypes(query.Types, errors);
        var useFdr = false;
        if (method is not (null or "gistar")) { if (method == "gistar-fdr") useFdr = true; else errors["method"] = MethodInvalid; }
        if (scope.SeesEverything && grid is null && station is null) errors["grid"] = StudyAreaRequired;
        // A caller may ask for more residents behind a rate, never fewer than the one minimum.
        var minimumResidents = Math.Max(ResidentRates.MinimumResidents, query.MinResidents ?? DefaultMinimumResidents);
        return errors.Count > 0 ? null : new Options(size, distanceBand, band is null, caseTypes, grid, station, useFdr, minimumResidents);
    }

    public static DateOnly ParseDate(string field, string? value, DateOnly fallback, Dictionary<string, Bilingual> errors)
    {
        if (value is null) return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors[field] = DateInvalid;
        return fallback;
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    private static CaseType[] ParseTypes(string? types, Dictionary<string, Bilingual> errors)
    {
        // 两抢一盗 by default: the pilot's headline measure.
        if (string.IsNullOrWhiteSpace(types)) return [.. CaseTypes.RobberyAndTheft.Order()];
        var parsed = new List<CaseType>();
        foreach (var code in types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (SnakeCaseEnum.TryParse<CaseType>(code, out var type) && SnakeCaseEnum.ToCode(type) == code) parsed.Add(type);
            else errors["types"] = TypesInvalid;
        }
        return [.. parsed.Distinct().Order()];
    }

    public static string ClassName(int bin) => bin switch
    {
        3 => "hot_99", 2 => "hot_95", 1 => "hot_90", -1 => "cold_90", -2 => "cold_95", -3 => "cold_99", _ => "not_significant",
    };

    // The caller's jurisdiction (Data/ScopeSql), narrowed to the grid or station asked for.
    public static async Task<StudyArea?> StudyAreaAsync(NpgsqlConnection connection, CallerScope scope, string? grid, string? station, CancellationToken ct)
    {
        await using var command = HotspotSql.StudyArea(scope, grid, station);
        command.Connection = connection;
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(0)) return null;
        var area = reader.GetFieldValue<Geometry>(0);
        var projectedArea = reader.GetFieldValue<Geometry>(1);
        long? stationId = reader.GetInt64(2) == 1 ? reader.GetInt64(3) : null;
        long? districtId = reader.GetInt64(4) == 1 ? reader.GetInt64(5) : null;
        var key = grid is not null ? $"grid:{grid}"
            : stationId is { } s ? $"station:{s}"
            : districtId is { } d ? $"district:{d}"
            : "all";
        return new StudyArea(area, projectedArea, key, stationId, districtId);
    }

    // Cells whose centre lies in the (projected) study area; null when there would be too many.
    public static SquareGrid? LayOutCells(Geometry projectedArea, double size)
    {
        var envelope = projectedArea.EnvelopeInternal;
        var estimatedCells = Math.Ceiling(envelope.Width / size + 1) * Math.Ceiling(envelope.Height / size + 1);
        if (estimatedCells > MaxCells) return null;
        var inside = PreparedGeometryFactory.Prepare(projectedArea);
        var factory = projectedArea.Factory;
        return SquareGrid.Cover(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY, size,
            (x, y) => inside.Contains(factory.CreatePoint(new Coordinate(x, y))));
    }

    // One period's Gi* cells held in memory, for the pilot report (which draws them and places
    // buildings in them) rather than stored as a run.
    public static async Task<HotspotAnalysisResult?> ComputeAsync(NpgsqlDataSource dataSource, CallerScope scope, HotspotRequest request, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var area = await StudyAreaAsync(connection, scope, request.Grid, request.Station, ct);
        if (area is null) return null;
        var cells = LayOutCells(area.ProjectedArea, request.CellSize);
        if (cells is null) return new HotspotAnalysisResult(request, area.Area, area.ProjectedArea, null, [], 0, 0, TooManyCells: true);

        var counted = await CountCasesAsync(connection, area, cells, new Period(request.From, request.To), request.Types, ct);
        var counts = counted.Counts;
        var residents = await ResidentsPerCellAsync(connection, area, cells, ct);
        // The same Gi*, bins and suppressed rates as a stored run.
        var options = new Options(request.CellSize, request.Band, BandIsDefault: false, request.Types, request.Grid, request.Station,
            request.UseFdr, request.MinimumResidents);
        var list = HotspotRuns.CountCells(cells, counts, residents, options)
            .Select(c => new AnalysedCell(c.X, c.Y, c.Count, c.Residents, c.Rate, c.Z, c.P, c.Bin, c.Class)).ToArray();
        return new HotspotAnalysisResult(request, area.Area, area.ProjectedArea, cells, list, counted.Events, (int)counts.Sum(), TooManyCells: false);
    }

    // Beijing days [from, to] as instants [start, end).
    public static (DateTimeOffset Start, DateTimeOffset End) Instants(DateOnly from, DateOnly to) =>
        (new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime(),
         new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime());

    public static async Task<CellCounts> CountCasesAsync(NpgsqlConnection connection, StudyArea area, SquareGrid cells, Period period,
        CaseType[] types, CancellationToken ct)
    {
        // Days are Beijing days: the pilot's figures are reported per local calendar day.
        var (start, end) = Instants(period.From, period.To);
        await using var command = HotspotSql.CaseLocations(area.Area, start, end, [.. types.Select(SnakeCaseEnum.ToCode)]);
        command.Connection = connection;
        var x = new List<double>();
        var y = new List<double>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                x.Add(reader.GetDouble(0));
                y.Add(reader.GetDouble(1));
            }
        }
        return new CellCounts(cells, cells.CountPoints(x.ToArray(), y.ToArray()).ToArray(), x.Count);
    }

    public static async Task<double[]> ResidentsPerCellAsync(NpgsqlConnection connection, StudyArea area, SquareGrid cells, CancellationToken ct)
    {
        await using var command = HotspotSql.ResidentsByEntrance(area.Area);
        command.Connection = connection;
        var perCell = new double[cells.Cells.Length];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cell = cells.CellIndexOf(reader.GetDouble(0), reader.GetDouble(1));
            if (cell >= 0) perCell[cell] += reader.GetInt64(2);
        }
        return perCell;
    }

    // The data a stored run depends on, as one string (HotspotSql.DataStamp says what is in it).
    public static async Task<string> DataStampAsync(NpgsqlConnection connection, StudyArea area, CancellationToken ct)
    {
        await using var command = HotspotSql.DataStamp(area.Area);
        command.Connection = connection;
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    // The request's DbContext connection, opened, for the statements of HotspotSql: the runs it
    // stores through EF and the cells it copies share one connection and one transaction.
    public static async Task<NpgsqlConnection> OpenConnectionAsync(SmartDoorplateDb db, CancellationToken ct)
    {
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }

    // A grid cell as a lon/lat polygon: its corners projected back from UTM, so it lines up with the
    // cells the statistics were computed on (a square in metres is not a square in degrees).
    public static Polygon CellPolygon(double centreX, double centreY, double size)
    {
        var half = size / 2;
        (double, double)[] corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)];
        var ring = corners.Select(corner =>
        {
            var point = Utm.ToWgs84(new UtmCoordinate(GuiyangUtmZone, true, centreX + corner.Item1, centreY + corner.Item2));
            return new Coordinate(Math.Round(point.Longitude, 7), Math.Round(point.Latitude, 7));
        }).ToArray();
        return Geo.Factory.CreatePolygon(ring);
    }
}
