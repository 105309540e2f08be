using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Statistics;

public class SmallCountsTests
{
    [Fact]
    public void CountsFromOneToFourAreHiddenAndZerosAndLargerCountsShown()
    {
        Assert.Equal([false, true, true, false, false], SmallCounts.Suppressed([0, 1, 4, 5, 40], 5));
    }

    [Fact]
    public void ALoneHiddenCellTakesTheSmallestOtherCellWithItSoTheTotalCannotRevealIt()
    {
        Assert.Equal([false, true, false, true], SmallCounts.Suppressed([12, 3, 7, 6], 5));
        Assert.Equal([false, true, true], SmallCounts.Suppressed([12, 3, 0], 5));
    }

    [Fact]
    public void OnTiesTheFirstSmallestCellIsHidden()
    {
        Assert.Equal([true, true, false], SmallCounts.Suppressed([6, 2, 6], 5));
    }

    [Fact]
    public void TwoHiddenCellsNeedNoMore()
    {
        Assert.Equal([false, true, true, false], SmallCounts.Suppressed([12, 3, 4, 6], 5));
    }

    [Fact]
    public void ASingleCellBreakdownIsHiddenWhenSmall()
    {
        Assert.Equal([true], SmallCounts.Suppressed([3], 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AThresholdOfOneOrLessHidesNothing(int threshold)
    {
        Assert.Equal([false, false, false], SmallCounts.Suppressed([1, 2, 30], threshold));
    }

    [Fact]
    public void ANegativeCountIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallCounts.Suppressed([3, -1], 5));
    }
}
