using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class SquareGridTests
{
    [Fact]
    public void CellEdgesAreAlignedToMultiplesOfTheCellSize()
    {
        var grid = SquareGrid.Cover(590_037, 2_940_012, 590_290, 2_940_150, 100);

        Assert.Equal(590_000, grid.OriginX);
        Assert.Equal(2_940_000, grid.OriginY);
        Assert.Equal(3, grid.Columns);
        Assert.Equal(2, grid.Rows);
        Assert.Equal(new GridCell(0, 0, 590_050, 2_940_050), grid.Cells[0]);
        Assert.Equal(new GridCell(2, 1, 590_250, 2_940_150), grid.Cells[^1]);
    }

    [Fact]
    public void NegativeCoordinatesAlignDownwards()
    {
        var grid = SquareGrid.Cover(-150, -50, -10, 30, 100);

        Assert.Equal(-200, grid.OriginX);
        Assert.Equal(-100, grid.OriginY);
        Assert.Equal(2, grid.Columns);
        Assert.Equal(2, grid.Rows);
    }

    [Fact]
    public void BoxOnCellEdgesGetsNoExtraRowOrColumn()
    {
        var grid = SquareGrid.Cover(590_000, 2_940_000, 593_000, 2_943_000, 100);

        Assert.Equal(30, grid.Columns);
        Assert.Equal(30, grid.Rows);
        Assert.Equal(900, grid.Cells.Length);
    }

    [Fact]
    public void DecimetreCellsAreNotThrownOffByBinaryRounding()
    {
        // 0.3 / 0.1 is 2.9999999999999996 in binary floating point.
        var grid = SquareGrid.Cover(0, 0, 0.3, 0.3, 0.1);

        Assert.Equal(3, grid.Columns);
        Assert.Equal(2, grid.CellIndexOf(0.3, 0.0));
    }

    [Fact]
    public void CellsAreOrderedRowByRowFromTheSouthWest()
    {
        var grid = SquareGrid.Cover(0, 0, 300, 200, 100);

        Assert.Equal([50.0, 150, 250, 50, 150, 250], grid.CentreX.ToArray());
        Assert.Equal([50.0, 50, 50, 150, 150, 150], grid.CentreY.ToArray());
        Assert.Equal(Enumerable.Range(0, 6), grid.Cells.Select(c => c.Row * grid.Columns + c.Column));
    }

    [Fact]
    public void StudyAreaKeepsExactlyTheCellsWhoseCentreIsInside()
    {
        // The circle fixture's cells: 200 m cells whose centres lie within 5 km of (595000, 2945000).
        var reference = HotspotFixture.Load("circle50-cell200-band450.csv");

        var grid = SquareGrid.Cover(590_000, 2_940_000, 600_000, 2_950_000, 200,
            (x, y) => Math.Pow(x - 595_000, 2) + Math.Pow(y - 2_945_000, 2) <= 5_000.0 * 5_000.0);

        Assert.Equal(reference.RowCount, grid.Cells.Length);
        Assert.Equal(reference["x"], grid.CentreX.ToArray());
        Assert.Equal(reference["y"], grid.CentreY.ToArray());
    }

    [Fact]
    public void CellsWithoutEventsAreKeptWithACountOfZero()
    {
        var grid = SquareGrid.Cover(0, 0, 300, 100, 100);
        double[] x = [250];
        double[] y = [50];

        Assert.Equal([0.0, 0, 1], grid.CountPoints(x, y).ToArray());
    }

    [Fact]
    public void PointsAreCountedInTheCellContainingThem()
    {
        var grid = SquareGrid.Cover(0, 0, 200, 200, 100);
        double[] x = [10, 20, 150, 199.9, 50];
        double[] y = [10, 90, 10, 199.9, 150];

        var counts = grid.CountPoints(x, y);

        Assert.Equal([2.0, 1, 1, 1], counts.ToArray());
    }

    [Fact]
    public void CellsIncludeTheirSouthAndWestEdges()
    {
        var grid = SquareGrid.Cover(0, 0, 200, 200, 100);

        Assert.Equal(1, grid.CellIndexOf(100, 0));
        Assert.Equal(2, grid.CellIndexOf(0, 100));
        Assert.Equal(3, grid.CellIndexOf(100, 100));
    }

    [Fact]
    public void PointsOnTheOuterNorthAndEastEdgesBelongToTheOutermostCells()
    {
        var grid = SquareGrid.Cover(0, 0, 200, 200, 100);

        Assert.Equal(3, grid.CellIndexOf(200, 200));
        Assert.Equal(1, grid.CellIndexOf(200, 0));
    }

    [Theory]
    [InlineData(-0.01, 50)]
    [InlineData(50, -0.01)]
    [InlineData(200.01, 50)]
    [InlineData(50, 200.01)]
    [InlineData(double.NaN, 50)]
    public void PointsOutsideTheGridHaveNoCell(double x, double y)
    {
        var grid = SquareGrid.Cover(0, 0, 200, 200, 100);

        Assert.Equal(-1, grid.CellIndexOf(x, y));
    }

    [Fact]
    public void PointsInCellsOutsideTheStudyAreaAreNotCounted()
    {
        var grid = SquareGrid.Cover(0, 0, 200, 100, 100, (x, _) => x < 100);
        double[] x = [50, 150, 150];
        double[] y = [50, 50, 60];

        Assert.Single(grid.Cells);
        Assert.Equal(-1, grid.CellIndexOf(150, 50));
        Assert.Equal([1.0], grid.CountPoints(x, y).ToArray());
    }

    [Fact]
    public void DegenerateBoxStillHasOneCell()
    {
        var grid = SquareGrid.Cover(590_123, 2_940_456, 590_123, 2_940_456, 100);

        Assert.Equal(new GridCell(0, 0, 590_150, 2_940_450), Assert.Single(grid.Cells));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-100.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void CellSizeMustBePositive(double cellSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SquareGrid.Cover(0, 0, 100, 100, cellSize));
    }

    [Fact]
    public void InvertedBoxIsRejected()
    {
        Assert.Throws<ArgumentException>(() => SquareGrid.Cover(100, 0, 0, 100, 10));
    }
}
