using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace SmartDoorplate.Data;

// The one geometry factory of the app: SRID 4326, X = longitude, Y = latitude.
// Metres are never computed on these degrees: use geography casts in SQL or project to EPSG:32648.
public static class Geo
{
    public const int Srid = 4326;

    // Guiyang lies in UTM zone 48N; analytics grids are laid out in these metres.
    public const int ProjectedSrid = 32648;

    public static readonly GeometryFactory Factory =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(PrecisionModels.Floating), Srid);

    public static Point Point(double longitude, double latitude) => Factory.CreatePoint(new Coordinate(longitude, latitude));
}
