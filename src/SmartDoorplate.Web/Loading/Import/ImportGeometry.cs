using System.Globalization;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

public enum SourceCrs
{
    Wgs84,

    // What AMap/Gaode, Tencent and most Chinese survey deliveries use: converted on import.
    Gcj02,
}

// Turns a source geometry into the one the table stores (2-D, SRID 4326, WGS84) or says why not.
public static class ImportGeometry
{
    // A loose box around China: catches projected metres, swapped axes and a missing minus sign,
    // without pretending to know the border.
    public const double MinLongitude = 73.0;
    public const double MaxLongitude = 135.1;
    public const double MinLatitude = 3.8;
    public const double MaxLatitude = 53.6;

    public static MultiPolygon? ToMultiPolygon(Geometry? geometry, SourceCrs crs, string kindName, List<string> problems)
    {
        var polygons = geometry switch
        {
            Polygon p => [p],
            MultiPolygon mp => mp.Geometries.Cast<Polygon>().ToArray(),
            _ => null,
        };
        if (polygons is null)
        {
            problems.Add($"geometry is {Describe(geometry)}; {kindName} need a Polygon or MultiPolygon");
            return null;
        }

        var result = Build(() => Geo.Factory.CreateMultiPolygon(polygons.Select(p => Convert(p, crs)).ToArray()), problems);
        return result is not null && Check(result, problems) ? result : null;
    }

    public static Polygon? ToPolygon(Geometry? geometry, SourceCrs crs, List<string> problems)
    {
        // Shapefiles have no single-Polygon type, so a footprint often arrives as a one-part MultiPolygon.
        var polygon = geometry switch
        {
            Polygon p => p,
            MultiPolygon { NumGeometries: 1 } mp => (Polygon)mp.GetGeometryN(0),
            _ => null,
        };
        if (polygon is null)
        {
            problems.Add(geometry is MultiPolygon mp
                ? $"geometry is a MultiPolygon of {mp.NumGeometries} parts; a building footprint must be one Polygon"
                : $"geometry is {Describe(geometry)}; buildings need a Polygon");
            return null;
        }

        var result = Build(() => Convert(polygon, crs), problems);
        return result is not null && Check(result, problems) ? result : null;
    }

    public static Point? ToPoint(Geometry? geometry, SourceCrs crs, List<string> problems, string kindName = "cases")
    {
        if (geometry is not Point { IsEmpty: false } point)
        {
            problems.Add($"geometry is {Describe(geometry)}; {kindName} need a Point");
            return null;
        }

        var result = Convert(point, crs);
        return Check(result, problems) ? result : null;
    }

    // Road centre lines: a LineString or MultiLineString, stored as MultiLineString.
    public static MultiLineString? ToMultiLineString(Geometry? geometry, SourceCrs crs, List<string> problems)
    {
        var lines = geometry switch
        {
            LineString { IsEmpty: false } l => [l],
            MultiLineString { IsEmpty: false } ml => ml.Geometries.Cast<LineString>().ToArray(),
            _ => null,
        };
        if (lines is null)
        {
            problems.Add($"geometry is {Describe(geometry)}; roads need a LineString or MultiLineString");
            return null;
        }

        var result = Build(() => Geo.Factory.CreateMultiLineString(lines
            .Select(l => Geo.Factory.CreateLineString(l.Coordinates.Select(c => ToWgs84(c, crs)).ToArray())).ToArray()), problems);
        return result is not null && Check(result, problems) ? result : null;
    }

    public static Point? ToPoint(double longitude, double latitude, SourceCrs crs, string what, List<string> problems)
    {
        var point = Convert(Geo.Point(longitude, latitude), crs);
        if (IsInChina(point.Coordinate)) return point;
        problems.Add($"{what} ({Format(longitude)}, {Format(latitude)}) is outside China{SwapHint(point.Coordinate)}");
        return null;
    }

