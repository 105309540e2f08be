using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class MannKendallTests
{
    [Fact]
    public void PublishedWorkedExampleWithATieIsReproduced()
    {
        // "A Mann-Kendall Example ('By Hand')", J. Little, College of the Holy Cross
        // (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 91 pairs, 72 up,
        // 18 down, 1 tie, so S = 54; V = (14)(13)(33)/18 − (2)(1)(9)/18; Z = (S − 1)/√V = 2.9058;
        // "p = .0018" from the normal table, which is the one-sided tail.
        double[] series = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7];

        var result = MannKendall.Test(series);

        Assert.Equal(14, result.Count);
        Assert.Equal(54, result.S);
        Assert.Equal((14.0 * 13 * 33 - 2 * 1 * 9) / 18, result.VarianceOfS, 1e-12);
        Assert.Equal(2.9058, result.Z, 5e-5);
        Assert.InRange(result.PValue / 2, 0.00175, 0.00185);
        Assert.Equal(NormalDistribution.TwoSidedPValue(result.Z), result.PValue);
    }

    [Fact]
    public void StrictlyIncreasingSeriesHasTauOneAndTheUntiedVariance()
    {
        double[] series = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        var result = MannKendall.Test(series);

        // S = C(10, 2) = 45; Var(S) = 10 · 9 · 25 / 18 = 125; Z = 44 / √125.
        Assert.Equal(45, result.S);
        Assert.Equal(125, result.VarianceOfS, 1e-12);
        Assert.Equal(44 / Math.Sqrt(125), result.Z, 1e-12);
        Assert.Equal(1.0, result.Tau, 1e-15);
        Assert.True(result.PValue < 0.001);
    }

    [Fact]
    public void DecreasingSeriesMirrorsTheIncreasingOne()
    {
        var up = MannKendall.Test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var down = MannKendall.Test([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

        Assert.Equal(-up.S, down.S);
        Assert.Equal(-up.Z, down.Z);
        Assert.Equal(-up.Tau, down.Tau);
        Assert.Equal(up.PValue, down.PValue);
    }

    [Fact]
    public void TieGroupsReduceTheVarianceAndTau()
    {
        // Hand count for 1, 1, 2, 2, 2, 3: each 1 is below four later values (8), each 2 below
        // the 3 (3), tied pairs count 0: S = 11. Tie groups of 2 and 3:
        // Var(S) = (6·5·17 − 2·1·9 − 3·2·11) / 18 = 426 / 18; τ = 11 / √((15 − 1 − 3) · 15).
        var result = MannKendall.Test([1, 1, 2, 2, 2, 3]);

        Assert.Equal(11, result.S);
        Assert.Equal(426.0 / 18, result.VarianceOfS, 1e-12);
        Assert.Equal(10 / Math.Sqrt(426.0 / 18), result.Z, 1e-12);
        Assert.Equal(11 / Math.Sqrt(11.0 * 15), result.Tau, 1e-12);
    }

    [Fact]
    public void BalancedSeriesHasZeroZAndPOne()
    {
        // 1 → 2 up, 1 → 1 tied, 2 → 1 down: S = 0.
        var result = MannKendall.Test([1, 2, 1]);

        Assert.Equal(0, result.S);
        Assert.Equal((3.0 * 2 * 11 - 2 * 1 * 9) / 18, result.VarianceOfS, 1e-12);
        Assert.Equal(0.0, result.Z);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void ConstantOrSingleValueSeriesIsNoEvidenceOfTrend()
    {
        var constant = MannKendall.Test([4, 4, 4, 4]);
        var single = MannKendall.Test([4]);

        Assert.Equal(0.0, constant.VarianceOfS);
        Assert.Equal(0.0, constant.Z);
        Assert.Equal(1.0, constant.PValue);
        Assert.True(double.IsNaN(constant.Tau));
        Assert.Equal(1, single.Count);
        Assert.Equal(1.0, single.PValue);
    }

    [Fact]
    public void MissingValuesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => MannKendall.Test([1, double.NaN, 3]));
        Assert.Throws<ArgumentException>(() => MannKendall.Test([1, double.PositiveInfinity]));
    }
}
