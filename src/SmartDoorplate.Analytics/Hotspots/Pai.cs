using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>
/// Chainey, Tompson &amp; Uhlig's Predictive Accuracy Index (Security Journal 21, 2008):
/// PAI = (c_t / C) / (a_t / A), the share of later events captured by the top-ranked cells of a
/// forecast divided by the share of the area those cells cover. 1 is no better than chance.
/// </summary>
public static class Pai
{
    /// <summary>PAI of the <paramref name="topCellCount"/> cells with the highest prediction, all cells of equal area.</summary>
    public static double ForTopCells(ReadOnlySpan<double> predicted, ReadOnlySpan<double> observed, int topCellCount) =>
        Curve(predicted, observed, [])[CheckTopCellCount(topCellCount, predicted.Length) - 1];

    public static double ForTopCells(ReadOnlySpan<double> predicted, ReadOnlySpan<double> observed,
        ReadOnlySpan<double> cellAreas, int topCellCount) =>
        Curve(predicted, observed, cellAreas)[CheckTopCellCount(topCellCount, predicted.Length) - 1];

    /// <summary>
    /// Element k − 1 is the PAI of the top k cells. Cells are ranked by prediction, highest first;
    /// tied predictions put the cell with fewer observed events first, so a forecast that cannot
    /// tell cells apart gets no credit for a lucky order. NaN when no events were observed.
    /// </summary>
    /// <param name="cellAreas">One per cell; empty when all cells have the same area.</param>
    public static ImmutableArray<double> Curve(ReadOnlySpan<double> predicted, ReadOnlySpan<double> observed, ReadOnlySpan<double> cellAreas)
    {
        var n = predicted.Length;
        if (observed.Length != n || (!cellAreas.IsEmpty && cellAreas.Length != n))
        {
            throw new ArgumentException("predicted, observed and cellAreas (if given) need one value per cell.");
        }

        foreach (var area in cellAreas)
        {
            if (!(area > 0) || !double.IsFinite(area))
            {
                throw new ArgumentException("Cell areas must be positive.", nameof(cellAreas));
            }
        }

        var predictedCopy = predicted.ToArray();
        var observedCopy = observed.ToArray();
        var ranking = new int[n];
        for (var i = 0; i < n; i++)
        {
            ranking[i] = i;
        }

        Array.Sort(ranking, (a, b) =>
        {
            var byPrediction = predictedCopy[b].CompareTo(predictedCopy[a]);
            if (byPrediction != 0)
            {
                return byPrediction;
            }

            var byObserved = observedCopy[a].CompareTo(observedCopy[b]);
            return byObserved != 0 ? byObserved : a.CompareTo(b);
        });

        var totalEvents = 0.0;
        var totalArea = 0.0;
        for (var i = 0; i < n; i++)
        {
            totalEvents += observed[i];
            totalArea += cellAreas.IsEmpty ? 1.0 : cellAreas[i];
        }

        var curve = new double[n];
        var capturedEvents = 0.0;
        var coveredArea = 0.0;
        for (var k = 0; k < n; k++)
        {
            var cell = ranking[k];
            capturedEvents += observed[cell];
            coveredArea += cellAreas.IsEmpty ? 1.0 : cellAreas[cell];
            curve[k] = totalEvents > 0 ? capturedEvents / totalEvents / (coveredArea / totalArea) : double.NaN;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(curve);
    }

    private static int CheckTopCellCount(int topCellCount, int cellCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topCellCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(topCellCount, cellCount);
        return topCellCount;
    }
}
