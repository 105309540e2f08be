namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>
/// Distance on a sphere. Within a city the error against the WGS84 ellipsoid is at most about 0.5 %,
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
        var deltaLon = double.DegreesToRadians(to.Longitude - from.Longitude);
        var (sinLat1, cosLat1) = Math.SinCos(lat1);
        var (sinLat2, cosLat2) = Math.SinCos(lat2);
        var (sinDeltaLon, cosDeltaLon) = Math.SinCos(deltaLon);

        // Central angle as atan2(|a × b|, a · b) (the spherical case of Vincenty's formula): unlike
        // the law of cosines it keeps full precision at metre scale, and unlike haversine's asin
        // it stays accurate near the antipode.
        var crossEast = cosLat2 * sinDeltaLon;
        var crossNorth = cosLat1 * sinLat2 - sinLat1 * cosLat2 * cosDeltaLon;
        var dot = sinLat1 * sinLat2 + cosLat1 * cosLat2 * cosDeltaLon;
        return MeanEarthRadiusMetres * Math.Atan2(Math.Sqrt(crossEast * crossEast + crossNorth * crossNorth), dot);
    }
}
