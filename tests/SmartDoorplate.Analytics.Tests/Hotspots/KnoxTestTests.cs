using System.Diagnostics;
using SmartDoorplate.Analytics.Hotspots;
using Xunit.Abstractions;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class KnoxTestTests(ITestOutputHelper output)
{
    private const int Permutations = 99;

    // Five events; pair distances and gaps by hand:
    //   A–B 100 m,  3 d      A–C 200 m, 10 d      B–C √(60² + 120²) ≈ 134 m, 7 d
    //   A–E   0 m, 30 d      B–E 100 m, 27 d      C–E 200 m, 20 d
    //   D is 940 m or more from everyone.
    private static readonly double[] HandX = [0, 60, 0, 1000, 0];
    private static readonly double[] HandY = [0, 80, 200, 0, 0];
    private static readonly double[] HandDays = [0, 3, 10, 1, 30];

    [Theory]
    [InlineData(100.0, 7.0, 1)] // A–B
    [InlineData(150.0, 10.0, 2)] // A–B, B–C
    [InlineData(200.0, 10.0, 3)] // A–B, B–C, A–C (200 m and 10 d exactly: bands are inclusive)
    [InlineData(200.0, 30.0, 6)] // every pair without D
    [InlineData(99.0, 30.0, 1)] // A–E only
    [InlineData(2000.0, 0.5, 0)]
    public void ObservedCloseClosePairsMatchAHandCount(double spaceBand, double timeBand, long expected)
    {
        var result = KnoxTest.Compute(HandX, HandY, HandDays, spaceBand, timeBand, Permutations, new Random(1));

        Assert.Equal(expected, result.Observed);
    }

    [Fact]
    public void KnoxTableCountsEachPairInItsOwnBands()
    {
        // Space bands [0], (0, 100], (100, 200] ("same location" first, as the Near Repeat
        // Calculator does); time bands [0, 7], (7, 14], (14, 30].
        var table = KnoxTest.ComputeTable(HandX, HandY, HandDays, [0, 100, 200], [7, 14, 30], Permutations, new Random(1));

        long[,] expected =
        {
            { 0, 0, 1 }, // A–E
            { 1, 0, 1 }, // A–B; B–E
            { 1, 1, 1 }, // B–C; A–C; C–E
        };
        for (var s = 0; s < 3; s++)
        {
            for (var t = 0; t < 3; t++)
            {
                Assert.True(expected[s, t] == table[s, t].Observed, $"space band {s}, time band {t}: {table[s, t].Observed}");
            }
        }
    }

    [Fact]
    public void GridIndexFindsTheSamePairsAsComparingAllPairs()
    {
        var (x, y, days) = UniformEvents(new Random(2024), 800, 3000, 120);
        double[] spaceEdges = [0, 50, 120, 250];
        double[] timeEdges = [3, 10, 30];

        var table = KnoxTest.ComputeTable(x, y, days, spaceEdges, timeEdges, 9, new Random(3));

        var bruteForce = new long[spaceEdges.Length, timeEdges.Length];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                var s = Array.FindIndex(spaceEdges, edge => Math.Sqrt(Square(x[i] - x[j]) + Square(y[i] - y[j])) <= edge);
                var t = Array.FindIndex(timeEdges, edge => Math.Abs(days[i] - days[j]) <= edge);
                if (s >= 0 && t >= 0)
                {
                    bruteForce[s, t]++;
                }
            }
        }

        Assert.True(table[3, 2].Observed > 0);
        for (var s = 0; s < spaceEdges.Length; s++)
        {
            for (var t = 0; t < timeEdges.Length; t++)
            {
                Assert.True(bruteForce[s, t] == table[s, t].Observed, $"space band {s}, time band {t}: {table[s, t].Observed} vs {bruteForce[s, t]}");
            }
        }
    }

    [Fact]
    public void ExpectedCountIsTheKnoxExpectationUnderShuffledTimes()
    {
        // Shuffling times makes each spatially close pair close in time with probability
        // N_t / N (time-close pairs over all pairs), so E = N_s N_t / N (Knox 1964). The
        // simulated mean must land within a few per cent of it.
        var (x, y, days) = UniformEvents(new Random(7), 600, 2000, 60);
        const double spaceBand = 150;
        const double timeBand = 5;
        long spaceClose = 0;
        long timeClose = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                spaceClose += Square(x[i] - x[j]) + Square(y[i] - y[j]) <= spaceBand * spaceBand ? 1 : 0;
                timeClose += Math.Abs(days[i] - days[j]) <= timeBand ? 1 : 0;
            }
        }

        var allPairs = x.Length * (x.Length - 1) / 2.0;
        var knoxExpectation = spaceClose * (timeClose / allPairs);

        var result = KnoxTest.Compute(x, y, days, spaceBand, timeBand, 999, new Random(8));

        Assert.True(knoxExpectation > 50, $"too few pairs for the check: {knoxExpectation}");
        Assert.True(Math.Abs(result.Expected - knoxExpectation) <= 0.03 * knoxExpectation,
            $"simulated mean {result.Expected}, Knox expectation {knoxExpectation}");
    }

    [Fact]
    public void PlantedNearRepeatsAreSignificant()
    {
        var (x, y, days) = WithNearRepeats(new Random(11));

        var result = KnoxTest.Compute(x, y, days, 100, 7, Permutations, new Random(12));

        output.WriteLine($"observed {result.Observed}, expected {result.Expected:F2}, ratio {result.Ratio:F2}, p {result.PValue:F3}");
        Assert.True(result.PValue <= 0.05, $"p = {result.PValue}");
        Assert.True(result.Ratio > 1, $"ratio = {result.Ratio}");
    }

    [Fact]
    public void ShufflingTheTimesRemovesTheNearRepeatSignal()
    {
        var (x, y, days) = WithNearRepeats(new Random(11));
        var shuffled = days.ToArray();
        new Random(13).Shuffle(shuffled);

        var result = KnoxTest.Compute(x, y, shuffled, 100, 7, Permutations, new Random(12));

        output.WriteLine($"observed {result.Observed}, expected {result.Expected:F2}, ratio {result.Ratio:F2}, p {result.PValue:F3}");
        Assert.True(result.PValue > 0.1, $"p = {result.PValue}");
        Assert.InRange(result.Ratio, 0.5, 1.5);
    }

    [Fact]
    public void SameSeedGivesTheSameTable()
    {
        var (x, y, days) = WithNearRepeats(new Random(11));

        var first = KnoxTest.ComputeTable(x, y, days, [50, 100, 200], [7, 14], Permutations, new Random(42));
        var second = KnoxTest.ComputeTable(x, y, days, [50, 100, 200], [7, 14], Permutations, new Random(42));

        Assert.Equal(first.Cells.ToArray(), second.Cells.ToArray());
    }

    [Fact]
    public void PValuesRunFromOneOverRPlusOneToOne()
    {
        // Two events at one place on one day: every shuffle keeps them 0 days apart, so each
        // simulation ties the observation and p = 1; the expected count is exactly 1.
        var tie = KnoxTest.Compute([0, 0], [0, 0], [5, 5], 10, 1, Permutations, new Random(1));
        Assert.Equal(new KnoxResult(1, 1.0, 1.0, 1.0), tie);

        // Planted pairs beat every permutation: p is the smallest possible.
        var (x, y, days) = WithNearRepeats(new Random(11));
        var planted = KnoxTest.Compute(x, y, days, 100, 7, Permutations, new Random(5));
        Assert.Equal(1.0 / (Permutations + 1), planted.PValue);
    }

    [Fact]
    public void TwentyThousandEventsComplete()
    {
        // Guiyang-like density: 20 000 events over 10 km × 10 km and two years. Timing is
        // printed, not asserted; the single-band result must agree with the table's cells.
        var (x, y, days) = UniformEvents(new Random(20_000), 20_000, 10_000, 730);

        var stopwatch = Stopwatch.StartNew();
        var single = KnoxTest.Compute(x, y, days, 200, 14, Permutations, new Random(1));
        var singleMs = stopwatch.ElapsedMilliseconds;
        stopwatch.Restart();
        var table = KnoxTest.ComputeTable(x, y, days, [0, 100, 200, 300, 400], [7, 14, 21, 28], Permutations, new Random(1));
        var tableMs = stopwatch.ElapsedMilliseconds;

        output.WriteLine($"Knox, 20 000 events, {Permutations} permutations, on {Environment.ProcessorCount} logical processors: "
            + $"single band {singleMs} ms, 5 × 4 table {tableMs} ms; observed {single.Observed}, ratio {single.Ratio:F3}, p {single.PValue:F2}");
        Assert.Equal(table[0, 0].Observed + table[0, 1].Observed + table[1, 0].Observed + table[1, 1].Observed
            + table[2, 0].Observed + table[2, 1].Observed, single.Observed);
        Assert.True(single.Observed > 0);
    }

    [Fact]
    public void InvalidInputIsRejected()
    {
        double[] two = [0, 1];
        var random = new Random(1);

        Assert.Throws<ArgumentException>(() => KnoxTest.Compute(two, two, [0.0], 10, 1, 9, random));
        Assert.Throws<ArgumentException>(() => KnoxTest.Compute([0.0], [0.0], [0.0], 10, 1, 9, random));
        Assert.Throws<ArgumentException>(() => KnoxTest.Compute(two, two, [0, double.NaN], 10, 1, 9, random));
        Assert.Throws<ArgumentException>(() => KnoxTest.Compute(two, two, two, -1, 1, 9, random));
        Assert.Throws<ArgumentException>(() => KnoxTest.ComputeTable(two, two, two, [100, 50], [1], 9, random));
        Assert.Throws<ArgumentException>(() => KnoxTest.ComputeTable(two, two, two, [100], [], 9, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => KnoxTest.Compute(two, two, two, 10, 1, 0, random));
    }

    // Uniform over a square and a period; whole days, as police records give them.
    private static (double[] X, double[] Y, double[] Days) UniformEvents(Random random, int count, double side, int period)
    {
        var x = new double[count];
        var y = new double[count];
        var days = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = random.NextDouble() * side;
            y[i] = random.NextDouble() * side;
            days[i] = random.Next(period);
        }

        return (x, y, days);
    }

    // 300 burglaries over 5 km × 5 km and a year, then for 60 of them a repeat within 50 m and
    // 1–5 days: the near-repeat pattern the test exists to find.
    private static (double[] X, double[] Y, double[] Days) WithNearRepeats(Random random)
    {
        var (x, y, days) = UniformEvents(random, 300, 5000, 365);
        var allX = x.ToList();
        var allY = y.ToList();
        var allDays = days.ToList();
        for (var i = 0; i < 60; i++)
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            var distance = random.NextDouble() * 50;
            allX.Add(x[i] + distance * Math.Cos(angle));
            allY.Add(y[i] + distance * Math.Sin(angle));
            allDays.Add(days[i] + random.Next(1, 6));
        }

        return (allX.ToArray(), allY.ToArray(), allDays.ToArray());
    }

    private static double Square(double value) => value * value;
}
