namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>
/// WGS84 ↔ GCJ-02, the obfuscated datum that maps published in China (AMap/Gaode, Tencent, the
/// phone apps residents use) must use by law. The forward transform is the widely circulated
/// reverse-engineered one (as in eviltransform / coordtransform); it reproduces those libraries
/// to floating-point precision. There is no closed-form inverse, so <see cref="Gcj02ToWgs84"/>
/// iterates.
/// </summary>
public static class ChinaCoordinates
{
    // The transform is defined on the Krasovsky 1940 ellipsoid, not on WGS84.
    private const double KrasovskySemiMajorAxis = 6378245.0;
    private const double KrasovskyEccentricitySquared = 0.00669342162296594323;

    // Points outside this rectangle are left unshifted by every known implementation, so we must
    // do the same to agree with coordinates captured by Chinese apps near or beyond the border.
    private const double MinLongitude = 72.004;
    private const double MaxLongitude = 137.8347;
    private const double MinLatitude = 0.8293;
    private const double MaxLatitude = 55.8271;

    // A fixed-point iteration step below this is far under a millimetre (1e-9° ≈ 0.1 mm).
    private const double InverseToleranceDegrees = 1e-9;

    // The shift varies slowly (its gradient is ~1e-5 per degree), so each iteration gains about
    // five digits; ten is generous and only guards against pathological input.
    private const int MaxInverseIterations = 10;

    public static bool IsOutOfChina(GeoPoint point) =>
        point.Longitude < MinLongitude || point.Longitude > MaxLongitude
        || point.Latitude < MinLatitude || point.Latitude > MaxLatitude;

    public static GeoPoint Wgs84ToGcj02(GeoPoint wgs84)
    {
        if (IsOutOfChina(wgs84))
        {
            return wgs84;
        }

        var (dLon, dLat) = Shift(wgs84);
        return new GeoPoint(wgs84.Longitude + dLon, wgs84.Latitude + dLat);
    }

    /// <summary>Solves Wgs84ToGcj02(w) = gcj02 for w by fixed-point iteration w ← gcj02 − shift(w).</summary>
    public static GeoPoint Gcj02ToWgs84(GeoPoint gcj02)
    {
        if (IsOutOfChina(gcj02))
        {
            return gcj02;
        }

        var wgs84 = gcj02;
        for (var i = 0; i < MaxInverseIterations; i++)
        {
            var (dLon, dLat) = Shift(wgs84);
            var next = new GeoPoint(gcj02.Longitude - dLon, gcj02.Latitude - dLat);
            var step = Math.Max(Math.Abs(next.Longitude - wgs84.Longitude), Math.Abs(next.Latitude - wgs84.Latitude));
            wgs84 = next;
            if (step < InverseToleranceDegrees)
            {
                break;
            }
        }

        return wgs84;
    }

    private static (double DLon, double DLat) Shift(GeoPoint wgs84)
    {
        var x = wgs84.Longitude - 105.0;
        var y = wgs84.Latitude - 35.0;

        // Offsets in metres on the Krasovsky ellipsoid (the coefficients are the published ones,
        // which is why they are not named); converted to degrees by the meridian and parallel radii.
        var common = (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;

        var northMetres = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + common
            + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y / 30.0 * Math.PI)) * 2.0 / 3.0;

        var eastMetres = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + common
            + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;

        var latitudeRadians = wgs84.Latitude / 180.0 * Math.PI;
        var sinLatitude = Math.Sin(latitudeRadians);
        var w = 1 - KrasovskyEccentricitySquared * sinLatitude * sinLatitude;
        var sqrtW = Math.Sqrt(w);
        var meridianRadius = KrasovskySemiMajorAxis * (1 - KrasovskyEccentricitySquared) / (w * sqrtW);
        var parallelRadius = KrasovskySemiMajorAxis / sqrtW * Math.Cos(latitudeRadians);

        return (eastMetres * 180.0 / (parallelRadius * Math.PI), northMetres * 180.0 / (meridianRadius * Math.PI));
    }
}
