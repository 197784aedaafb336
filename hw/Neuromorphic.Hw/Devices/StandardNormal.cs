namespace Neuromorphic.Hw.Devices;

/// <summary>The standard normal distribution function, for the analytic means of windowed distributions.</summary>
internal static class StandardNormal
{
    /// <summary>Phi(x) = P(Z &lt;= x).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        if (double.IsPositiveInfinity(x)) return 1;
        return 0.5 * Erfc(-x / Math.Sqrt(2));
    }

    /// <summary>phi(x), the density.</summary>
    public static double Pdf(double x) => double.IsInfinity(x) ? 0 : Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// Complementary error function by the Chebyshev fit of Numerical Recipes (2nd ed., section 6.2),
    /// fractional error below 1.2e-7 everywhere: ample for expected conductances, and free of a
    /// package dependency.
    /// </summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
