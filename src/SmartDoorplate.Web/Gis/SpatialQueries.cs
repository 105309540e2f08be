using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Gis;

// Distances on the ground for the map's building panel (cases near a building) and area query (the
// degree bound of a circle). LINQ that the Npgsql NetTopologySuite plugin turns into index-backed
// PostGIS predicates; tests pin the SQL, so a change that silently falls back to client-side
// geometry or to degrees shows up at once.
public static class SpatialQueries
{
    // The shortest degree on Earth (one of latitude at the equator) in metres.
    private const double MinMetresPerDegree = 110_574;

    // Metres on the spheroid (ST_DWithin on geography), never degrees: a degree of longitude is
    // about 100 km at Guiyang's latitude but a degree of latitude is 111 km. That test alone casts
    // the column to geography and scans every row (EXPLAIN shows a Seq Scan), so a generous
    // bound in degrees comes first, which the GiST index on the geometry column serves.
    public static IQueryable<Case> CasesWithin(this SmartDoorplateDb db, Point point, double metres)
    {
        var degrees = DegreesCovering(point, metres);
        return db.Cases.Where(c => c.Location.IsWithinDistance(point, degrees)
                                   && EF.Functions.IsWithinDistance(c.Location, point, metres, true));
    }

    // Degrees that surely cover the metres around the point, in either direction: the degree of
    // longitude shrinks with latitude, so the bound uses a latitude a little nearer the pole.
    public static double DegreesCovering(Point point, double metres)
    {
        var latitudeForBound = double.DegreesToRadians(Math.Min(89, Math.Abs(point.Y) + 1));
        return 1.1 * metres / (MinMetresPerDegree * Math.Cos(latitudeForBound));
    }
}
