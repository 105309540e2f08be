using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Statistics;

public class NormalDistributionTests
{
    // Φ(x) rounded to 17 significant digits from mpmath 1.3 `ncdf(x)` evaluated with 40 digits.
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(-0.5, 0.30853753872598688)]
    [InlineData(1.0, 0.84134474606854293)]
    [InlineData(-1.96, 0.024997895148220435)]
    [InlineData(-3.0, 0.0013498980316300946)]
    [InlineData(-5.0, 2.8665157187919391e-07)]
    [InlineData(-6.0, 9.8658764503769814e-10)]
    [InlineData(-10.0, 7.6198530241605260e-24)]
    [InlineData(-20.0, 2.7536241186062337e-89)]
    public void CdfMatchesPublishedValuesToFullPrecision(double x, double expected)
    {
        var actual = NormalDistribution.Cdf(x);

        Assert.True(Math.Abs(actual - expected) <= 1e-14 * expected, $"Φ({x}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.2)]
    [InlineData(4.0)]
    [InlineData(7.5)]
    public void CdfIsSymmetric(double x)
    {
        Assert.Equal(1.0, NormalDistribution.Cdf(x) + NormalDistribution.Cdf(-x), 1e-15);
    }

    [Fact]
    public void TwoSidedPValueOf1Point96IsFivePercent()
    {
        // mpmath: 2 ncdf(−1.96) = 0.049995790296440872426.
        Assert.Equal(0.04999579029644087, NormalDistribution.TwoSidedPValue(1.96), 1e-16);
        Assert.Equal(0.04999579029644087, NormalDistribution.TwoSidedPValue(-1.96), 1e-16);
    }

    [Fact]
    public void TinyTwoSidedPValuesKeepRelativePrecision()
    {
        // 1 − Φ(10) would round to 0; the tail is computed directly.
        var p = NormalDistribution.TwoSidedPValue(10);

        Assert.True(Math.Abs(p - 2 * 7.6198530241605260e-24) <= 1e-14 * p);
    }

    [Fact]
    public void FarTailsUnderflowToZeroAndOne()
    {
        Assert.Equal(0.0, NormalDistribution.Cdf(-40));
        Assert.Equal(1.0, NormalDistribution.Cdf(40));
        Assert.Equal(0.0, NormalDistribution.TwoSidedPValue(double.PositiveInfinity));
    }

    [Fact]
    public void NaNStaysNaN()
    {
        Assert.True(double.IsNaN(NormalDistribution.Cdf(double.NaN)));
        Assert.True(double.IsNaN(NormalDistribution.TwoSidedPValue(double.NaN)));
    }
}
