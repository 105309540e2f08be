using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class PeriodChangeTests
{
    [Theory]
    [InlineData(10.0, 15.0, 50.0)]
    [InlineData(10.0, 5.0, -50.0)]
    [InlineData(4.0, 0.0, -100.0)]
    [InlineData(3.0, 3.0, 0.0)]
    [InlineData(0.0, 0.0, 0.0)]
    public void PercentChangeIsRelativeToBefore(double before, double after, double expected)
    {
        Assert.Equal(expected, PeriodChange.Percent(before, after), 1e-12);
    }

    [Fact]
    public void PercentChangeFromNothingIsUndefined()
    {
        Assert.True(double.IsNaN(PeriodChange.Percent(0, 3)));
    }

    [Fact]
    public void DifferenceGiStarReproducesThePublishedEsdaValues()
    {
        // Gi* is unchanged by adding a constant, so before = 1 everywhere and after = the PySAL
        // esda G_Local doctest values + 1 must give that doctest's z-scores (band 15).
        double[] x = [10, 20, 40, 15, 30, 30];
        double[] y = [10, 10, 10, 20, 20, 30];
        double[] values = [2, 3, 3.2, 5, 8, 7];
        double[] expectedZ = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331];
        var before = Enumerable.Repeat(1.0, values.Length).ToArray();
        var after = values.Select(v => v + 1).ToArray();

        var result = PeriodChange.Compute(x, y, before, after, 15);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], result.Difference[i], 1e-12);
            Assert.Equal(100 * values[i], result.PercentChange[i], 1e-9);
            Assert.Equal(expectedZ[i], result.DifferenceGiStar.ZScores[i], 5e-9);
        }
    }

    [Fact]
    public void ClusteredRiseIsAHotSpotOfChangeAndClusteredFallACold()
    {
        // 9 × 9 cells of 100 m with 4 events each before; afterwards a 3 × 3 block in the west
        // doubles and one in the east empties.
        var grid = SquareGrid.Cover(0, 0, 900, 900, 100);
        var before = Enumerable.Repeat(4.0, grid.Cells.Length).ToArray();
        var after = before.ToArray();
        var west = 4 * 9 + 1;
        var east = 4 * 9 + 7;
        foreach (var offset in (int[])[-10, -9, -8, -1, 0, 1, 8, 9, 10])
        {
            after[west + offset] = 8;
            after[east + offset] = 0;
        }

        var result = PeriodChange.Compute(grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), before, after, 150);
        var bins = ConfidenceBins.Classify(result.DifferenceGiStar.ZScores.AsSpan(), result.DifferenceGiStar.PValues.AsSpan(), correctForFalseDiscoveryRate: true);

        Assert.Equal(4.0, result.Difference[west]);
        Assert.Equal(-100.0, result.PercentChange[east]);
        Assert.Equal(3, bins[west]);
        Assert.Equal(-3, bins[east]);
        Assert.Equal(0, bins[4]);
    }

    [Fact]
    public void InvalidCountsAreRejected()
    {
        double[] two = [0, 100];

        Assert.Throws<ArgumentException>(() => PeriodChange.Compute(two, two, [1, 2], [1], 150));
        Assert.Throws<ArgumentException>(() => PeriodChange.Compute(two, two, [1, -2], [1, 2], 150));
        Assert.Throws<ArgumentException>(() => PeriodChange.Compute(two, two, [1, 2], [1, double.NaN], 150));
    }
}
