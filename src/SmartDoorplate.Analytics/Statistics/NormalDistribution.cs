namespace SmartDoorplate.Analytics.Statistics;

/// <summary>
/// Standard normal distribution function using W. J. Cody's rational Chebyshev approximations
/// ("Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637;
/// coefficients as in his ACM TOMS algorithm 715 ANORM). R's pnorm uses the same approximations
/// and evaluation order, so p-values agree with R to the last few bits, which matters because
/// our Gi* p-values are checked against spdep output.
/// </summary>
public static class NormalDistribution
{
    private const double OneOverSqrtTwoPi = 0.398942280401432677939946059934;

    // Boundaries of Cody's three approximation intervals: qnorm(3/4) and √32.
    private const double CentralLimit = 0.67448975;
    private const double SqrtOf32 = 5.656854249492380195206754896838;

    // DBL_EPSILON / 2: below it, x² would only add rounding noise to the central approximation.
    private const double HalfMachineEpsilon = 1.1102230246251565e-16;

    // Beyond this |x| the lower tail underflows to 0 in double precision (Cody's bound).
    private const double TailUnderflowLimit = 37.5193;

    private static readonly double[] CentralNumerator =
        [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];

    private static readonly double[] CentralDenominator =
        [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];

    private static readonly double[] MiddleNumerator =
    [
        0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
        2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
        1.0765576773720192317e-8,
    ];

    private static readonly double[] MiddleDenominator =
    [
        22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
        18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
    ];

    private static readonly double[] TailNumerator =
        [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];

    private static readonly double[] TailDenominator =
        [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

    /// <summary>Φ(x) = P(Z ≤ x).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (Math.Abs(x) <= CentralLimit)
        {
            return 0.5 + CentralOffset(x);
        }

        var lowerTail = LowerTail(Math.Abs(x));
        return x < 0 ? lowerTail : 1.0 - lowerTail;
    }

    /// <summary>2Φ(−|z|), computed from the small tail so that tiny p-values keep full relative precision.</summary>
    public static double TwoSidedPValue(double z) =>
        double.IsNaN(z) ? double.NaN : 2.0 * LowerTail(Math.Abs(z));

    // Φ(−y) for y ≥ 0.
    private static double LowerTail(double y)
    {
        if (y <= CentralLimit)
        {
            return 0.5 - CentralOffset(y);
        }

        if (y <= SqrtOf32)
        {
            var numerator = MiddleNumerator[8] * y;
            var denominator = y;
            for (var i = 0; i < 7; i++)
            {
                numerator = (numerator + MiddleNumerator[i]) * y;
                denominator = (denominator + MiddleDenominator[i]) * y;
            }

            return GaussianFactor(y) * (numerator + MiddleNumerator[7]) / (denominator + MiddleDenominator[7]);
        }

        if (y < TailUnderflowLimit)
        {
            var inverseSquare = 1.0 / (y * y);
            var numerator = TailNumerator[5] * inverseSquare;
            var denominator = inverseSquare;
            for (var i = 0; i < 4; i++)
            {
                numerator = (numerator + TailNumerator[i]) * inverseSquare;
                denominator = (denominator + TailDenominator[i]) * inverseSquare;
            }

            var correction = inverseSquare * (numerator + TailNumerator[4]) / (denominator + TailDenominator[4]);
            return GaussianFactor(y) * (OneOverSqrtTwoPi - correction) / y;
        }

        return 0.0;
    }

    // Φ(x) − 1/2 for |x| ≤ qnorm(3/4).
    private static double CentralOffset(double x)
    {
        var xSquared = Math.Abs(x) > HalfMachineEpsilon ? x * x : 0.0;
        var numerator = CentralNumerator[4] * xSquared;
        var denominator = xSquared;
        for (var i = 0; i < 3; i++)
        {
            numerator = (numerator + CentralNumerator[i]) * xSquared;
            denominator = (denominator + CentralDenominator[i]) * xSquared;
        }

        return x * (numerator + CentralNumerator[3]) / (denominator + CentralDenominator[3]);
    }

    // exp(−y²/2) evaluated as exp(−a²/2)·exp(−(y−a)(y+a)/2) with a = y rounded down to 1/16:
    // a² is exact, so the rounding error of y² (amplified by exp for large y) is avoided.
    private static double GaussianFactor(double y)
    {
        var a = Math.Truncate(y * 16) / 16;
        var delta = (y - a) * (y + a);
        return Math.Exp(-a * a * 0.5) * Math.Exp(-delta * 0.5);
    }
}
