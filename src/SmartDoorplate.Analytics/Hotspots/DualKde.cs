using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SmartDoorplate.Analytics.Hotspots;

/// <summary>Per evaluation location (e.g. grid cell centre), in input order.</summary>
/// <param name="CaseDensity">Cases per square metre.</param>
/// <param name="ResidentDensity">Residents per square metre.</param>
/// <param name="CasesPerResident">CaseDensity / ResidentDensity; NaN where suppressed.</param>
public sealed record RiskSurface(
    ImmutableArray<double> CaseDensity,
    ImmutableArray<double> ResidentDensity,
    ImmutableArray<double> CasesPerResident);

/// <summary>
/// Dual kernel density: a risk surface that divides the density of cases by the density of the
/// population at risk, both by <see cref="QuarticKde"/> with the same bandwidth. A plain case
/// density mostly maps where people live; the ratio shows where a resident is more likely to be
/// affected. Both densities are per square metre, so the ratio is in cases per resident (over
/// whatever period the cases cover): 0.02 is 2 cases per 100 residents.
/// <para>
/// Where few residents are within the bandwidth the ratio divides by almost nothing and a single
/// case makes a spike (or, with none, it would be ∞), so locations whose resident density is
/// below a minimum are suppressed as NaN, as are locations with no resident density at all.
/// </para>
/// </summary>
public static class DualKde
{
    /// <param name="caseWeights">One per case, or empty for all ones.</param>
    /// <param name="residentWeights">One per address, e.g. people registered there, or empty for all ones.</param>
    /// <param name="minimumResidentDensity">
    /// Residents per square metre below which the ratio is suppressed; 0 suppresses only locations
    /// with no residents within the bandwidth. 1e-4 per m² is 100 residents per km².
    /// </param>
    public static RiskSurface Compute(
        ReadOnlySpan<double> caseX, ReadOnlySpan<double> caseY, ReadOnlySpan<double> caseWeights,
        ReadOnlySpan<double> residentX, ReadOnlySpan<double> residentY, ReadOnlySpan<double> residentWeights,
        ReadOnlySpan<double> atX, ReadOnlySpan<double> atY, double bandwidth, double minimumResidentDensity)
    {
        if (!double.IsFinite(minimumResidentDensity) || minimumResidentDensity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumResidentDensity), minimumResidentDensity,
                "The minimum resident density must be a finite number of residents per square metre, 0 or more.");
        }

        var cases = QuarticKde.Densities(caseX, caseY, caseWeights, atX, atY, bandwidth);
        var residents = QuarticKde.Densities(residentX, residentY, residentWeights, atX, atY, bandwidth);

        var ratio = new double[cases.Length];
        for (var i = 0; i < ratio.Length; i++)
        {
            var population = residents[i];
            ratio[i] = population > 0 && population >= minimumResidentDensity ? cases[i] / population : double.NaN;
        }

        return new RiskSurface(cases, residents, ImmutableCollectionsMarshal.AsImmutableArray(ratio));
    }
}
