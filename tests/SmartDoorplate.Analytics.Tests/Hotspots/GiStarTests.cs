using System.Diagnostics;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Analytics.Statistics;
using Xunit.Abstractions;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class GiStarTests(ITestOutputHelper output)
{
    private const double ZTolerance = 1e-9;
    private const double PTolerance = 1e-9;

    [Fact]
    public void EsdaDoctestZScoresAreReproduced()
    {
        // PySAL esda G_Local doctest (star=True, binary weights, band 15), also in the fixture README.
        double[] x = [10, 20, 40, 15, 30, 30];
        double[] y = [10, 10, 10, 20, 20, 30];
        double[] values = [2, 3, 3.2, 5, 8, 7];
        double[] expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331];

        var result = GiStar.Compute(x, y, values, 15);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], result.ZScores[i], 5e-9);
        }
    }

    [Theory]
    [InlineData("esda-doctest-band15.csv", 15.0)]
    [InlineData("grid30-cell100-band150.csv", 150.0)]
    [InlineData("grid40-cell100-band250.csv", 250.0)]
    [InlineData("circle50-cell200-band450.csv", 450.0)]
    public void ZScoresMatchSpdepLocalG(string fixtureName, double band)
    {
        var reference = HotspotFixture.Load(fixtureName);

        var result = GiStar.Compute(reference["x"], reference["y"], reference["value"], band);

        AssertAllClose(reference["z"], result.ZScores, ZTolerance);
    }

    [Theory]
    [InlineData("grid30-cell100-band150.csv", 150.0)]
    [InlineData("grid40-cell100-band250.csv", 250.0)]
    [InlineData("circle50-cell200-band450.csv", 450.0)]
    public void PValuesMatchR(string fixtureName, double band)
    {
        var reference = HotspotFixture.Load(fixtureName);

        var result = GiStar.Compute(reference["x"], reference["y"], reference["value"], band);

        AssertAllClose(reference["p"], result.PValues, PTolerance);
    }

    [Fact]
    public void PValueIsTwoSidedNormalTailOfZ()
    {
        var reference = HotspotFixture.Load("grid40-cell100-band250.csv");

        var result = GiStar.Compute(reference["x"], reference["y"], reference["value"], 250);

        for (var i = 0; i < result.ZScores.Length; i++)
        {
            Assert.Equal(NormalDistribution.TwoSidedPValue(result.ZScores[i]), result.PValues[i]);
        }
    }

    [Fact]
    public void NeighbourCountIncludesTheCellItselfAndItsEightNeighboursAtBand150()
    {
        var reference = HotspotFixture.Load("grid30-cell100-band150.csv");

        var result = GiStar.Compute(reference["x"], reference["y"], reference["value"], 150);

        // Row-major 30 × 30: cell 0 is a corner, 1 is on the south edge, 31 is interior.
        Assert.Equal(4, result.NeighbourCounts[0]);
        Assert.Equal(6, result.NeighbourCounts[1]);
        Assert.Equal(9, result.NeighbourCounts[31]);
    }

    [Fact]
    public void BandIsInclusiveAtExactlyTheBandDistance()
    {
        // Points 100 m apart on a line with band 100: each end sees itself and one neighbour.
        double[] x = [0, 100, 200, 300];
        double[] y = [0, 0, 0, 0];
        double[] values = [1, 2, 3, 4];

        var result = GiStar.Compute(x, y, values, 100);

        Assert.Equal([2, 3, 3, 2], result.NeighbourCounts.ToArray());
    }

    [Fact]
    public void BandEqualToASpacingThatRoundsUpIsStillInclusive()
    {
        // In binary floating point 0.4 − 0.3 = 0.10000000000000003, just above the 0.1 band.
        double[] x = [0.3, 0.4, 0.5];
        double[] y = [0.05, 0.05, 0.05];
        double[] values = [1, 5, 2];

        var result = GiStar.Compute(x, y, values, 0.1);

        Assert.Equal([2, 3, 2], result.NeighbourCounts.ToArray());
    }

    [Fact]
    public void ResultDoesNotDependOnInputOrder()
    {
        var reference = HotspotFixture.Load("circle50-cell200-band450.csv");
        var order = Enumerable.Range(0, reference.RowCount).Reverse().ToArray();
        var x = order.Select(i => reference["x"][i]).ToArray();
        var y = order.Select(i => reference["y"][i]).ToArray();
        var values = order.Select(i => reference["value"][i]).ToArray();

        var result = GiStar.Compute(x, y, values, 450);

        AssertAllClose(order.Select(i => reference["z"][i]).ToArray(), result.ZScores, ZTolerance);
    }

    [Fact]
    public void ConstantValuesHaveUndefinedZLikeR()
    {
        double[] x = [0, 100, 200];
        double[] y = [0, 0, 0];
        double[] values = [3, 3, 3];

        var result = GiStar.Compute(x, y, values, 150);

        Assert.All(result.ZScores, z => Assert.True(double.IsNaN(z)));
        Assert.All(result.PValues, p => Assert.True(double.IsNaN(p)));
    }

    [Fact]
    public void InvalidInputIsRejected()
    {
        double[] two = [0, 1];
        double[] three = [0, 1, 2];

        Assert.Throws<ArgumentException>(() => GiStar.Compute(two, three, three, 10));
        Assert.Throws<ArgumentException>(() => GiStar.Compute([0.0], [0.0], [1.0], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => GiStar.Compute(two, two, two, 0));
        Assert.Throws<ArgumentException>(() => GiStar.Compute(two, two, [1, double.NaN], 10));
        Assert.Throws<ArgumentException>(() => GiStar.Compute([0, double.PositiveInfinity], two, two, 10));
    }

    [Fact]
    public void MillionCellGridCompletes()
    {
        // 1000 × 1000 cells of 100 m with a planted hot block; timing is printed, not asserted
        // (benchmarks belong elsewhere), but the planted block must come out hot.
        const int side = 1000;
        var grid = SquareGrid.Cover(500_000, 2_900_000, 500_000 + side * 100, 2_900_000 + side * 100, 100);
        var random = new Random(20240611);
        var values = new double[grid.Cells.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(0, 4);
        }

        var hotCell = 500 * side + 500;
        foreach (var offset in (int[])[-side - 1, -side, -side + 1, -1, 0, 1, side - 1, side, side + 1])
        {
            values[hotCell + offset] = 30;
        }

        var stopwatch = Stopwatch.StartNew();
        var result = GiStar.Compute(grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), values, 150);
        stopwatch.Stop();

        output.WriteLine($"Gi* over {values.Length:N0} cells (band 150 m): {stopwatch.ElapsedMilliseconds} ms "
            + $"on {Environment.ProcessorCount} logical processors");
        Assert.Equal(values.Length, result.ZScores.Length);
        Assert.Equal(9, result.NeighbourCounts[hotCell]);
        Assert.True(result.ZScores[hotCell] > 10, $"z of planted hot spot is {result.ZScores[hotCell]}");
        Assert.All(result.ZScores, z => Assert.True(double.IsFinite(z)));
    }

    private static void AssertAllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        var worstIndex = -1;
        for (var i = 0; i < expected.Count; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            if (!(error <= worst))
            {
                (worst, worstIndex) = (error, i);
            }
        }

        Assert.True(worst <= tolerance, $"largest error {worst} at row {worstIndex}: expected {expected[worstIndex]}, got {actual[worstIndex]}");
    }
}
