namespace SmartDoorplate.Analytics.Geodesy;

/// <summary>
/// The Web Mercator (EPSG:3857) tile grid as one integer per cell. A cell of level L is the tile (x, y)
/// of zoom L, x counted east from 180° W and y south from the top; its key is the Morton (Z-order)
/// interleave of x and y, bit i of x at bit 2i and bit i of y at bit 2i + 1, which is the number that
/// Bing Maps writes in base 4 as the tile's quadkey. The database stores the key of the
/// <see cref="KeyLevel"/> cell holding each case and building entrance (migration MercatorCellKeys,
/// function mercator_cell_key, the same arithmetic as <see cref="KeyOf"/>); then a tile of zoom z ≤
/// KeyLevel holds exactly the keys of one range (<see cref="KeyRange"/>), and the level-L cell holding
/// a key is that key shifted right by <see cref="ShiftTo"/>(L): a tile's cells come from one index
/// range scan and a group by an integer, with no geometry touched per row.
/// </summary>
public static class MercatorCells
{
    /// <summary>Level of the stored keys: cells of 38 m at the equator, 34 m in Guiyang.</summary>
    public const int KeyLevel = 20;

    /// <summary>Half the width of the Web Mercator square (π × 6,378,137 m), as PostGIS uses it.</summary>
    public const double HalfWidthMetres = 20037508.342789244;

    private const double SphereRadiusMetres = 6378137;

    public static double CellMetres(int level) => 2 * HalfWidthMetres / (1L << level);

    public static long Interleave(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        return Spread((uint)x) | (Spread((uint)y) << 1);
    }

    public static (int X, int Y) Deinterleave(long key) => ((int)Compact((ulong)key), (int)Compact((ulong)key >> 1));

    /// <summary>The keys of the KeyLevel cells inside tile (x, y) of zoom z: [From, ToExclusive).</summary>
    public static (long From, long ToExclusive) KeyRange(int zoom, int x, int y)
    {
        var shift = ShiftTo(zoom);
        var tile = Interleave(x, y);
        return (tile << shift, (tile + 1) << shift);
    }

    /// <summary>How far a stored key shifts right to become the key of its level-L cell.</summary>
    public static int ShiftTo(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, KeyLevel);
        return 2 * (KeyLevel - level);
    }

    /// <summary>
    /// The key of the KeyLevel cell holding a WGS84 point, projected as ST_Transform(…, 3857) does
    /// (spherical Mercator); points beyond the grid's ±85.05° or ±180° fall in its edge cells.
    /// </summary>
    public static long KeyOf(double longitude, double latitude)
    {
        var east = SphereRadiusMetres * double.DegreesToRadians(longitude);
        var north = SphereRadiusMetres * Math.Log(Math.Tan(Math.PI / 4 + double.DegreesToRadians(latitude) / 2));
        var cell = CellMetres(KeyLevel);
        const double last = (1 << KeyLevel) - 1;
        var x = Math.Clamp(Math.Floor((east + HalfWidthMetres) / cell), 0, last);
        var y = Math.Clamp(Math.Floor((HalfWidthMetres - north) / cell), 0, last);
        return Interleave((int)x, (int)y);
    }

    /// <summary>The key of a level-L cell written as Bing Maps writes quadkeys (one base-4 digit per level).</summary>
    public static string QuadKey(long key, int level)
    {
        var digits = new char[level];
        for (var i = level - 1; i >= 0; i--, key >>= 2) digits[i] = (char)('0' + (key & 3));
        return new string(digits);
    }

    // Bit i of v to bit 2i: the classic "binary magic numbers" spread (Warren, Hacker's Delight, 7–2).
    private static long Spread(uint v)
    {
        ulong x = v;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFF;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FF;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0F;
        x = (x | (x << 2)) & 0x3333333333333333;
        x = (x | (x << 1)) & 0x5555555555555555;
        return (long)x;
    }

    private static ulong Compact(ulong x)
    {
        x &= 0x5555555555555555;
        x = (x | (x >> 1)) & 0x3333333333333333;
        x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0F;
        x = (x | (x >> 4)) & 0x00FF00FF00FF00FF;
        x = (x | (x >> 8)) & 0x0000FFFF0000FFFF;
        x = (x | (x >> 16)) & 0x00000000FFFFFFFF;
        return x;
    }
}
