using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>Per-location Gi* results in input order.</summary>
/// <param name="NeighbourCounts">Locations within the band, the location itself included (W_i).</param>
public sealed record GiStarResult(
    ImmutableArray<double> ZScores,
    ImmutableArray<double> PValues,
    ImmutableArray<int> NeighbourCounts);

/// <summary>
/// Getis–Ord Gi* with binary distance-band weights, the location itself included, computed
/// exactly as R <c>spdep::localG</c> does with <c>include.self()</c> weights from
/// <c>dnearneigh(0, band)</c> in "B" style (Getis &amp; Ord 1992; Ord &amp; Getis 1995):
/// <code>
/// z_i = (Σ_j w_ij x_j − W_i x̄) / √( s² (n S1_i − W_i²) / (n − 1) )
/// W_i = Σ_j w_ij,  S1_i = Σ_j w_ij² (= W_i for binary weights),  x̄ = Σx / n,  s² = Σ(x − x̄)² / n
/// </code>
/// The two-sided p-value is 2Φ(−|z|). A location whose band covers every location, or input
/// with no variation at all, has no defined z: the result is NaN there, as in R.
/// </summary>
public static class GiStar
{
    // Relative slack on the band. Distances between cell centres that should equal the band
    // exactly (a diagonal, or cell sizes like 0.1 m that binary floating point cannot represent)
    // can come out an ulp above it; spdep's "d ≤ band" is meant inclusively. 1e-9 of a
    // few-hundred-metre band is under a micrometre, far below any real gap between cells.
    internal const double BandTolerance = 1e-9;

    // Big enough to amortise scheduling, small enough to balance load over a few cores.
    internal const int PartitionSize = 4096;

    public static GiStarResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> values, double distanceBand)
    {
        ValidateInput(x, y, values, distanceBand);

        var n = values.Length;
        var mean = Mean(values);
        var populationVariance = PopulationVariance(values, mean);

        var searchRadius = distanceBand * (1 + BandTolerance);
        var buckets = new PointBuckets(x, y, searchRadius);
        var sortedValues = InBucketOrder(values, buckets);

        var zScores = new double[n];
        var pValues = new double[n];
        var neighbourCounts = new int[n];
        Parallel.ForEach(Partitioner.Create(0, n, PartitionSize), range =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                var (weightSum, lagSum) = BandSum(buckets, sortedValues, k, searchRadius);

                // Binary weights: S1_i = Σ w² = W_i.
                var variance = populationVariance * (n * weightSum - weightSum * weightSum) / (n - 1);
                var z = (lagSum - weightSum * mean) / Math.Sqrt(variance);

                var original = buckets.OriginalIndex[k];
                zScores[original] = z;
                pValues[original] = NormalDistribution.TwoSidedPValue(z);
                neighbourCounts[original] = weightSum;
            }
        });

        return new GiStarResult(
            ImmutableCollectionsMarshal.AsImmutableArray(zScores),
            ImmutableCollectionsMarshal.AsImmutableArray(pValues),
            ImmutableCollectionsMarshal.AsImmutableArray(neighbourCounts));
    }

    /// <summary>Number of locations within the band of sorted point k (itself included) and the sum of their values.</summary>
    internal static (int Count, double Sum) BandSum(PointBuckets buckets, double[] sortedValues, int k, double searchRadius)
    {
        var px = buckets.X;
        var py = buckets.Y;
        var (qx, qy) = (px[k], py[k]);
        var radiusSquared = searchRadius * searchRadius;
        var window = buckets.WindowAround(qx, qy, searchRadius);

        var count = 0;
        var sum = 0.0;
        for (var row = window.FirstRow; row <= window.LastRow; row++)
        {
            var (start, end) = buckets.Run(window, row);
            for (var j = start; j < end; j++)
            {
                var dx = px[j] - qx;
                var dy = py[j] - qy;
                if (dx * dx + dy * dy <= radiusSquared)
                {
                    count++;
                    sum += sortedValues[j];
                }
            }
        }

        return (count, sum);
    }

    internal static double[] InBucketOrder(ReadOnlySpan<double> values, PointBuckets buckets)
    {
        var sorted = new double[values.Length];
        for (var k = 0; k < sorted.Length; k++)
        {
            sorted[k] = values[buckets.OriginalIndex[k]];
        }

        return sorted;
    }

    internal static void ValidateInput(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> values, double distanceBand)
    {
        if (x.Length != values.Length || y.Length != values.Length)
        {
            throw new ArgumentException($"x ({x.Length}), y ({y.Length}) and values ({values.Length}) must have the same length.");
        }

        // With a single location the variance denominator n − 1 is zero.
        if (values.Length < 2)
        {
            throw new ArgumentException("Gi* needs at least two locations.", nameof(values));
        }

        if (!double.IsFinite(distanceBand) || distanceBand <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceBand), distanceBand, "The distance band must be a positive number of metres.");
        }

        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Values must be finite numbers.", nameof(values));
            }
        }
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    // Two passes (deviations from the mean) rather than Σx² − n x̄², which cancels catastrophically.
    private static double PopulationVariance(ReadOnlySpan<double> values, double mean)
    {
        var sumOfSquares = 0.0;
        foreach (var value in values)
        {
            var deviation = value - mean;
            sumOfSquares += deviation * deviation;
        }

        return sumOfSquares / values.Length;
    }
}
