using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class ConfidenceBinsTests
{
    // The worked example of Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57: 289–300, the 15
    // p-values of Neuhaus et al.'s thrombolysis trial; at q = 0.05 the procedure rejects four.
    private static readonly double[] BenjaminiHochbergExample =
        [0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000];

    [Fact]
    public void PublishedBenjaminiHochbergExampleRejectsFourHypotheses()
    {
        var threshold = ConfidenceBins.BenjaminiHochbergThreshold(BenjaminiHochbergExample, 0.05);

        Assert.Equal(0.0095, threshold);
        Assert.Equal(4, BenjaminiHochbergExample.Count(p => p <= threshold));
    }

    [Fact]
    public void NoDiscoveriesGiveANegativeThreshold()
    {
        Assert.Equal(-1, ConfidenceBins.BenjaminiHochbergThreshold([0.5, 0.9, 0.2], 0.05));
    }

    [Theory]
    [InlineData(3.0, 3)]
    [InlineData(2.0, 2)]
    [InlineData(1.7, 1)]
    [InlineData(1.5, 0)]
    [InlineData(0.0, 0)]
    [InlineData(-1.7, -1)]
    [InlineData(-2.0, -2)]
    [InlineData(-3.0, -3)]
    public void BinsFollowArcGisConfidenceLevels(double z, int expectedBin)
    {
        // |z| thresholds 1.645 / 1.960 / 2.576 correspond to two-sided 90 / 95 / 99 %.
        var bins = ConfidenceBins.Classify([z], [NormalDistribution.TwoSidedPValue(z)], correctForFalseDiscoveryRate: false);

        Assert.Equal(expectedBin, Assert.Single(bins));
    }

    [Fact]
    public void FalseDiscoveryRateCorrectionDemotesMarginalCells()
    {
        // z = 2.2 (p ≈ 0.028) is significant at 95 % alone, but not among 15 tests dominated by noise.
        double[] z = [2.2, 5.0, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4];
        var p = z.Select(NormalDistribution.TwoSidedPValue).ToArray();

        var uncorrected = ConfidenceBins.Classify(z, p, correctForFalseDiscoveryRate: false);
        var corrected = ConfidenceBins.Classify(z, p, correctForFalseDiscoveryRate: true);

        Assert.Equal(2, uncorrected[0]);
        Assert.Equal(0, corrected[0]);
        Assert.Equal(3, corrected[1]);
    }

    [Fact]
    public void UndefinedZScoresAreNotSignificant()
    {
        var bins = ConfidenceBins.Classify([double.NaN, 3.0], [double.NaN, NormalDistribution.TwoSidedPValue(3.0)], correctForFalseDiscoveryRate: true);

        Assert.Equal([0, 3], bins.ToArray());
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ConfidenceBins.Classify([1.0, 2.0], [0.5], correctForFalseDiscoveryRate: false));
    }
}
