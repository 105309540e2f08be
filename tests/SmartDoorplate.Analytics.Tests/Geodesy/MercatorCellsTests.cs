using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Analytics.Tests.Geodesy;

public class MercatorCellsTests
{
    // Bing Maps Tile System (learn.microsoft.com/bingmaps/articles/bing-maps-tile-system): "tile XY
    // coordinates (3, 5) at level 3 … quadkey 213"; the four level-1 tiles are 0 1 / 2 3.
    [Theory]
    [InlineData(3, 5, 3, "213")]
    [InlineData(0, 0, 1, "0")]
    [InlineData(1, 0, 1, "1")]
    [InlineData(0, 1, 1, "2")]
    [InlineData(1, 1, 1, "3")]
    public void AKeyWrittenInBase4IsTheBingQuadkeyOfItsTile(int x, int y, int level, string quadkey)
    {
        var key = MercatorCells.Interleave(x, y);

        Assert.Equal(quadkey, MercatorCells.QuadKey(key, level));
        Assert.Equal((x, y), MercatorCells.Deinterleave(key));
    }

    [Fact]
    public void DeinterleaveUndoesInterleaveOverTheWholeKeyLevel()
    {
        var last = (1 << MercatorCells.KeyLevel) - 1;
        foreach (var (x, y) in new[] { (0, 0), (last, 0), (0, last), (last, last), (826_172, 443_750), (524_288, 524_287) })
        {
            Assert.Equal((x, y), MercatorCells.Deinterleave(MercatorCells.Interleave(x, y)));
        }
    }

    // The tile a point lies in by the OpenStreetMap wiki's formula (Slippy map tilenames), the other
    // way of computing it: x = ⌊(λ + 180) / 360 · 2^z⌋, y = ⌊(1 − ln(tan φ + sec φ) / π) / 2 · 2^z⌋.
    [Theory]
    [InlineData(106.68167, 26.61738)]   // the city benchmark's busiest place, Yunyan
    [InlineData(106.7143, 26.5783)]     // Guiyang railway station
    [InlineData(-0.1276, 51.5072)]      // London: west of 0°
    [InlineData(-43.1729, -22.9068)]    // Rio de Janeiro: south of the equator
    public void APointsKeyIsTheKeyOfItsKeyLevelTileByTheOsmFormula(double longitude, double latitude)
    {
        var n = 1 << MercatorCells.KeyLevel;
        var phi = double.DegreesToRadians(latitude);
        var x = (int)Math.Floor((longitude + 180) / 360 * n);
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(phi) + 1 / Math.Cos(phi)) / Math.PI) / 2 * n);

        Assert.Equal(MercatorCells.Interleave(x, y), MercatorCells.KeyOf(longitude, latitude));
    }

    [Fact]
    public void PointsBeyondTheGridFallInItsEdgeCells()
    {
        var last = (1 << MercatorCells.KeyLevel) - 1;

        Assert.Equal((0, 0), MercatorCells.Deinterleave(MercatorCells.KeyOf(-180, 89.9)));
        Assert.Equal((last, last), MercatorCells.Deinterleave(MercatorCells.KeyOf(180, -89.9)));
    }

    // A tile's range holds exactly the stored keys whose quadkey starts with the tile's quadkey.
    [Theory]
    [InlineData(12, 3261, 1733)]
    [InlineData(14, 13_046, 6_934)]
    [InlineData(18, 208_733, 110_937)]
    public void ATilesKeyRangeHoldsExactlyTheCellsInsideIt(int zoom, int x, int y)
    {
        var (from, to) = MercatorCells.KeyRange(zoom, x, y);
        var prefix = MercatorCells.QuadKey(MercatorCells.Interleave(x, y), zoom);

        Assert.Equal(1L << 2 * (MercatorCells.KeyLevel - zoom), to - from);
        Assert.StartsWith(prefix, MercatorCells.QuadKey(from, MercatorCells.KeyLevel));
        Assert.StartsWith(prefix, MercatorCells.QuadKey(to - 1, MercatorCells.KeyLevel));
        Assert.False(MercatorCells.QuadKey(from - 1, MercatorCells.KeyLevel).StartsWith(prefix, StringComparison.Ordinal));
        Assert.False(MercatorCells.QuadKey(to, MercatorCells.KeyLevel).StartsWith(prefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    public void ShiftingAStoredKeyGivesTheCellOfTheCoarserLevelThatHoldsIt(int level)
    {
        var key = MercatorCells.KeyOf(106.68167, 26.61738);
        var (x, y) = MercatorCells.Deinterleave(key);
        var drop = MercatorCells.KeyLevel - level;

        Assert.Equal((x >> drop, y >> drop), MercatorCells.Deinterleave(key >> MercatorCells.ShiftTo(level)));
    }
}
