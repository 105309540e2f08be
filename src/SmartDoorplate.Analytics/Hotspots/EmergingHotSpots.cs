using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>The pattern names of ArcGIS Emerging Hot Spot Analysis.</summary>
public enum EmergingPattern
{
    NoPattern,
    NewHotSpot,
    ConsecutiveHotSpot,
    IntensifyingHotSpot,
    PersistentHotSpot,
    DiminishingHotSpot,
    SporadicHotSpot,
    OscillatingHotSpot,
    HistoricalHotSpot,
    NewColdSpot,
    ConsecutiveColdSpot,
    IntensifyingColdSpot,
    PersistentColdSpot,
    DiminishingColdSpot,
    SporadicColdSpot,
    OscillatingColdSpot,
    HistoricalColdSpot,
}

/// <summary>Per-location results in input order.</summary>
/// <param name="TrendZScores">Mann–Kendall Z of the location's Gi* z-scores over time (ArcGIS's TREND_Z).</param>
/// <param name="TrendPValues">Its two-sided p-value (TREND_P).</param>
public sealed record EmergingHotSpotResult(
    ImmutableArray<EmergingPattern> Patterns,
    ImmutableArray<double> TrendZScores,
    ImmutableArray<double> TrendPValues);

/// <summary>
/// ArcGIS "Emerging Hot Spot Analysis" classes from a Gi* hot spot analysis of each time slice
/// and the Mann–Kendall trend of each location's Gi* z-scores. The rules quoted below are the
/// English wording of "How Emerging Hot Spot Analysis works" in the ArcGIS Pro 2.8
/// documentation; where the current page (read in translation) is stricter, the comment says so
/// and the code follows the current page. A slice is hot (cold) at a location when its Gi* bin is
/// positive (negative), i.e. significant at 90 % (p ≤ 0.10, <see cref="ConfidenceBins"/>'
/// lowest level), and a trend is significant at the same level.
/// <para>
/// Differences from ArcGIS, on purpose: Gi* is computed per slice with spatial neighbours only
/// (ArcGIS can also count bins of earlier slices as neighbours), and the optional false discovery
/// rate correction is applied per slice, so that every slice's bins are exactly those of that
/// period's hot spot map.
/// </para>
/// <para>
/// ArcGIS's definitions overlap; where more than one matches, the precedence here is: a
/// significant final slice decides the side (hot or cold) and the final-slice classes are tried
/// in the order intensifying/diminishing/persistent (≥ 90 %), oscillating, new, consecutive,
/// sporadic; historical applies only when the final slice is not significant. With fewer than
/// ten slices "90 %" means every slice, so historical classes need at least ten.
/// </para>
/// </summary>
public static class EmergingHotSpots
{
    public const double SignificanceLevel = 0.10;

    private const int PartitionSize = 1024;

