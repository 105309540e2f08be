using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>Per-cell change between two periods, in the order of the input cells.</summary>
/// <param name="Difference">After − before.</param>
/// <param name="PercentChange">See <see cref="PeriodChange.Percent"/> for cells with nothing before.</param>
/// <param name="DifferenceGiStar">Gi* of the differences: where the change itself clusters.</param>
public sealed record PeriodChangeResult(
    ImmutableArray<double> Before,
    ImmutableArray<double> After,
    ImmutableArray<double> Difference,
    ImmutableArray<double> PercentChange,
    GiStarResult DifferenceGiStar);

/// <summary>
/// Before/after comparison of event counts per cell, e.g. the quarter before and after doorplates
/// went up in a neighbourhood. A percentage alone exaggerates small cells (1 → 3 is +200 %), so
/// the absolute difference is kept, and Gi* of the difference says whether rises or falls
/// cluster in space more than chance would put them together.
/// </summary>
public static class PeriodChange
{
    /// <param name="distanceBand">Gi* band in metres, as for <see cref="GiStar.Compute"/>.</param>
    public static PeriodChangeResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> before, ReadOnlySpan<double> after, double distanceBand)
    {
        if (before.Length != after.Length)
        {
            throw new ArgumentException($"before ({before.Length}) and after ({after.Length}) need one count per cell.");
        }

        ValidateCounts(before, nameof(before));
        ValidateCounts(after, nameof(after));

        var difference = new double[before.Length];
        var percent = new double[before.Length];
        for (var i = 0; i < difference.Length; i++)
        {
            difference[i] = after[i] - before[i];
            percent[i] = Percent(before[i], after[i]);
        }

        // Differences can be negative; the Gi* z-score is a standardised statistic and stays
        // valid for them (ArcGIS Hot Spot Analysis accepts negative fields for the same reason).
        var giStar = GiStar.Compute(x, y, difference, distanceBand);

        return new PeriodChangeResult(
            ImmutableArray.Create(before),
            ImmutableArray.Create(after),
            ImmutableCollectionsMarshal.AsImmutableArray(difference),
            ImmutableCollectionsMarshal.AsImmutableArray(percent),
            giStar);
    }

    /// <summary>
    /// 100 × (after − before) / before. With nothing before the ratio has no baseline: a cell
    /// that stayed at zero has not changed, so 0 → 0 is 0 %, but 0 → k is NaN (undefined), not
    /// +∞, because an infinite percentage would top every ranking and break JSON; the difference
    /// (+k) is what carries that cell's change.
    /// </summary>
    public static double Percent(double before, double after) =>
        before != 0 ? 100.0 * (after - before) / before
        : after == 0 ? 0.0
        : double.NaN;

    private static void ValidateCounts(ReadOnlySpan<double> counts, string name)
    {
        foreach (var count in counts)
        {
            if (!double.IsFinite(count) || count < 0)
            {
                throw new ArgumentException("Counts must be finite and not negative.", name);
            }
        }
    }
}
