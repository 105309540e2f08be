using SmartDoorplate.Analytics.Statistics;

namespace SmartDoorplate.Analytics.Hotspots;

/// <param name="Count">Observations in the series (n).</param>
/// <param name="S">Σ_{i&lt;j} sgn(x_j − x_i): positive when later values tend to be larger.</param>
/// <param name="VarianceOfS">Var(S) under no trend, corrected for tied values.</param>
/// <param name="Z">Continuity-corrected normal score; 0 when S = 0.</param>
/// <param name="PValue">Two-sided, 2Φ(−|Z|).</param>
/// <param name="Tau">Kendall's τ = S / D as trend::mk.test reports it; NaN when every value is tied.</param>
public sealed record MannKendallResult(int Count, long S, double VarianceOfS, double Z, double PValue, double Tau);

/// <summary>
/// Mann–Kendall test for a monotonic trend (Mann 1945; Kendall 1975), as described by Gilbert
/// (1987, "Statistical Methods for Environmental Pollution Monitoring", ch. 16) and documented
/// for R trend::mk.test with its default continuity correction:
/// <code>
/// S      = Σ_{i&lt;j} sgn(x_j − x_i)
/// Var(S) = [n(n − 1)(2n + 5) − Σ_g t_g(t_g − 1)(2t_g + 5)] / 18   (t_g: size of tie group g)
/// Z      = sgn(S)(|S| − 1) / √Var(S),   p = 2Φ(−|Z|)
/// τ      = S / √{[n(n − 1)/2 − Σ_g t_g(t_g − 1)/2] · n(n − 1)/2}
/// </code>
/// The p-value is the normal approximation at every n, as in trend::mk.test. Gilbert tabulates
/// exact probabilities for n ≤ 10; for emerging hot spots, which only ask whether p clears
/// 0.10 on a dozen or more time slices, the approximation is what matters.
/// </summary>
public static class MannKendall
{
    /// <param name="series">In time order, without gaps: drop missing values first (as trend::mk.test requires).</param>
    public static MannKendallResult Test(ReadOnlySpan<double> series)
    {
        foreach (var value in series)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("The series must be finite numbers; remove missing values first.", nameof(series));
            }
        }

        var n = series.Length;
        long s = 0;
        for (var i = 0; i < n - 1; i++)
        {
            var earlier = series[i];
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(series[j] - earlier);
            }
        }

        var sorted = series.ToArray();
        Array.Sort(sorted);
        var tieVarianceTerm = 0.0;
        var tiedPairs = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && sorted[end] == sorted[start])
            {
                end++;
            }

            double t = end - start;
            tieVarianceTerm += t * (t - 1) * (2 * t + 5);
            tiedPairs += t * (t - 1) / 2;
            start = end;
        }

        // Doubles: n(n − 1)(2n + 5) overflows a long near n = 1.6 million and loses nothing as a double below 2^53.
        double count = n;
        var variance = (count * (count - 1) * (2 * count + 5) - tieVarianceTerm) / 18;
        var pairs = count * (count - 1) / 2;
        var denominator = Math.Sqrt((pairs - tiedPairs) * pairs);

        // S = 0 (which includes a constant or one-value series, whose variance is 0) is no
        // evidence of a trend at all: Z = 0 and p = 1 instead of R's 0/0.
        var z = s == 0 ? 0.0 : (s - Math.Sign(s)) / Math.Sqrt(variance);
        var p = s == 0 ? 1.0 : NormalDistribution.TwoSidedPValue(z);
        var tau = denominator > 0 ? s / denominator : double.NaN;

        return new MannKendallResult(n, s, variance, z, p, tau);
    }
}
