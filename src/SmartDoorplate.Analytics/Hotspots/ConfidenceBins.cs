using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>
/// Hot/cold spot classes as ArcGIS's Gi_Bin field, which the analysts' existing maps use:
/// +3/+2/+1 hot spot with 99/95/90 % confidence, −3/−2/−1 cold spot likewise, 0 not significant.
/// </summary>
public static class ConfidenceBins
{
    private static readonly (double Alpha, int Bin)[] Levels = [(0.01, 3), (0.05, 2), (0.10, 1)];

    /// <param name="correctForFalseDiscoveryRate">
    /// Replace each level's α by its Benjamini–Hochberg critical p-value over all locations, as
    /// ArcGIS's "Apply False Discovery Rate Correction" does: with thousands of cells tested at
    /// once, uncorrected 90 % bins would flag hundreds of cells by chance alone.
    /// </param>
    public static ImmutableArray<int> Classify(ReadOnlySpan<double> zScores, ReadOnlySpan<double> pValues, bool correctForFalseDiscoveryRate)
    {
        if (zScores.Length != pValues.Length)
        {
            throw new ArgumentException("Every z-score needs its p-value.");
        }

        var thresholds = new double[Levels.Length];
        for (var level = 0; level < Levels.Length; level++)
        {
            thresholds[level] = correctForFalseDiscoveryRate
                ? BenjaminiHochbergThreshold(pValues, Levels[level].Alpha)
                : Levels[level].Alpha;
        }

        var bins = new int[zScores.Length];
        for (var i = 0; i < bins.Length; i++)
        {
            // NaN p-values (undefined z) fail every comparison and stay in bin 0.
            for (var level = 0; level < Levels.Length; level++)
            {
                if (pValues[i] <= thresholds[level])
                {
                    bins[i] = Math.Sign(zScores[i]) * Levels[level].Bin;
                    break;
                }
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(bins);
    }

    /// <summary>
    /// Largest p_(k) with p_(k) ≤ k α / m (Benjamini &amp; Hochberg 1995, step-up); every p at or
    /// below it is a discovery. −1 when there is none. NaN p-values are not counted as tests.
    /// </summary>
    public static double BenjaminiHochbergThreshold(ReadOnlySpan<double> pValues, double alpha)
    {
        var sorted = new List<double>(pValues.Length);
        foreach (var p in pValues)
        {
            if (!double.IsNaN(p))
            {
                sorted.Add(p);
            }
        }

        sorted.Sort();
        var m = sorted.Count;
        for (var k = m; k >= 1; k--)
        {
            if (sorted[k - 1] <= k * alpha / m)
            {
                return sorted[k - 1];
            }
        }

        return -1;
    }
}
