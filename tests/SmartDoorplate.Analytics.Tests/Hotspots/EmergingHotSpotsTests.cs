using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class EmergingHotSpotsTests
{
    // Ten slices, so "ninety percent" is nine. |z| ≥ 2 is significant at 90 % (|z| > 1.645);
    // |z| ≤ 0.6 is not. Non-significant values vary so that they do not tie.
    public static TheoryData<string, double[], EmergingPattern> HotSpotSeries => new()
    {
        { "hot only in the final slice", [0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.1, 0.4, 2.5], EmergingPattern.NewHotSpot },
        { "hot in the last three slices only", [0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, 2.0, 2.4, 2.8], EmergingPattern.ConsecutiveHotSpot },
        { "hot throughout and rising", [2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8], EmergingPattern.IntensifyingHotSpot },
        { "hot throughout without a trend", [2.9, 2.4, 3.1, 2.6, 2.8, 2.5, 3.0, 2.45, 2.95, 2.7], EmergingPattern.PersistentHotSpot },
        { "hot throughout and falling", [3.8, 3.6, 3.4, 3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0], EmergingPattern.DiminishingHotSpot },
        { "hot on and off, final slice hot, never cold", [2.5, 0.3, 0.1, 2.2, 0.4, -0.3, 2.8, 0.2, 0.5, 2.1], EmergingPattern.SporadicHotSpot },
        { "hot now, cold before", [-2.5, 0.3, 2.2, 0.1, -2.0, 0.4, 0.2, 0.5, 0.3, 2.6], EmergingPattern.OscillatingHotSpot },
        { "hot nine slices, not the final one", [2.5, 2.7, 2.6, 2.9, 2.4, 2.8, 2.55, 2.65, 2.75, 0.5], EmergingPattern.HistoricalHotSpot },
        { "hot twice, final slice not significant", [0.3, 2.5, 0.1, 0.5, 2.2, 0.4, -0.3, 0.2, 0.5, 0.1], EmergingPattern.NoPattern },
    };

    [Theory]
    [MemberData(nameof(HotSpotSeries))]
    public void HotSpotSeriesGetTheirArcGisClass(string description, double[] zScores, EmergingPattern expected)
    {
        Assert.True(expected == Classify(zScores), description);
    }

    [Theory]
    [MemberData(nameof(HotSpotSeries))]
    public void NegatedSeriesGetTheColdMirrorClass(string description, double[] zScores, EmergingPattern hotPattern)
    {
        // A cold spot intensifies as its z-scores fall, so negating a rising hot series gives an
        // intensifying cold spot, not a diminishing one.
        var expected = hotPattern switch
        {
            EmergingPattern.NewHotSpot => EmergingPattern.NewColdSpot,
            EmergingPattern.ConsecutiveHotSpot => EmergingPattern.ConsecutiveColdSpot,
            EmergingPattern.IntensifyingHotSpot => EmergingPattern.IntensifyingColdSpot,
            EmergingPattern.PersistentHotSpot => EmergingPattern.PersistentColdSpot,
            EmergingPattern.DiminishingHotSpot => EmergingPattern.DiminishingColdSpot,
            EmergingPattern.SporadicHotSpot => EmergingPattern.SporadicColdSpot,
            EmergingPattern.OscillatingHotSpot => EmergingPattern.OscillatingColdSpot,
            EmergingPattern.HistoricalHotSpot => EmergingPattern.HistoricalColdSpot,
            _ => EmergingPattern.NoPattern,
        };

        Assert.True(expected == Classify(zScores.Select(z => -z).ToArray()), description);
    }

    [Fact]
    public void IntensifyingHasASignificantRisingTrendAndPersistentHasNone()
    {
        var rising = EmergingHotSpots.TrendOfZScores([2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8]);
        var flat = EmergingHotSpots.TrendOfZScores([2.9, 2.4, 3.1, 2.6, 2.8, 2.5, 3.0, 2.45, 2.95, 2.7]);

        Assert.True(rising.PValue <= EmergingHotSpots.SignificanceLevel && rising.Z > 0);
        Assert.True(flat.PValue > EmergingHotSpots.SignificanceLevel);
    }

    [Fact]
    public void NinetyPercentIncludesExactlyNineOfTenSlices()
    {
        // One slice short of hot, then rising: nine of ten is enough for intensifying.
        Assert.Equal(EmergingPattern.IntensifyingHotSpot, Classify([0.5, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8]));

        // Eight of ten hot, final slice hot, no trend, gaps in between: sporadic, not persistent.
        Assert.Equal(EmergingPattern.SporadicHotSpot, Classify([2.9, 0.4, 3.1, 2.6, 2.8, 0.5, 3.0, 2.45, 2.95, 2.7]));
    }

    [Fact]
    public void HistoricalTakesPrecedenceOverPersistentWhenTheFinalSliceIsNotHot()
    {
        // Nine of ten hot with no significant trend: persistent's wording matches too, but the
        // final slice is not hot, which is what historical is for.
        double[] z = [2.5, 2.7, 2.6, 2.9, 2.4, 2.8, 2.55, 2.65, 2.75, 0.5];
        Assert.True(EmergingHotSpots.TrendOfZScores(z).PValue > EmergingHotSpots.SignificanceLevel);

        Assert.Equal(EmergingPattern.HistoricalHotSpot, Classify(z));
    }

    [Fact]
    public void ColdHistoryMakesALocationOscillatingRatherThanNew()
    {
        // Hot only in the final slice (new's wording) after a cold slice (oscillating's).
        Assert.Equal(EmergingPattern.OscillatingHotSpot, Classify([-2.5, 0.3, 0.1, 0.5, 0.2, -0.4, 0.6, 0.1, 0.4, 2.6]));
    }

    [Fact]
    public void ColdHistoryMakesALocationOscillatingRatherThanConsecutive()
    {
        Assert.Equal(EmergingPattern.OscillatingHotSpot, Classify([-2.5, 0.3, 0.1, 0.5, 0.2, -0.4, 0.6, 2.1, 2.4, 2.6]));
    }

    [Fact]
    public void ASignificantFinalSliceDecidesTheSideBeforeHistoricalPatterns()
    {
        // Hot for nine slices, then cold: historical hot's wording matches ("most recent not
        // hot, ≥ 90 % hot"), but the map should show what the location is now.
        double[] z = [2.5, 2.7, 2.6, 2.9, 2.4, 2.8, 2.55, 2.65, 2.75, -2.5];

        Assert.Equal(EmergingPattern.OscillatingColdSpot, Classify(z));
    }

    [Fact]
    public void ASignificantTrendWithoutNinetyPercentHotIsNotIntensifying()
    {
        // Rising all the way (a significant Mann–Kendall trend), but hot only in the last three slices.
        double[] z = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 2.0, 2.4, 2.8];
        Assert.True(EmergingHotSpots.TrendOfZScores(z).PValue <= EmergingHotSpots.SignificanceLevel);

        Assert.Equal(EmergingPattern.ConsecutiveHotSpot, Classify(z));
    }

    [Fact]
    public void WithFewerThanTenSlicesNinetyPercentMeansEverySlice()
    {
        // Four of five is 80 %: not persistent, and no historical class is possible.
        Assert.Equal(EmergingPattern.ConsecutiveHotSpot, Classify([0.5, 2.5, 2.7, 2.6, 2.9]));
        Assert.Equal(EmergingPattern.NoPattern, Classify([2.5, 2.7, 2.6, 2.9, 0.5]));
        Assert.Equal(EmergingPattern.PersistentHotSpot, Classify([2.6, 2.5, 2.7, 2.9, 2.55]));
    }

    [Fact]
    public void SlicesWithUndefinedGiStarAreLeftOutOfTheTrend()
    {
        double[] withGaps = [double.NaN, 2.0, double.NaN, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4];

        var trend = EmergingHotSpots.TrendOfZScores(withGaps);

        Assert.Equal(8, trend.Count);
        Assert.Equal(MannKendall.Test([2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4]), trend);
    }

    [Fact]
    public void FalseDiscoveryRateCorrectionCanDemoteANewHotSpot()
    {
        // Twenty locations, ten slices of noise; location 0 reaches z = 1.8 (p ≈ 0.072) in the
        // final slice only. Alone that is a 90 % hot spot; among twenty tests it is not a discovery.
        const int locations = 20;
        const int slices = 10;
        var z = new double[slices][];
        for (var s = 0; s < slices; s++)
        {
            z[s] = Enumerable.Range(0, locations).Select(i => 0.01 * (i + s)).ToArray();
        }

        z[slices - 1][0] = 1.8;
        var p = z.Select(slice => slice.Select(NormalDistribution.TwoSidedPValue).ToArray()).ToArray();

        var uncorrected = EmergingHotSpots.Classify(z, p, correctForFalseDiscoveryRate: false);
        var corrected = EmergingHotSpots.Classify(z, p, correctForFalseDiscoveryRate: true);

        Assert.Equal(EmergingPattern.NewHotSpot, uncorrected.Patterns[0]);
        Assert.Equal(EmergingPattern.NoPattern, corrected.Patterns[0]);
        Assert.All(uncorrected.Patterns.Skip(1), pattern => Assert.Equal(EmergingPattern.NoPattern, pattern));
    }

    [Fact]
    public void CountsWithABlockThatAppearsInTheLastThreeSlicesMakeAConsecutiveHotSpot()
    {
        // 10 × 10 cells of 100 m, band 150 m (the 3 × 3 around each cell), twelve slices of a
        // 1/2 checkerboard, whose Gi* z-scores stay within ±0.5; in the last three slices a 3 × 3
        // block around cell (5, 5) gets 15 more events each.
        var grid = SquareGrid.Cover(0, 0, 1000, 1000, 100);
        var centre = 5 * 10 + 5;
        var block = new[] { -11, -10, -9, -1, 0, 1, 9, 10, 11 }.Select(offset => centre + offset).ToHashSet();
        var slices = new List<IReadOnlyList<double>>();
        for (var s = 0; s < 12; s++)
        {
            var counts = grid.Cells.Select(cell => (cell.Column + cell.Row) % 2 == 0 ? 1.0 : 2.0).ToArray();
            if (s >= 9)
            {
                foreach (var cell in block)
                {
                    counts[cell] += 15;
                }
            }

            slices.Add(counts);
        }

        var result = EmergingHotSpots.Compute(grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), slices, 150, correctForFalseDiscoveryRate: true);

        Assert.Equal(EmergingPattern.ConsecutiveHotSpot, result.Patterns[centre]);
        Assert.Equal(EmergingPattern.NoPattern, result.Patterns[0]);
        Assert.True(result.TrendZScores[centre] > 0);
        Assert.Equal(grid.Cells.Length, result.TrendPValues.Length);
    }

    [Fact]
    public void SlicesOfDifferentSizesAreRejected()
    {
        double[][] z = [[1.0, 2.0], [1.0]];
        double[][] p = [[0.3, 0.05], [0.3]];

        Assert.Throws<ArgumentException>(() => EmergingHotSpots.Classify(z, p, correctForFalseDiscoveryRate: false));
        Assert.Throws<ArgumentException>(() => EmergingHotSpots.Classify(Array.Empty<double[]>(), Array.Empty<double[]>(), false));
        Assert.Throws<ArgumentException>(() => EmergingHotSpots.ClassifyLocation(ReadOnlySpan<int>.Empty, MannKendall.Test([1.0])));
    }

    private static EmergingPattern Classify(double[] zScores) =>
        EmergingHotSpots.ClassifyLocation(zScores, zScores.Select(NormalDistribution.TwoSidedPValue).ToArray());
}
