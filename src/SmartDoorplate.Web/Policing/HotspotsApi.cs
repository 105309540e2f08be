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
    public const int MaxCells = HotspotAnalysis.MaxCells;
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

        var analysis = await HotspotAnalysis.ComputeAsync(dataSource, scope,
            new HotspotRequest(size, distanceBand, fromDate, toDate, caseTypes, grid, station, useFdr, Math.Max(1, minResidents ?? DefaultMinimumResidents)), ct);
        if (analysis is null) return TypedResults.NotFound();
        if (analysis.TooManyCells)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cellSize"] = [TooManyCells.ToString()] });
        var minimumResidents = analysis.Request.MinimumResidents;

        var features = new JsonArray();
        foreach (var cell in analysis.Cells)
        {
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = CellPolygon(cell.X, cell.Y, size),
                ["properties"] = new JsonObject
                {
                    ["x"] = cell.X,
                    ["y"] = cell.Y,
                    ["count"] = cell.Count,
                    ["residents"] = cell.Residents,
                    ["rate"] = cell.Rate,
                    ["z"] = cell.Z,
                    ["p"] = cell.P,
                    ["class"] = cell.ClassName,
                    ["bin"] = cell.Bin,
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
                ["cells"] = analysis.Cells.Count,
                ["events"] = analysis.Events,
                ["eventsInCells"] = analysis.EventsInCells,
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
