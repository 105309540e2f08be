using System.Globalization;
using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Map;

// z/x/y of a Web Mercator (EPSG:3857) tile, as ST_TileEnvelope takes them.
public readonly record struct TileAddress(int Z, int X, int Y)
{
    public const int MaxZoom = 22;

    // Half the width of the Web Mercator square, in metres.
    public const double MercatorHalfWidth = MercatorCells.HalfWidthMetres;

    // A tile of zoom z is the Mercator cell of level z.
    public double WidthMetres => MercatorCells.CellMetres(Z);

    // Strings, not int route constraints: a constraint would turn "abc" or "-1" into a bare 404,
    // and a client deserves to be told what is wrong (400 with errors by field).
    public static TileAddress? Parse(string z, string x, string y, Dictionary<string, string[]> errors)
    {
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom) || zoom > MaxZoom)
        {
            errors["z"] = [MapText.ZoomRange.ToString()];
            return null;
        }
        var size = 1L << zoom;
        var xOk = long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var column) && column < size;
        var yOk = long.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row < size;
        if (!xOk) errors["x"] = [MapText.TileRange.ToString()];
        if (!yOk) errors["y"] = [MapText.TileRange.ToString()];
        return xOk && yOk ? new TileAddress(zoom, (int)column, (int)row) : null;
    }

    // The tile that holds a point at a zoom (tests pick their tiles with it).
    public static TileAddress Containing(double longitude, double latitude, int zoom)
    {
        var n = 1 << zoom;
        var x = (int)Math.Floor((longitude + 180) / 360 * n);
        var radians = double.DegreesToRadians(latitude);
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(radians) + 1 / Math.Cos(radians)) / Math.PI) / 2 * n);
        return new TileAddress(zoom, Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
    }

    public override string ToString() => $"{Z}/{X}/{Y}";
}
