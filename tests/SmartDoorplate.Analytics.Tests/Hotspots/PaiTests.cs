using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class PaiTests
{
    // Fixture README example: six cells of unit area.
    private static readonly double[] Observed = [6, 7, 3, 2, 1, 0];
    private static readonly double[] Predicted = [8, 4, 4, 2, 1, 0];

    [Theory]
    [InlineData(1, 1.8947)] // (6/19) / (1/6)
    [InlineData(2, 1.4211)] // (9/19) / (2/6): the tie at 4 takes the cell with 3 events first
    [InlineData(3, 1.6842)] // (16/19) / (3/6)
    public void TopCellsMatchTheReadmeValues(int topCells, double expected)
    {
        Assert.Equal(expected, Math.Round(Pai.ForTopCells(Predicted, Observed, topCells), 4));
    }

    [Fact]
    public void AllCellsTogetherScoreOne()
    {
        Assert.Equal(1.0, Pai.ForTopCells(Predicted, Observed, Predicted.Length), 1e-15);
    }

    [Fact]
    public void CurveListsEveryCutOff()
    {
        var curve = Pai.Curve(Predicted, Observed, []);

        Assert.Equal(6, curve.Length);
        Assert.Equal(36.0 / 19, curve[0], 1e-15);
        Assert.Equal(27.0 / 19, curve[1], 1e-15);
        Assert.Equal(32.0 / 19, curve[2], 1e-15);
    }

    [Fact]
    public void CellAreasWeighTheAreaShare()
    {
        // The top cell is twice as large, so its area share doubles and its PAI halves.
        double[] areas = [2, 1, 1, 1, 1, 1];

        var pai = Pai.ForTopCells(Predicted, Observed, areas, 1);

        Assert.Equal(6.0 / 19 / (2.0 / 7), pai, 1e-15);
    }

    [Fact]
    public void UniformAreasGiveTheSameResultAsNoAreas()
    {
        double[] areas = [40_000, 40_000, 40_000, 40_000, 40_000, 40_000];

        Assert.Equal(Pai.ForTopCells(Predicted, Observed, 2), Pai.ForTopCells(Predicted, Observed, areas, 2), 1e-15);
    }

    [Fact]
    public void NoObservedEventsGiveNaN()
    {
        Assert.True(double.IsNaN(Pai.ForTopCells(Predicted, [0, 0, 0, 0, 0, 0], 1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TopCellCountMustBeWithinTheGrid(int topCells)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pai.ForTopCells(Predicted, Observed, topCells));
    }

    [Fact]
    public void NonPositiveAreasAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Pai.ForTopCells(Predicted, Observed, [1, 1, 1, 0, 1, 1], 1));
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Pai.ForTopCells(Predicted, [1, 2], 1));
    }
}