    /// <summary>Gi* of every slice's counts, then <see cref="Classify(IReadOnlyList{GiStarResult}, bool)"/>.</summary>
    /// <param name="countsBySlice">Oldest slice first; each slice has one count per location, in the order of x and y.</param>
    public static EmergingHotSpotResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        IReadOnlyList<IReadOnlyList<double>> countsBySlice, double distanceBand, bool correctForFalseDiscoveryRate)
    {
        ArgumentNullException.ThrowIfNull(countsBySlice);
        var slices = new GiStarResult[countsBySlice.Count];
        for (var s = 0; s < slices.Length; s++)
        {
            var counts = countsBySlice[s] as double[] ?? countsBySlice[s].ToArray();
            slices[s] = GiStar.Compute(x, y, counts, distanceBand);
        }

        return Classify(slices, correctForFalseDiscoveryRate);
    }

    /// <param name="slices">Gi* of each time slice, oldest first, all over the same locations.</param>
    public static EmergingHotSpotResult Classify(IReadOnlyList<GiStarResult> slices, bool correctForFalseDiscoveryRate)
    {
        ArgumentNullException.ThrowIfNull(slices);
        return Classify(
            slices.Select(slice => (IReadOnlyList<double>)slice.ZScores.ToArray()).ToArray(),
            slices.Select(slice => (IReadOnlyList<double>)slice.PValues.ToArray()).ToArray(),
            correctForFalseDiscoveryRate);
    }

    /// <summary>From precomputed Gi* z-scores and p-values, [slice][location], oldest slice first.</summary>
    public static EmergingHotSpotResult Classify(IReadOnlyList<IReadOnlyList<double>> zScoresBySlice,
        IReadOnlyList<IReadOnlyList<double>> pValuesBySlice, bool correctForFalseDiscoveryRate)
    {
        ArgumentNullException.ThrowIfNull(zScoresBySlice);
        ArgumentNullException.ThrowIfNull(pValuesBySlice);
        var sliceCount = zScoresBySlice.Count;
        if (sliceCount == 0 || pValuesBySlice.Count != sliceCount)
        {
            throw new ArgumentException("Give z-scores and p-values for the same, non-zero number of time slices.");
        }

        var locationCount = zScoresBySlice[0].Count;
        var zBySlice = new double[sliceCount][];
        var binsBySlice = new int[sliceCount][];
        for (var s = 0; s < sliceCount; s++)
        {
            var z = zScoresBySlice[s].ToArray();
            var p = pValuesBySlice[s].ToArray();
            if (z.Length != locationCount || p.Length != locationCount)
            {
                throw new ArgumentException($"Time slice {s} does not have one z-score and p-value for each of the {locationCount} locations.");
            }

            zBySlice[s] = z;
            binsBySlice[s] = ConfidenceBins.Classify(z, p, correctForFalseDiscoveryRate).ToArray();
        }

        var patterns = new EmergingPattern[locationCount];
        var trendZ = new double[locationCount];
        var trendP = new double[locationCount];
        Parallel.ForEach(Partitioner.Create(0, locationCount, PartitionSize), range =>
        {
            var bins = new int[sliceCount];
            var z = new double[sliceCount];
            for (var location = range.Item1; location < range.Item2; location++)
            {
                for (var s = 0; s < sliceCount; s++)
                {
                    bins[s] = binsBySlice[s][location];
                    z[s] = zBySlice[s][location];
                }

                var trend = TrendOfZScores(z);
                patterns[location] = ClassifyLocation(bins, trend);
                trendZ[location] = trend.Z;
                trendP[location] = trend.PValue;
            }
        });

        return new EmergingHotSpotResult(
            ImmutableCollectionsMarshal.AsImmutableArray(patterns),
            ImmutableCollectionsMarshal.AsImmutableArray(trendZ),
            ImmutableCollectionsMarshal.AsImmutableArray(trendP));
    }

    /// <summary>One location's series of Gi* z-scores and p-values, oldest first, without false discovery rate correction.</summary>
    public static EmergingPattern ClassifyLocation(ReadOnlySpan<double> zScores, ReadOnlySpan<double> pValues)
    {
        var bins = ConfidenceBins.Classify(zScores, pValues, correctForFalseDiscoveryRate: false);
        return ClassifyLocation(bins.AsSpan(), TrendOfZScores(zScores));
    }

    /// <summary>
    /// Mann–Kendall trend of a location's Gi* z-scores. Slices where Gi* is undefined (NaN, e.g.
    /// a period without any event) are left out as missing observations; only their order matters.
    /// </summary>
    public static MannKendallResult TrendOfZScores(ReadOnlySpan<double> zScores)
    {
        var defined = new List<double>(zScores.Length);
        foreach (var z in zScores)
        {
            if (!double.IsNaN(z))
            {
                defined.Add(z);
            }
        }

        return MannKendall.Test(CollectionsMarshal.AsSpan(defined));
    }

    /// <param name="bins">The location's Gi_Bin per slice, oldest first (+ hot, − cold, 0 not significant).</param>
    /// <param name="trend">Mann–Kendall trend of the location's z-scores.</param>
    public static EmergingPattern ClassifyLocation(ReadOnlySpan<int> bins, MannKendallResult trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        if (bins.IsEmpty)
        {
            throw new ArgumentException("A location needs at least one time slice.", nameof(bins));
        }

        var final = Math.Sign(bins[^1]);
        if (final > 0)
        {
            return FinalSlicePattern(bins, Side.Hot, trend);
        }

        if (final < 0)
        {
            return FinalSlicePattern(bins, Side.Cold, trend);
        }

        // "Historical Hot Spot: The most recent time period is not hot, but at least ninety
        // percent of the time-step intervals have been statistically significant hot spots."
        // (and the cold mirror). At most one side can reach 90 %.
        if (AtLeastNinetyPercent(CountSide(bins, +1), bins.Length))
        {
            return EmergingPattern.HistoricalHotSpot;
        }

        return AtLeastNinetyPercent(CountSide(bins, -1), bins.Length) ? EmergingPattern.HistoricalColdSpot : EmergingPattern.NoPattern;
    }

    // The rules are quoted from the hot spot side; the cold spot rules are the same with hot and
    // cold swapped, except that a cold spot intensifies as its z-scores fall.
    private static EmergingPattern FinalSlicePattern(ReadOnlySpan<int> bins, Side side, MannKendallResult trend)
    {
        var n = bins.Length;
        var same = CountSide(bins, side.Sign);
        var opposite = CountSide(bins, -side.Sign);

        if (AtLeastNinetyPercent(same, n))
        {
            // "Persistent Hot Spot: A location that has been a statistically significant hot spot
            // for ninety percent of the time-step intervals with no discernible trend indicating an
            // increase or decrease in the intensity of clustering over time."
            if (!(trend.PValue <= SignificanceLevel))
            {
                return side.Persistent;
            }

            // "Intensifying Hot Spot: A location that has been a statistically significant hot spot
            // for ninety percent of the time-step intervals, including the final time step. In
            // addition, the intensity of clustering of high counts in each time step is increasing
            // overall and that increase is statistically significant."
            // "Diminishing Hot Spot: [...] including the final time step. In addition, the
            // intensity of clustering in each time step is decreasing overall and that decrease is
            // statistically significant."
            return Math.Sign(trend.Z) == side.Sign ? side.Intensifying : side.Diminishing;
        }

        // "Oscillating Hot Spot: A statistically significant hot spot for the final time-step
        // interval that has a history of also being a statistically significant cold spot during a
        // prior time step. Less than ninety percent of the time-step intervals have been
        // statistically significant hot spots."
        // Tried before new and consecutive, whose wording does not mention cold slices: like
        // sfdep (whose new and consecutive classes require no other significant slice), a cold
        // history makes a location oscillating rather than new.
        if (opposite > 0)
        {
            return side.Oscillating;
        }

        // "New Hot Spot: A location that is a statistically significant hot spot for the final
        // time step and has never been a statistically significant hot spot before."
        if (same == 1)
        {
            return side.New;
        }

        // "Consecutive Hot Spot: A location with a single uninterrupted run of statistically
        // significant hot spot bins in the final time-step intervals. The location has never been
        // a statistically significant hot spot prior to the final hot spot run and less than
        // ninety percent of all bins are statistically significant hot spots." The current page
        // adds that the run has at least two bins; a run of one is a new hot spot above.
        var finalRun = 0;
        for (var i = n - 1; i >= 0 && Math.Sign(bins[i]) == side.Sign; i--)
        {
            finalRun++;
        }

        // "Sporadic Hot Spot: A location that is an on-again then off-again hot spot. Less than
        // ninety percent of the time-step intervals have been statistically significant hot spots
        // and none of the time-step intervals have been statistically significant cold spots."
        // The current page also requires the final slice to be hot, as this branch does.
        return finalRun == same ? side.Consecutive : side.Sporadic;
    }

    private static int CountSide(ReadOnlySpan<int> bins, int sign)
    {
        var count = 0;
        foreach (var bin in bins)
        {
            if (Math.Sign(bin) == sign)
            {
                count++;
            }
        }

        return count;
    }

    // In integers: 0.9 × n in floating point is 8.999999999999998 for n = 10 on some paths.
    private static bool AtLeastNinetyPercent(int count, int n) => 10L * count >= 9L * n;

    private sealed record Side(int Sign, EmergingPattern New, EmergingPattern Consecutive, EmergingPattern Intensifying,
        EmergingPattern Persistent, EmergingPattern Diminishing, EmergingPattern Sporadic, EmergingPattern Oscillating)
    {
        public static readonly Side Hot = new(+1, EmergingPattern.NewHotSpot, EmergingPattern.ConsecutiveHotSpot,
            EmergingPattern.IntensifyingHotSpot, EmergingPattern.PersistentHotSpot, EmergingPattern.DiminishingHotSpot,
            EmergingPattern.SporadicHotSpot, EmergingPattern.OscillatingHotSpot);

        public static readonly Side Cold = new(-1, EmergingPattern.NewColdSpot, EmergingPattern.ConsecutiveColdSpot,
            EmergingPattern.IntensifyingColdSpot, EmergingPattern.PersistentColdSpot, EmergingPattern.DiminishingColdSpot,
            EmergingPattern.SporadicColdSpot, EmergingPattern.OscillatingColdSpot);
    }
}
