using System.Globalization;

namespace SmartDoorplate.Gis;

// bbox=minLon,minLat,maxLon,maxLat (RFC 7946 order, WGS 84).
public readonly record struct BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    // About a 5 km × 5 km neighbourhood: a map view of a station, never the whole city at once.
    public const double MaxAreaKm2 = 25;

    private const double KmPerDegreeOfLatitude = 111.32;

    // Good to a few per cent at Guiyang's size, which is all a limit needs.
    public double AreaKm2 =>
        (MaxLat - MinLat) * KmPerDegreeOfLatitude
        * (MaxLon - MinLon) * KmPerDegreeOfLatitude * Math.Cos(double.DegreesToRadians((MinLat + MaxLat) / 2));

    public static BoundingBox? Parse(string? bbox, Dictionary<string, string[]> errors)
    {
        var parts = (bbox ?? "").Split(',');
        var numbers = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])).All(ok => ok)
            || numbers.Any(n => !double.IsFinite(n)))
        {
            errors["bbox"] = [GisText.BboxFormat.ToString()];
            return null;
        }
        var box = new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
        if (box.MinLon < -180 || box.MaxLon > 180 || box.MinLat < -90 || box.MaxLat > 90 || box.MinLon >= box.MaxLon || box.MinLat >= box.MaxLat)
        {
            errors["bbox"] = [GisText.BboxRange.ToString()];
            return null;
        }
        if (box.AreaKm2 > MaxAreaKm2)
        {
            errors["bbox"] = [GisText.BboxTooLarge.Format(box.AreaKm2, MaxAreaKm2).ToString()];
            return null;
        }
        return box;
    }
}
