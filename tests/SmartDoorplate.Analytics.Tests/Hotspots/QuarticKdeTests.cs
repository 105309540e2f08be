using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class QuarticKdeTests
{
    private const double Bandwidth = 250;

    [Fact]
    public void TwoPointKernelSumIsTheReadmeValue()
    {
        // Fixture README: points (0,0) and (100,0), h = 200, evaluated at (50,0): 2 × (1 − 50²/200²)².
        var sums = QuarticKde.KernelSums([0, 100], [0, 0], [], [50], [0], 200);

        Assert.Equal(1.7578125, Assert.Single(sums));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(125.0, 0.5625)]
    [InlineData(250.0, 0.0)]
    [InlineData(250.001, 0.0)]
    [InlineData(1000.0, 0.0)]
    public void KernelIsQuarticInsideTheBandwidthAndZeroBeyond(double distance, double expected)
    {
        Assert.Equal(expected, QuarticKde.Kernel(distance, Bandwidth));
    }

    [Fact]
    public void DensitiesMatchTheRReferenceGrid()
    {
        var events = HotspotFixture.Load("kde-points-60.csv");
        var reference = HotspotFixture.Load("kde-points-60-h250-cell100.csv");
        var grid = SquareGrid.Cover(590_000, 2_940_000, 592_000, 2_942_000, 100);
        Assert.Equal(reference["x"], grid.CentreX);
        Assert.Equal(reference["y"], grid.CentreY);

        var densities = QuarticKde.Densities(events["x"], events["y"], events["value"], grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), Bandwidth);

        for (var i = 0; i < reference.RowCount; i++)
        {
            var expected = reference["density"][i];
            if (expected == 0)
            {
                Assert.True(Math.Abs(densities[i]) <= 1e-15, $"cell {i}: expected 0, got {densities[i]}");
                continue;
            }

            var allowed = 1e-12 * expected + CoordinateRoundingBound(events, grid.CentreX[i], grid.CentreY[i]);
            Assert.True(Math.Abs(densities[i] - expected) <= allowed,
                $"cell {i}: expected {expected:R}, got {densities[i]:R}, allowed error {allowed:R}");
        }
    }

    [Fact]
    public void DensitiesMatchTheFullPrecisionRReferenceToOnePartInATrillion()
    {
        // kde-reference.R wrote the events with %.17g, so these are the doubles R summed over; only
        // the order of summation differs, which moves a sum of positive terms by a few ulps.
        var events = HotspotFixture.Load("kde-points-80-full-precision.csv");
        var reference = HotspotFixture.Load("kde-points-80-full-precision-h250-cell100.csv");
        var grid = SquareGrid.Cover(events["x"].Min(), events["y"].Min(), events["x"].Max(), events["y"].Max(), 100);
        Assert.Equal(reference["x"], grid.CentreX);
        Assert.Equal(reference["y"], grid.CentreY);

        var densities = QuarticKde.Densities(events["x"], events["y"], events["value"], grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), Bandwidth);

        Assert.Contains(reference["density"], density => density > 0);
        Assert.Contains(reference["density"], density => density == 0);
        for (var i = 0; i < reference.RowCount; i++)
        {
            var expected = reference["density"][i];
            // Relative to the reference, so a cell R finds empty must come out exactly 0.
            Assert.True(Math.Abs(densities[i] - expected) <= 1e-12 * expected,
                $"cell {i} at ({grid.CentreX[i]}, {grid.CentreY[i]}): expected {expected:R}, got {densities[i]:R}");
        }
    }

    [Fact]
    public void EachEventIntegratesToOne()
    {
        // Midpoint rule over 1 m cells around a single event.
        const double step = 1.0;
        var atX = new List<double>();
        var atY = new List<double>();
        for (var x = -Bandwidth + step / 2; x < Bandwidth; x += step)
        {
            for (var y = -Bandwidth + step / 2; y < Bandwidth; y += step)
            {
                atX.Add(x);
                atY.Add(y);
            }
        }

        var densities = QuarticKde.Densities([0], [0], [], atX.ToArray(), atY.ToArray(), Bandwidth);

        Assert.Equal(1.0, densities.Sum() * step * step, 1e-4);
    }

    [Fact]
    public void WeightsScaleTheContributionOfEachEvent()
    {
        var unweighted = QuarticKde.KernelSums([0, 100], [0, 0], [], [50], [0], 200);
        var weighted = QuarticKde.KernelSums([0, 100], [0, 0], [3, 3], [50], [0], 200);

        Assert.Equal(3 * unweighted[0], weighted[0], 1e-15);
    }

    [Fact]
    public void NoEventsMeansZeroDensityEverywhere()
    {
        var densities = QuarticKde.Densities([], [], [], [0, 1000], [0, 1000], Bandwidth);

        Assert.Equal([0.0, 0.0], densities.ToArray());
    }

    [Fact]
    public void EvaluationFarFromAllEventsIsZero()
    {
        var sums = QuarticKde.KernelSums([0, 10], [0, 10], [], [-1e7, 1e7], [1e7, -1e7], Bandwidth);

        Assert.Equal([0.0, 0.0], sums.ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void BandwidthMustBePositive(double bandwidth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuarticKde.KernelSums([0], [0], [], [0], [0], bandwidth));
    }

    [Fact]
    public void AnyPositiveBandwidthIsAllowed()
    {
        var sums = QuarticKde.KernelSums([0], [0], [], [0.0005], [0], 0.001);

        Assert.Equal(0.5625, Assert.Single(sums), 1e-12);
    }

    [Fact]
    public void BandwidthNrdUsesTheStandardDeviationWhenItIsSmaller()
    {
        // 1..10: sd = √(55/6) ≈ 3.028 < IQR/1.34 = 4.5/1.34 ≈ 3.358 (R type-7 quartiles 3.25 and 7.75).
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        var expected = 4 * 1.06 * Math.Sqrt(55.0 / 6) * Math.Pow(10, -0.2);
        Assert.Equal(expected, QuarticKde.BandwidthNrd(values), 1e-12);
    }

    [Fact]
    public void BandwidthNrdUsesTheInterquartileRangeWhenAnOutlierInflatesTheStandardDeviation()
    {
        // Type-7 quartiles of 0..8, 100 are 2.25 and 6.75, so IQR/1.34 = 4.5/1.34 ≪ sd ≈ 30.5.
        double[] values = [8, 0, 100, 1, 2, 3, 4, 5, 6, 7];

        var expected = 4 * 1.06 * (4.5 / 1.34) * Math.Pow(10, -0.2);
        Assert.Equal(expected, QuarticKde.BandwidthNrd(values), 1e-12);
    }

    [Fact]
    public void SfhotspotDefaultBandwidthDependsOnlyOnEastings()
    {
        var events = HotspotFixture.Load("kde-points-60.csv");

        Assert.Equal(QuarticKde.BandwidthNrd(events["x"]), QuarticKde.SfhotspotDefaultBandwidth(events["x"]));
        Assert.NotEqual(QuarticKde.BandwidthNrd(events["x"]), QuarticKde.BandwidthNrd(events["y"]));
    }

    // The event coordinates in kde-points-60.csv are printed to 6 decimals, while R computed the
    // reference densities from unrounded coordinates, so a perfect implementation differs from the
    // reference by up to 3e-7 relative where an event sits near the edge of a kernel. Bound that
    // difference to first order: each event may have moved by up to δ = √2 × 0.5e-6 m, and
    // |dK/dd| = 4d/h² (1 − d²/h²). Any real error in the kernel or its scaling is orders of
    // magnitude larger than this bound.
    private static double CoordinateRoundingBound(HotspotFixture events, double atX, double atY)
    {
        var displacement = Math.Sqrt(2) * 0.5e-6;
        var bound = 0.0;
        for (var i = 0; i < events.RowCount; i++)
        {
            var d = Math.Sqrt(Math.Pow(events["x"][i] - atX, 2) + Math.Pow(events["y"][i] - atY, 2));
            if (d > Bandwidth + displacement)
            {
                continue;
            }

            var nearest = Math.Max(0, d - displacement);
            var steepest = 4 * (d + displacement) / (Bandwidth * Bandwidth) * Math.Max(0, 1 - nearest * nearest / (Bandwidth * Bandwidth));
            bound += events["value"][i] * steepest * displacement;
        }

        return bound * QuarticKde.NormalisingFactor(Bandwidth);
    }
}
