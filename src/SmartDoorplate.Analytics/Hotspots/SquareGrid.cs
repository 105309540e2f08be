using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

public readonly record struct GridCell(int Column, int Row, double CentreX, double CentreY);

/// <summary>
/// Square cells in projected metres whose edges lie on multiples of the cell size, so grids built
/// on different days or for different datasets line up cell for cell. Only cells whose centre is
/// in the study area are kept, but those are all kept, including cells without any event: the
/// zero counts are what Gi* compares hot cells against.
/// </summary>
public sealed class SquareGrid
{
    // Tolerance, in cells, for coordinates that lie on a cell edge but come out a hair beyond it
    // in floating point (e.g. 0.3 / 0.1 = 2.9999999999999996, 0.7 / 0.1 = 6.999999999999999).
    private const double EdgeToleranceInCells = 1e-9;

    private const int NotInStudyArea = -1;

    private readonly int[] cellIndexByPosition;

    private SquareGrid(double originX, double originY, double cellSize, int columns, int rows,
        int[] cellIndexByPosition, ImmutableArray<GridCell> cells)
    {
        OriginX = originX;
        OriginY = originY;
        CellSize = cellSize;
        Columns = columns;
        Rows = rows;
        this.cellIndexByPosition = cellIndexByPosition;
        Cells = cells;
        CentreX = ImmutableArray.CreateRange(cells, cell => cell.CentreX);
        CentreY = ImmutableArray.CreateRange(cells, cell => cell.CentreY);
    }

    /// <summary>South-west corner of the full rectangle of cells.</summary>
    public double OriginX { get; }

    public double OriginY { get; }

    public double CellSize { get; }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Cells in the study area, row by row from the south, west to east within a row.</summary>
    public ImmutableArray<GridCell> Cells { get; }

    /// <summary>Centre coordinates in the order of <see cref="Cells"/>, ready for Gi* and KDE.</summary>
    public ImmutableArray<double> CentreX { get; }

    public ImmutableArray<double> CentreY { get; }

    public double CellArea => CellSize * CellSize;

    /// <param name="isInStudyArea">Tested on each cell centre; null keeps every cell of the rectangle.</param>
    public static SquareGrid Cover(double minX, double minY, double maxX, double maxY, double cellSize,
        Func<double, double, bool>? isInStudyArea = null)
    {
        if (!double.IsFinite(cellSize) || cellSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "Cell size must be a positive number of metres.");
        }

        if (!double.IsFinite(minX) || !double.IsFinite(minY) || !double.IsFinite(maxX) || !double.IsFinite(maxY)
            || minX > maxX || minY > maxY)
        {
            throw new ArgumentException($"Not a bounding box: ({minX}, {minY}) – ({maxX}, {maxY}).");
        }

        var originX = Math.Floor(minX / cellSize) * cellSize;
        var originY = Math.Floor(minY / cellSize) * cellSize;
        var columns = CellsToReach(maxX, originX, cellSize);
        var rows = CellsToReach(maxY, originY, cellSize);
        if ((long)columns * rows > Array.MaxLength)
        {
            throw new ArgumentException($"{columns} × {rows} cells is too many; use a larger cell size.");
        }

        var cellIndexByPosition = new int[columns * rows];
        var cells = ImmutableArray.CreateBuilder<GridCell>();
        for (var row = 0; row < rows; row++)
        {
            var centreY = originY + (row + 0.5) * cellSize;
            for (var column = 0; column < columns; column++)
            {
                var centreX = originX + (column + 0.5) * cellSize;
                if (isInStudyArea is null || isInStudyArea(centreX, centreY))
                {
                    cellIndexByPosition[row * columns + column] = cells.Count;
                    cells.Add(new GridCell(column, row, centreX, centreY));
                }
                else
                {
                    cellIndexByPosition[row * columns + column] = NotInStudyArea;
                }
            }
        }

        return new SquareGrid(originX, originY, cellSize, columns, rows, cellIndexByPosition, cells.ToImmutable());
    }

    /// <summary>
    /// Index into <see cref="Cells"/> of the cell containing the point, or −1 when the point is
    /// outside the grid or its cell is outside the study area. Cells include their south and west
    /// edges; points on the grid's outer north or east edge belong to the outermost cell.
    /// </summary>
    public int CellIndexOf(double x, double y)
    {
        var column = PositionAlong(x, OriginX, Columns);
        var row = PositionAlong(y, OriginY, Rows);
        return column < 0 || row < 0 ? NotInStudyArea : cellIndexByPosition[row * Columns + column];
    }

    /// <summary>Events per cell, in the order of <see cref="Cells"/>; events outside the study area are ignored.</summary>
    public ImmutableArray<double> CountPoints(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length.");
        }

        // Counts are doubles because every statistic downstream (Gi*, PAI) takes real values.
        var counts = new double[Cells.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var cell = CellIndexOf(x[i], y[i]);
            if (cell >= 0)
            {
                counts[cell]++;
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(counts);
    }

    private static int CellsToReach(double max, double origin, double cellSize) =>
        Math.Max(1, (int)Math.Ceiling((max - origin) / cellSize - EdgeToleranceInCells));

    private int PositionAlong(double coordinate, double origin, int count)
    {
        var offset = (coordinate - origin) / CellSize;
        if (!(offset >= -EdgeToleranceInCells) || offset > count + EdgeToleranceInCells)
        {
            return -1;
        }

        return Math.Clamp((int)offset, 0, count - 1);
    }
}
