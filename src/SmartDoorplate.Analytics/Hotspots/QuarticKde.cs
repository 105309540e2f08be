using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>
/// Kernel density with the quartic (biweight) kernel K(d) = (1 − d²/h²)² for d ≤ h, else 0, the
/// kernel of ArcGIS Kernel Density, QGIS Heatmap, SpatialKDE and hence R sfhotspot::hotspot_kde.
/// The density scales the kernel sum by 3/(πh²) so that each event integrates to one; the raw
/// <see cref="KernelSums"/> are what SpatialKDE (and sfhotspot) report.
/// </summary>
public static class QuarticKde
{
    // Each density cell sums over a handful of events, so cells are batched more coarsely than
    // would suit heavier per-item work.
    private const int PartitionSize = 1024;

    public static double Kernel(double distance, double bandwidth)
    {
        var u = distance * distance / (bandwidth * bandwidth);
        return u <= 1 ? (1 - u) * (1 - u) : 0.0;
    }

    /// <summary>3/(πh²): ∫ K over the plane is πh²/3.</summary>
    public static double NormalisingFactor(double bandwidth) => 3.0 / (Math.PI * bandwidth * bandwidth);

    /// <summary>Σ weight × K(distance) at each evaluation location (e.g. grid cell centres).</summary>
    /// <param name="eventWeights">One per event, e.g. people registered at an address; empty for all ones.</param>
    public static ImmutableArray<double> KernelSums(ReadOnlySpan<double> eventX, ReadOnlySpan<double> eventY,
        ReadOnlySpan<double> eventWeights, ReadOnlySpan<double> atX, ReadOnlySpan<double> atY, double bandwidth)
    {
        if (!double.IsFinite(bandwidth) || bandwidth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be a positive number of metres.");
        }

        if (!eventWeights.IsEmpty && eventWeights.Length != eventX.Length)
        {
            throw new ArgumentException("Give one weight per event, or none.", nameof(eventWeights));
        }

        if (atX.Length != atY.Length)
        {
            throw new ArgumentException("atX and atY must have the same length.");
        }

        var sums = new double[atX.Length];
        if (eventX.IsEmpty)
        {
            return ImmutableCollectionsMarshal.AsImmutableArray(sums);
        }

        var buckets = new PointBuckets(eventX, eventY, bandwidth);
        var weights = new double[buckets.Count];
        for (var k = 0; k < weights.Length; k++)
        {
            weights[k] = eventWeights.IsEmpty ? 1.0 : eventWeights[buckets.OriginalIndex[k]];
        }

        var queryX = atX.ToArray();
        var queryY = atY.ToArray();
        var inverseBandwidthSquared = 1.0 / (bandwidth * bandwidth);
        Parallel.ForEach(Partitioner.Create(0, queryX.Length, PartitionSize), range =>
        {
            var px = buckets.X;
            var py = buckets.Y;
            for (var q = range.Item1; q < range.Item2; q++)
            {
                var (qx, qy) = (queryX[q], queryY[q]);
                var window = buckets.WindowAround(qx, qy, bandwidth);
                var sum = 0.0;
                for (var row = window.FirstRow; row <= window.LastRow; row++)
                {
                    var (start, end) = buckets.Run(window, row);
                    for (var j = start; j < end; j++)
                    {
                        var dx = px[j] - qx;
                        var dy = py[j] - qy;
                        var u = (dx * dx + dy * dy) * inverseBandwidthSquared;
                        if (u <= 1)
                        {
                            sum += weights[j] * (1 - u) * (1 - u);
                        }
                    }
                }

                sums[q] = sum;
            }
        });

        return ImmutableCollectionsMarshal.AsImmutableArray(sums);
    }

    /// <summary>Events per square metre: <see cref="KernelSums"/> × 3/(πh²).</summary>
    public static ImmutableArray<double> Densities(ReadOnlySpan<double> eventX, ReadOnlySpan<double> eventY,
        ReadOnlySpan<double> eventWeights, ReadOnlySpan<double> atX, ReadOnlySpan<double> atY, double bandwidth)
    {
        var sums = KernelSums(eventX, eventY, eventWeights, atX, atY, bandwidth);
        var factor = NormalisingFactor(bandwidth);
        var densities = new double[sums.Length];
        for (var i = 0; i < densities.Length; i++)
        {
            densities[i] = sums[i] * factor;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(densities);
    }

    /// <summary>
    /// The bandwidth sfhotspot::hotspot_kde picks when none is given (sfhotspot R/bandwidth_nrd.R,
    /// as read in the package's GitHub source). Its code is <c>mean(bandwidth_nrd(x), bandwidth_nrd(y))</c>,
    /// documented as the mean over both axes, but R's <c>mean(a, b)</c> passes b as the
    /// <c>trim</c> argument and returns a: the rule effectively uses the easting alone. We
    /// reproduce that so our default maps match the analysts' R output.
    /// </summary>
    public static double SfhotspotDefaultBandwidth(ReadOnlySpan<double> eventX) => BandwidthNrd(eventX);

    /// <summary>
    /// MASS::bandwidth.nrd (Venables &amp; Ripley, Modern Applied Statistics with S): 4 × 1.06 ×
    /// min(sd, IQR/1.34) × n^(−1/5), with R's default (type 7) quartiles and the n − 1 sd.
    /// That is Silverman's rule of thumb times 4, MASS's convention of quoting a normal
    /// kernel's bandwidth as four standard deviations.
    /// </summary>
    public static double BandwidthNrd(ReadOnlySpan<double> values)
    {
        if (values.Length < 2)
        {
            throw new ArgumentException("A bandwidth rule needs at least two values.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var interquartileRange = QuantileType7(sorted, 0.75) - QuantileType7(sorted, 0.25);

        var mean = 0.0;
        foreach (var value in sorted)
        {
            mean += value;
        }

        mean /= sorted.Length;
        var sumOfSquares = 0.0;
        foreach (var value in sorted)
        {
            sumOfSquares += (value - mean) * (value - mean);
        }

        var standardDeviation = Math.Sqrt(sumOfSquares / (sorted.Length - 1));
        return 4 * 1.06 * Math.Min(standardDeviation, interquartileRange / 1.34) * Math.Pow(sorted.Length, -0.2);
    }

    // R's quantile(type = 7): linear interpolation between order statistics at 1 + (n − 1) p,
    // written as R writes it, (1 − h) x_lo + h x_hi.
    private static double QuantileType7(double[] sorted, double probability)
    {
        var index = (sorted.Length - 1) * probability;
        var lo = (int)Math.Floor(index);
        var hi = (int)Math.Ceiling(index);
        var h = index - lo;
        return h == 0 ? sorted[lo] : (1 - h) * sorted[lo] + h * sorted[hi];
    }
}