    public static Coordinate ToWgs84(Coordinate c, SourceCrs crs)
    {
        if (crs == SourceCrs.Wgs84) return new Coordinate(c.X, c.Y);
        var wgs84 = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(c.X, c.Y));
        return new Coordinate(wgs84.Longitude, wgs84.Latitude);
    }

    // NetTopologySuite refuses to build some broken shapes at all (an unclosed or two-point ring).
    private static T? Build<T>(Func<T> build, List<string> problems) where T : Geometry
    {
        try
        {
            return build();
        }
        catch (ArgumentException ex)
        {
            problems.Add($"invalid geometry: {ex.Message}");
            return null;
        }
    }

    private static bool Check(Geometry geometry, List<string> problems)
    {
        if (geometry.IsEmpty)
        {
            problems.Add("geometry is empty");
            return false;
        }

        var outside = geometry.Coordinates.FirstOrDefault(c => !IsInChina(c));
        if (outside is not null)
        {
            problems.Add($"coordinates outside China, e.g. ({Format(outside.X)}, {Format(outside.Y)}); expected longitude {MinLongitude}–{MaxLongitude}, latitude {MinLatitude}–{MaxLatitude}{SwapHint(outside)}");
            return false;
        }

        var error = IsPlainlyValid(geometry) ? null : new IsValidOp(geometry).ValidationError;
        if (error is not null)
        {
            problems.Add($"invalid geometry: {error.Message} at ({Format(error.Coordinate.X)}, {Format(error.Coordinate.Y)})");
            return false;
        }

        return true;
    }

    private const int PlainRingMaxSegments = 64;

    // A polygon without holes whose shell is a simple ring is valid: at least three segments, no point
    // repeated, no two segments meeting but where neighbours share their end point. This proves the
    // common footprint (a handful of corners) valid in a fraction of IsValidOp's time; whatever it
    // cannot prove (holes, many corners, any touch or overlap) goes to IsValidOp, which names the problem.
    private static bool IsPlainlyValid(Geometry geometry)
    {
        if (geometry is not Polygon { NumInteriorRings: 0 } polygon) return false;
        var ring = polygon.Shell.CoordinateSequence;
        var segments = ring.Count - 1;
        if (segments < 3 || segments > PlainRingMaxSegments || !ring.GetCoordinate(0).Equals2D(ring.GetCoordinate(segments))) return false;
        var intersector = new RobustLineIntersector();
        for (var i = 0; i < segments; i++)
        {
            var p0 = ring.GetCoordinate(i);
            var p1 = ring.GetCoordinate(i + 1);
            if (p0.Equals2D(p1)) return false;
            for (var j = i + 1; j < segments; j++)
            {
                intersector.ComputeIntersection(p0, p1, ring.GetCoordinate(j), ring.GetCoordinate(j + 1));
                if (!intersector.HasIntersection) continue;
                // Neighbours (j = i + 1, and the last segment with the first) share one end point and
                // nothing else: one intersection point, not a proper crossing.
                var neighbours = j == i + 1 || (i == 0 && j == segments - 1);
                if (!neighbours || intersector.IntersectionNum != LineIntersector.PointIntersection || intersector.IsProper) return false;
            }
        }

        return true;
    }

    private static bool IsInChina(Coordinate c) =>
        c.X is >= MinLongitude and <= MaxLongitude && c.Y is >= MinLatitude and <= MaxLatitude;

    private static string SwapHint(Coordinate c) =>
        IsInChina(new Coordinate(c.Y, c.X)) ? " (longitude and latitude look swapped)" : "";

    // Drops Z/M (the columns are 2-D) and rebuilds with the app's factory (SRID 4326).
    private static Polygon Convert(Polygon polygon, SourceCrs crs) =>
        Geo.Factory.CreatePolygon(Convert(polygon.Shell, crs), polygon.Holes.Select(h => Convert(h, crs)).ToArray());

    private static LinearRing Convert(LineString ring, SourceCrs crs) =>
        Geo.Factory.CreateLinearRing(ring.Coordinates.Select(c => ToWgs84(c, crs)).ToArray());

    private static Point Convert(Point point, SourceCrs crs) => Geo.Factory.CreatePoint(ToWgs84(point.Coordinate, crs));

    private static string Describe(Geometry? geometry) => geometry switch
    {
        null => "missing",
        { IsEmpty: true } => $"an empty {geometry.GeometryType}",
        _ => $"a {geometry.GeometryType}",
    };

    public static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
