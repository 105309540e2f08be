namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>
/// Distance on a sphere. Within a city the error against the WGS84 ellipsoid is below 0.5 %,
/// which is ample for "how far is this doorplate from that incident"; use UTM coordinates when
/// metres must be exact.
/// </summary>
public static class GreatCircle
{
    // IUGG mean radius R1 = (2a + b) / 3 of the WGS84 ellipsoid (Moritz, Geodetic Reference System 1980).
    public const double MeanEarthRadiusMetres = 6_371_008.8;

    public static double DistanceMetres(GeoPoint from, GeoPoint to)
    {
        var lat1 = double.DegreesToRadians(from.Latitude);
        var lat2 = double.DegreesToRadians(to.Latitude);
        var halfDeltaLat = (lat2 - lat1) / 2;
        var halfDeltaLon = double.DegreesToRadians(to.Longitude - from.Longitude) / 2;

        // Haversine rather than the spherical law of cosines, which loses all precision for the
        // metre-scale distances this project mostly measures.
        var h = Math.Sin(halfDeltaLat) * Math.Sin(halfDeltaLat)
            + Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(halfDeltaLon) * Math.Sin(halfDeltaLon);
        return 2 * MeanEarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
