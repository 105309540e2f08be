using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

public class DualKdeTests
{
    private const double Bandwidth = 250;

    [Fact]
    public void CasesTwiceTheResidentsAtTheSamePointsGiveRatioTwoWhereverResidentsArePresent()
    {
        // Each address has two cases per resident, so both kernel sums are the same sum with a
        // factor of two: the ratio is 2 wherever the resident density is positive, and
        // suppressed where no address is within the bandwidth.
        var random = new Random(17);
        var residentX = Enumerable.Range(0, 40).Select(_ => 1000 + random.NextDouble() * 1000).ToArray();
        var residentY = Enumerable.Range(0, 40).Select(_ => 1000 + random.NextDouble() * 1000).ToArray();
        var caseX = residentX.Concat(residentX).ToArray();
        var caseY = residentY.Concat(residentY).ToArray();
        var grid = SquareGrid.Cover(0, 0, 3000, 3000, 100);

        var surface = DualKde.Compute(caseX, caseY, [], residentX, residentY, [],
            grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), Bandwidth, minimumResidentDensity: 0);

        var covered = 0;
        for (var i = 0; i < grid.Cells.Length; i++)
        {
            if (surface.ResidentDensity[i] > 0)
            {
                covered++;
                Assert.Equal(2.0, surface.CasesPerResident[i], 1e-12);
            }
            else
            {
                Assert.True(double.IsNaN(surface.CasesPerResident[i]), $"cell {i}: {surface.CasesPerResident[i]}");
            }
        }

        Assert.InRange(covered, 1, grid.Cells.Length - 1);
    }

    [Fact]
    public void RatioIsCasesPerResidentNotPerSquareMetre()
    {
        // One building with 50 registered residents and one case: 1/50 = 0.02 cases per resident
        // anywhere within the bandwidth, while the densities themselves are per square metre:
        // 50 × 3/(πh²) residents per m² at the building.
        var surface = DualKde.Compute([0], [0], [], [0], [0], [50], [0, 100, 200], [0, 0, 0], Bandwidth, minimumResidentDensity: 0);

        Assert.Equal(50 * 3 / (Math.PI * Bandwidth * Bandwidth), surface.ResidentDensity[0], 1e-15);
        Assert.All(surface.CasesPerResident, ratio => Assert.Equal(0.02, ratio, 1e-15));
    }

    [Fact]
    public void LocationsBelowTheMinimumResidentDensityAreSuppressed()
    {
        // One resident and one case at the origin, h = 100 m: the density falls as
        // (1 − d²/h²)² × 3/(πh²). With the minimum set to its value at 60 m, locations at 0 and
        // 50 m keep ratio 1 and the one at 90 m is suppressed.
        const double h = 100;
        var minimum = QuarticKde.Kernel(60, h) * QuarticKde.NormalisingFactor(h);

        var surface = DualKde.Compute([0], [0], [], [0], [0], [], [0, 50, 90], [0, 0, 0], h, minimum);

        Assert.Equal(1.0, surface.CasesPerResident[0], 1e-15);
        Assert.Equal(1.0, surface.CasesPerResident[1], 1e-15);
        Assert.True(double.IsNaN(surface.CasesPerResident[2]));
        Assert.True(surface.CaseDensity[2] > 0, "the case density itself is not suppressed");
    }

    [Fact]
    public void CasesWithNoResidentsNearbyGiveNaNNotInfinity()
    {
        var surface = DualKde.Compute([5000], [5000], [], [0], [0], [], [5000], [5000], Bandwidth, minimumResidentDensity: 0);

        Assert.True(surface.CaseDensity[0] > 0);
        Assert.Equal(0.0, surface.ResidentDensity[0]);
        Assert.True(double.IsNaN(surface.CasesPerResident[0]));
    }

    [Fact]
    public void InvalidMinimumIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DualKde.Compute([0], [0], [], [0], [0], [], [0], [0], Bandwidth, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DualKde.Compute([0], [0], [], [0], [0], [], [0], [0], Bandwidth, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => DualKde.Compute([0], [0], [], [0], [0], [], [0], [0], 0, 0));
    }
}
