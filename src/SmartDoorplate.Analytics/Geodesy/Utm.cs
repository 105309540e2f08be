namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>A UTM position; Guiyang is zone 48 north (EPSG:32648).</summary>
public readonly record struct UtmCoordinate(int Zone, bool IsNorth, double Easting, double Northing)
{
    /// <summary>EPSG:326zz (north) or EPSG:327zz (south) on WGS84.</summary>
    public int Epsg => (IsNorth ? 32600 : 32700) + Zone;
}

/// <summary>
/// WGS84 ↔ Universal Transverse Mercator using Krüger's series in the third flattening n,
/// carried to n⁶ as given by C. F. F. Karney, "Transverse Mercator with an accuracy of a few
/// nanometers", J. Geodesy 85 (2011) 475–485.
/// Within the 6° zone (and several degrees beyond it) the error is far below a millimetre.
/// </summary>
public static class Utm
{
    public const int ZoneCount = 60;

    private const double SemiMajorAxis = 6378137.0;
    private const double InverseFlattening = 298.257223563;
    private const double ScaleOnCentralMeridian = 0.9996;
    private const double FalseEasting = 500_000.0;
    private const double FalseNorthingSouth = 10_000_000.0;

    private static readonly double Flattening = 1 / InverseFlattening;
    private static readonly double Eccentricity = Math.Sqrt(Flattening * (2 - Flattening));
    private static readonly double ThirdFlattening = Flattening / (2 - Flattening);

    // A: the distance along the meridian from the equator is A times the rectifying latitude.
    private static readonly double RectifyingRadius = RectifyingRadiusOf(ThirdFlattening);

    // Krüger's α: Gauss–Schreiber (conformal) coordinates → transverse Mercator.
    private static readonly double[] Alpha = AlphaOf(ThirdFlattening);

    // Krüger's β: transverse Mercator → Gauss–Schreiber coordinates.
    private static readonly double[] Beta = BetaOf(ThirdFlattening);

    /// <summary>Standard 6° zone, ignoring the Norway and Svalbard exceptions (irrelevant in China).</summary>
    public static int ZoneOf(double longitude)
    {
        var normalised = longitude - 360 * Math.Floor((longitude + 180) / 360);
        return Math.Min(ZoneCount, (int)Math.Floor((normalised + 180) / 6) + 1);
    }

    public static double CentralMeridianOf(int zone) => -183.0 + 6.0 * zone;

    public static UtmCoordinate FromWgs84(GeoPoint point) =>
        FromWgs84(point, ZoneOf(point.Longitude), point.Latitude >= 0);

    /// <summary>Projects into a given zone, e.g. to keep a whole city in 48N even where it spills over a zone edge.</summary>
    public static UtmCoordinate FromWgs84(GeoPoint point, int zone, bool north)
    {
        ValidateZone(zone);

        var latitude = double.DegreesToRadians(point.Latitude);
        var longitude = double.DegreesToRadians(NormaliseDegrees(point.Longitude - CentralMeridianOf(zone)));

        // Conformal latitude via τ', then Gauss–Schreiber coordinates on the conformal sphere.
        var tau = Math.Tan(latitude);
        var tauPrime = ConformalTangent(tau);
        var (sinLongitude, cosLongitude) = Math.SinCos(longitude);
        var xiPrime = Math.Atan2(tauPrime, cosLongitude);
        var etaPrime = Math.Asinh(sinLongitude / Math.Sqrt(tauPrime * tauPrime + cosLongitude * cosLongitude));

        // Krüger series.
        var xi = xiPrime;
        var eta = etaPrime;
        for (var j = 1; j <= Alpha.Length; j++)
        {
            xi += Alpha[j - 1] * Math.Sin(2 * j * xiPrime) * Math.Cosh(2 * j * etaPrime);
            eta += Alpha[j - 1] * Math.Cos(2 * j * xiPrime) * Math.Sinh(2 * j * etaPrime);
        }

        var easting = FalseEasting + ScaleOnCentralMeridian * RectifyingRadius * eta;
        var northing = ScaleOnCentralMeridian * RectifyingRadius * xi + (north ? 0 : FalseNorthingSouth);
        return new UtmCoordinate(zone, north, easting, northing);
    }

