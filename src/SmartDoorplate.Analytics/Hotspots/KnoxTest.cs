using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <param name="Observed">Pairs of events in this space band and this time band.</param>
/// <param name="Expected">Mean of the same count over the permutations.</param>
/// <param name="Ratio">Knox ratio, observed / expected; NaN when no permutation produced such a pair.</param>
/// <param name="PValue">(1 + #{simulated ≥ observed}) / (R + 1): evidence of more near repeats than chance.</param>
public readonly record struct KnoxResult(long Observed, double Expected, double Ratio, double PValue);

/// <summary>
/// A Knox table: one <see cref="KnoxResult"/> per (space band, time band). Band k covers
/// (edge_{k−1}, edge_k], the first band [0, edge_0]; pairs beyond the last edge are not counted.
/// </summary>
public sealed record KnoxTable(
    ImmutableArray<double> SpaceBandEdges,
    ImmutableArray<double> TimeBandEdges,
    int Permutations,
    ImmutableArray<KnoxResult> Cells)
{
    public KnoxResult this[int spaceBand, int timeBand]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(spaceBand);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(spaceBand, SpaceBandEdges.Length);
            ArgumentOutOfRangeException.ThrowIfNegative(timeBand);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(timeBand, TimeBandEdges.Length);
            return Cells[spaceBand * TimeBandEdges.Length + timeBand];
        }
    }
}

/// <summary>
/// Knox test for space–time interaction (Knox 1964), the near-repeat test of crime analysis: do
/// events close in space also happen close in time more often than chance? The locations stay
/// put and the times are shuffled among them (a Monte Carlo permutation, as in Johnson et al.
/// 2007 and Ratcliffe's Near Repeat Calculator), so both the spatial and the temporal pattern of
/// the data are kept and only their interaction is tested.
/// <para>
/// Space bands are in metres, time bands in days; both are inclusive at their upper edge, so
/// with integer days the bands 7, 14 are "0–7" and "8–14" days as the calculator labels them,
/// and a first space edge of 0 gives its "same location" band. Pairs are found with a grid index
/// bucketed by the outermost space band, never by comparing all pairs, and the spatially close
/// pairs are kept, so each permutation only re-checks their time differences.
/// </para>
/// </summary>
public static class KnoxTest
{
    // Distances and time differences that should equal a band edge exactly can come out an ulp
    // above it (see GiStar); edges are inclusive.
    private const double BandTolerance = GiStar.BandTolerance;

