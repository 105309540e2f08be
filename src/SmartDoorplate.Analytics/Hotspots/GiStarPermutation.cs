using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>Pseudo p-values per location in input order, one per tail.</summary>
/// <param name="HotSpotPValues">(1 + #{simulated ≥ observed}) / (R + 1): evidence the location is hotter than chance.</param>
/// <param name="ColdSpotPValues">(1 + #{simulated ≤ observed}) / (R + 1): evidence it is colder than chance.</param>
public sealed record GiStarPermutationResult(
    int Permutations,
    ImmutableArray<double> HotSpotPValues,
    ImmutableArray<double> ColdSpotPValues);

/// <summary>
/// Conditional permutation test for Gi* (Anselin 1995, the scheme behind spdep::localG_perm and
/// PySAL esda.G_Local): each location keeps its own value, and the values of its W_i − 1 band
/// neighbours are replaced by a random draw, without replacement, from all other locations.
/// The random streams differ from R's and Python's, so pseudo p-values agree only statistically.
/// Event counts are skewed and zero-heavy, so the normal approximation behind Gi*'s analytic
/// p-value can be poor; this test makes no distributional assumption.
/// </summary>
public static class GiStarPermutation
{
    // Simulated and observed sums add the same numbers in different orders, so "equal" sums can
    // differ in the last bits; ties must count towards both tails.
    private const double TieTolerance = 1e-12;

    // Each location costs R × W_i additions, hundreds of times a Gi* location, so smaller
    // partitions than GiStar's balance better.
    private const int PartitionSize = 256;

    /// <param name="random">Seed it for reproducible maps; it is only used on the calling thread.</param>
    public static GiStarPermutationResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> values,
        double distanceBand, int permutations, Random random)
    {
        GiStar.ValidateInput(x, y, values, distanceBand);
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        ArgumentNullException.ThrowIfNull(random);

        var n = values.Length;
        var searchRadius = distanceBand * (1 + GiStar.BandTolerance);
        var buckets = new PointBuckets(x, y, searchRadius);
        var sortedValues = GiStar.InBucketOrder(values, buckets);
        var inputValues = values.ToArray();

        var neighbourCounts = new int[n];
        var observedSums = new double[n];
        var maxOtherNeighbours = 0;
        for (var k = 0; k < n; k++)
        {
            var (count, sum) = GiStar.BandSum(buckets, sortedValues, k, searchRadius);
            neighbourCounts[k] = count;
            observedSums[k] = sum;
            maxOtherNeighbours = Math.Max(maxOtherNeighbours, count - 1);
        }

        // Like esda, one set of random draws is shared by all locations: permutation r uses the
        // first W_i − 1 entries of draw r. This costs R × max(W_i) random numbers instead of
        // R × Σ W_i, and each location's test is still an exact conditional permutation.
        var draws = DrawWithoutReplacement(n - 1, maxOtherNeighbours, permutations, random);

        var hot = new double[n];
        var cold = new double[n];
        Parallel.ForEach(Partitioner.Create(0, n, PartitionSize), range =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                var self = buckets.OriginalIndex[k];
                var others = neighbourCounts[k] - 1;
                var observed = observedSums[k];
                var tolerance = TieTolerance * Math.Max(1, Math.Abs(observed));
                var atLeast = 0;
                var atMost = 0;
                for (var r = 0; r < permutations; r++)
                {
                    var simulated = inputValues[self];
                    var draw = draws.AsSpan(r * maxOtherNeighbours, others);
                    foreach (var other in draw)
                    {
                        // Draws index the n − 1 locations other than this one.
                        simulated += inputValues[other < self ? other : other + 1];
                    }

                    if (simulated >= observed - tolerance)
                    {
                        atLeast++;
                    }

                    if (simulated <= observed + tolerance)
                    {
                        atMost++;
                    }
                }

                hot[self] = (1.0 + atLeast) / (permutations + 1.0);
                cold[self] = (1.0 + atMost) / (permutations + 1.0);
            }
        });

        return new GiStarPermutationResult(
            permutations,
            ImmutableCollectionsMarshal.AsImmutableArray(hot),
            ImmutableCollectionsMarshal.AsImmutableArray(cold));
    }

    // `draws` rows of `length` distinct indices from [0, population), each row uniformly random.
    // Partial Fisher–Yates on a running permutation: shuffling from any arrangement of the
    // population gives a uniform sample, so the array never needs resetting between rows.
    private static int[] DrawWithoutReplacement(int population, int length, int draws, Random random)
    {
        var pool = new int[population];
        for (var i = 0; i < population; i++)
        {
            pool[i] = i;
        }

        var result = new int[draws * length];
        for (var r = 0; r < draws; r++)
        {
            for (var m = 0; m < length; m++)
            {
                var pick = random.Next(m, population);
                (pool[m], pool[pick]) = (pool[pick], pool[m]);
                result[r * length + m] = pool[m];
            }
        }

        return result;
    }
}