    public static GeoPoint ToWgs84(UtmCoordinate utm)
    {
        ValidateZone(utm.Zone);

        var xi = (utm.Northing - (utm.IsNorth ? 0 : FalseNorthingSouth)) / (ScaleOnCentralMeridian * RectifyingRadius);
        var eta = (utm.Easting - FalseEasting) / (ScaleOnCentralMeridian * RectifyingRadius);

        // Inverse Krüger series.
        var xiPrime = xi;
        var etaPrime = eta;
        for (var j = 1; j <= Beta.Length; j++)
        {
            xiPrime -= Beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
            etaPrime -= Beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
        }

        // Conformal latitude and longitude from Gauss–Schreiber coordinates.
        var sinhEtaPrime = Math.Sinh(etaPrime);
        var (sinXiPrime, cosXiPrime) = Math.SinCos(xiPrime);
        var tauPrime = sinXiPrime / Math.Sqrt(sinhEtaPrime * sinhEtaPrime + cosXiPrime * cosXiPrime);
        var longitude = Math.Atan2(sinhEtaPrime, cosXiPrime);

        var latitude = Math.Atan(GeographicTangent(tauPrime));
        return new GeoPoint(
            NormaliseDegrees(double.RadiansToDegrees(longitude) + CentralMeridianOf(utm.Zone)),
            double.RadiansToDegrees(latitude));
    }

    // τ' = tan(conformal latitude) from τ = tan(geographic latitude).
    private static double ConformalTangent(double tau)
    {
        var sigma = Math.Sinh(Eccentricity * Math.Atanh(Eccentricity * tau / Math.Sqrt(1 + tau * tau)));
        return tau * Math.Sqrt(1 + sigma * sigma) - sigma * Math.Sqrt(1 + tau * tau);
    }

    // Inverts ConformalTangent by Newton's method (Karney's dτ'/dτ); converges to machine precision
    // in two or three steps from the starting guess τ = τ'.
    private static double GeographicTangent(double tauPrime)
    {
        const int maxIterations = 10;
        var e2 = Eccentricity * Eccentricity;
        var tau = tauPrime;
        for (var i = 0; i < maxIterations; i++)
        {
            var tauPrimeOfTau = ConformalTangent(tau);
            var step = (tauPrime - tauPrimeOfTau) / Math.Sqrt(1 + tauPrimeOfTau * tauPrimeOfTau)
                * (1 + (1 - e2) * tau * tau) / ((1 - e2) * Math.Sqrt(1 + tau * tau));
            tau += step;
            if (Math.Abs(step) <= 1e-14 * Math.Max(1, Math.Abs(tau)))
            {
                break;
            }
        }

        return tau;
    }

    private static double RectifyingRadiusOf(double n)
    {
        var n2 = n * n;
        return SemiMajorAxis / (1 + n) * (1 + n2 / 4 + n2 * n2 / 64 + n2 * n2 * n2 / 256);
    }

    private static double[] AlphaOf(double n)
    {
        var (n2, n3, n4, n5, n6) = (n * n, n * n * n, n * n * n * n, n * n * n * n * n, n * n * n * n * n * n);
        return
        [
            n / 2 - 2.0 / 3 * n2 + 5.0 / 16 * n3 + 41.0 / 180 * n4 - 127.0 / 288 * n5 + 7891.0 / 37800 * n6,
            13.0 / 48 * n2 - 3.0 / 5 * n3 + 557.0 / 1440 * n4 + 281.0 / 630 * n5 - 1983433.0 / 1935360 * n6,
            61.0 / 240 * n3 - 103.0 / 140 * n4 + 15061.0 / 26880 * n5 + 167603.0 / 181440 * n6,
            49561.0 / 161280 * n4 - 179.0 / 168 * n5 + 6601661.0 / 7257600 * n6,
            34729.0 / 80640 * n5 - 3418889.0 / 1995840 * n6,
            212378941.0 / 319334400 * n6,
        ];
    }

    private static double[] BetaOf(double n)
    {
        var (n2, n3, n4, n5, n6) = (n * n, n * n * n, n * n * n * n, n * n * n * n * n, n * n * n * n * n * n);
        return
        [
            n / 2 - 2.0 / 3 * n2 + 37.0 / 96 * n3 - 1.0 / 360 * n4 - 81.0 / 512 * n5 + 96199.0 / 604800 * n6,
            1.0 / 48 * n2 + 1.0 / 15 * n3 - 437.0 / 1440 * n4 + 46.0 / 105 * n5 - 1118711.0 / 3870720 * n6,
            17.0 / 480 * n3 - 37.0 / 840 * n4 - 209.0 / 4480 * n5 + 5569.0 / 90720 * n6,
            4397.0 / 161280 * n4 - 11.0 / 504 * n5 - 830251.0 / 7257600 * n6,
            4583.0 / 161280 * n5 - 108847.0 / 3991680 * n6,
            20648693.0 / 638668800 * n6,
        ];
    }

    // Into [-180, 180) so that zone 1 and zone 60 work across the antimeridian.
    private static double NormaliseDegrees(double degrees) => degrees - 360 * Math.Floor((degrees + 180) / 360);

    private static void ValidateZone(int zone)
    {
        if (zone is < 1 or > ZoneCount)
        {
            throw new ArgumentOutOfRangeException(nameof(zone), zone, "UTM zones are numbered 1 to 60.");
        }
    }
}