    /// <summary>The classic single-band test: pairs with distance ≤ <paramref name="spaceBand"/> and |Δt| ≤ <paramref name="timeBand"/>.</summary>
    /// <param name="random">Seed it for reproducible results; it is only used on the calling thread.</param>
    public static KnoxResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> days,
        double spaceBand, double timeBand, int permutations, Random random) =>
        ComputeTable(x, y, days, [spaceBand], [timeBand], permutations, random)[0, 0];

    /// <param name="spaceBandEdges">Increasing upper edges in metres, the first ≥ 0.</param>
    /// <param name="timeBandEdges">Increasing upper edges in days, the first ≥ 0.</param>
    /// <param name="random">Seed it for reproducible results; it is only used on the calling thread.</param>
    public static KnoxTable ComputeTable(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> days,
        ReadOnlySpan<double> spaceBandEdges, ReadOnlySpan<double> timeBandEdges, int permutations, Random random)
    {
        if (x.Length != days.Length || y.Length != days.Length)
        {
            throw new ArgumentException($"x ({x.Length}), y ({y.Length}) and days ({days.Length}) must have the same length.");
        }

        if (days.Length < 2)
        {
            throw new ArgumentException("The Knox test needs at least two events.", nameof(days));
        }

        foreach (var day in days)
        {
            if (!double.IsFinite(day))
            {
                throw new ArgumentException("Event times must be finite numbers of days.", nameof(days));
            }
        }

        ValidateEdges(spaceBandEdges, nameof(spaceBandEdges));
        ValidateEdges(timeBandEdges, nameof(timeBandEdges));
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        ArgumentNullException.ThrowIfNull(random);

        // The same inclusive slack on the time edges: 0.4 − 0.3 days is 0.10000000000000003.
        var timeEdges = new double[timeBandEdges.Length];
        for (var b = 0; b < timeEdges.Length; b++)
        {
            timeEdges[b] = timeBandEdges[b] * (1 + BandTolerance);
        }
        var pairs = SpatiallyClosePairs(x, y, spaceBandEdges);
        var cellCount = spaceBandEdges.Length * timeEdges.Length;

        var sortedDays = new double[days.Length];
        for (var k = 0; k < sortedDays.Length; k++)
        {
            sortedDays[k] = days[pairs.OriginalIndex[k]];
        }

        var observed = new long[cellCount];
        CountCloseInTime(pairs, sortedDays, timeEdges, observed);

        // One seed per permutation, drawn up front on this thread, so permutations can run in
        // parallel and still give the same result for the same seed on any number of cores.
        var seeds = new int[permutations];
        for (var r = 0; r < permutations; r++)
        {
            seeds[r] = random.Next();
        }

        var simulatedTotals = new long[cellCount];
        var atLeastObserved = new long[cellCount];
        var gate = new object();
        Parallel.For(0, permutations,
            () => (Days: new double[sortedDays.Length], Counts: new long[cellCount], Totals: new long[cellCount], AtLeast: new long[cellCount]),
            (r, _, local) =>
            {
                sortedDays.CopyTo(local.Days, 0);
                Shuffle(local.Days, new Random(seeds[r]));
                Array.Clear(local.Counts);
                CountCloseInTime(pairs, local.Days, timeEdges, local.Counts);
                for (var cell = 0; cell < cellCount; cell++)
                {
                    local.Totals[cell] += local.Counts[cell];
                    if (local.Counts[cell] >= observed[cell])
                    {
                        local.AtLeast[cell]++;
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var cell = 0; cell < cellCount; cell++)
                    {
                        simulatedTotals[cell] += local.Totals[cell];
                        atLeastObserved[cell] += local.AtLeast[cell];
                    }
                }
            });

        var cells = new KnoxResult[cellCount];
        for (var cell = 0; cell < cellCount; cell++)
        {
            var expected = (double)simulatedTotals[cell] / permutations;
            cells[cell] = new KnoxResult(
                observed[cell],
                expected,
                expected > 0 ? observed[cell] / expected : double.NaN,
                (1.0 + atLeastObserved[cell]) / (permutations + 1.0));
        }

        return new KnoxTable(
            ImmutableArray.Create(spaceBandEdges),
            ImmutableArray.Create(timeBandEdges),
            permutations,
            ImmutableCollectionsMarshal.AsImmutableArray(cells));
    }

    // Every unordered pair within the outermost space band, as indices into the buckets' sorted
    // order with the pair's space band. Each pair is found once: from its lower sorted index.
    private static ClosePairs SpatiallyClosePairs(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> spaceBandEdges)
    {
        var edgesSquared = new double[spaceBandEdges.Length];
        for (var b = 0; b < edgesSquared.Length; b++)
        {
            var edge = spaceBandEdges[b] * (1 + BandTolerance);
            edgesSquared[b] = edge * edge;
        }

        var searchRadius = spaceBandEdges[^1] * (1 + BandTolerance);

        // Buckets may be wider than the radius, never narrower; a "same location" only table
        // (radius 0) still needs buckets of some width.
        var buckets = new PointBuckets(x, y, searchRadius > 0 ? searchRadius : 1.0);
        var first = new List<int>();
        var second = new List<int>();
        var band = new List<byte>();
        var px = buckets.X;
        var py = buckets.Y;
        for (var k = 0; k < buckets.Count; k++)
        {
            var window = buckets.WindowAround(px[k], py[k], searchRadius);
            for (var row = window.FirstRow; row <= window.LastRow; row++)
            {
                var (start, end) = buckets.Run(window, row);
                for (var j = Math.Max(start, k + 1); j < end; j++)
                {
                    var dx = px[j] - px[k];
                    var dy = py[j] - py[k];
                    var squared = dx * dx + dy * dy;
                    var b = BandOf(squared, edgesSquared);
                    if (b >= 0)
                    {
                        first.Add(k);
                        second.Add(j);
                        band.Add((byte)b);
                    }
                }
            }
        }

        return new ClosePairs(first.ToArray(), second.ToArray(), band.ToArray(), buckets.OriginalIndex);
    }

    private static void CountCloseInTime(ClosePairs pairs, double[] days, double[] timeEdges, long[] counts)
    {
        var timeBands = timeEdges.Length;
        var first = pairs.First;
        var second = pairs.Second;
        var spaceBand = pairs.SpaceBand;
        for (var p = 0; p < first.Length; p++)
        {
            var t = BandOf(Math.Abs(days[first[p]] - days[second[p]]), timeEdges);
            if (t >= 0)
            {
                counts[spaceBand[p] * timeBands + t]++;
            }
        }
    }

    // First band whose upper edge is at least the value, or −1 beyond the last. Tables have a
    // handful of bands, so a linear scan beats a binary search.
    private static int BandOf(double value, double[] edges)
    {
        for (var b = 0; b < edges.Length; b++)
        {
            if (value <= edges[b])
            {
                return b;
            }
        }

        return -1;
    }

    private static void Shuffle(double[] values, Random random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static void ValidateEdges(ReadOnlySpan<double> edges, string name)
    {
        if (edges.IsEmpty || edges.Length > byte.MaxValue)
        {
            throw new ArgumentException($"Give between 1 and {byte.MaxValue} band edges.", name);
        }

        for (var b = 0; b < edges.Length; b++)
        {
            if (!double.IsFinite(edges[b]) || edges[b] < 0 || (b > 0 && edges[b] <= edges[b - 1]))
            {
                throw new ArgumentException("Band edges must be finite, not negative and strictly increasing.", name);
            }
        }
    }

    private sealed record ClosePairs(int[] First, int[] Second, byte[] SpaceBand, int[] OriginalIndex);
}
