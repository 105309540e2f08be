using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class GiStarPermutationTests
{
    private const int Permutations = 999;

    [Fact]
    public void SameSeedGivesSameResult()
    {
        var reference = HotspotFixture.Load("grid30-cell100-band150.csv");

        var first = Run(reference, new Random(42));
        var second = Run(reference, new Random(42));

        Assert.Equal(first.HotSpotPValues.ToArray(), second.HotSpotPValues.ToArray());
        Assert.Equal(first.ColdSpotPValues.ToArray(), second.ColdSpotPValues.ToArray());
    }

    [Fact]
    public void PseudoPValuesLieBetweenOneOverRPlusOneAndOne()
    {
        var reference = HotspotFixture.Load("grid30-cell100-band150.csv");

        var result = Run(reference, new Random(1));

        Assert.Equal(Permutations, result.Permutations);
        Assert.All(result.HotSpotPValues, p => Assert.InRange(p, 1.0 / (Permutations + 1), 1.0));
        Assert.All(result.ColdSpotPValues, p => Assert.InRange(p, 1.0 / (Permutations + 1), 1.0));
    }

    [Fact]
    public void StrongAnalyticHotSpotsAreAlsoPermutationHotSpots()
    {
        var reference = HotspotFixture.Load("grid30-cell100-band150.csv");

        var result = Run(reference, new Random(7));

        var strongHotSpots = Enumerable.Range(0, reference.RowCount).Where(i => reference["z"][i] > 4).ToArray();
        Assert.NotEmpty(strongHotSpots);
        Assert.All(strongHotSpots, i => Assert.True(result.HotSpotPValues[i] <= 0.01,
            $"cell {i}: z = {reference["z"][i]}, pseudo p = {result.HotSpotPValues[i]}"));
    }

    [Fact]
    public void EveryLocationIsEvidenceForAtMostOneTail()
    {
        // Each simulation is ≥ or ≤ the observation (ties both), so the two pseudo p-values of a
        // location always sum to more than one: no cell can be both hot and cold.
        var reference = HotspotFixture.Load("grid40-cell100-band250.csv");

        var result = GiStarPermutation.Compute(reference["x"], reference["y"], reference["value"], 250, 99, new Random(3));

        for (var i = 0; i < reference.RowCount; i++)
        {
            Assert.True(result.HotSpotPValues[i] + result.ColdSpotPValues[i] > 1);
        }
    }

    [Fact]
    public void PlantedHotBlockBeatsEveryPermutation()
    {
        // 5 × 5 ones with a 3 × 3 block of tens in the middle: a shuffle only matches the centre's
        // observed sum by drawing all eight other tens, a 1 in C(24, 8) = 735 471 chance.
        var grid = SquareGrid.Cover(0, 0, 500, 500, 100);
        var values = Enumerable.Repeat(1.0, grid.Cells.Length).ToArray();
        foreach (var cell in (int[])[6, 7, 8, 11, 12, 13, 16, 17, 18])
        {
            values[cell] = 10;
        }

        var result = GiStarPermutation.Compute(grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), values, 150, Permutations, new Random(5));

        Assert.Equal(1.0 / (Permutations + 1), result.HotSpotPValues[12]);
        Assert.Equal(1.0, result.ColdSpotPValues[12]);
    }

    [Fact]
    public void TiesCountTowardsBothTails()
    {
        double[] x = [0, 100, 200, 300, 400];
        double[] y = [0, 0, 0, 0, 0];
        double[] values = [0.1, 0.1, 0.1, 0.1, 0.1];

        var result = GiStarPermutation.Compute(x, y, values, 100, Permutations, new Random(11));

        Assert.All(result.HotSpotPValues, p => Assert.Equal(1.0, p));
        Assert.All(result.ColdSpotPValues, p => Assert.Equal(1.0, p));
    }

    [Fact]
    public void AtLeastOnePermutationIsRequired()
    {
        double[] two = [0, 1];

        Assert.Throws<ArgumentOutOfRangeException>(() => GiStarPermutation.Compute(two, two, two, 10, 0, new Random(1)));
    }

    private static GiStarPermutationResult Run(HotspotFixture reference, Random random) =>
        GiStarPermutation.Compute(reference["x"], reference["y"], reference["value"], 150, Permutations, random);
}
