namespace Neuromorphic.Tests.Hw.Devices;

/// <summary>Mean, standard deviation and median of samples, for the statistical device tests.</summary>
internal static class SampleStatistics
{
    public static double Mean(IReadOnlyList<double> x) => x.Average();

    public static double StandardDeviation(IReadOnlyList<double> x)
    {
        var mean = Mean(x);
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1));
    }

    public static double Median(IReadOnlyList<double> x)
    {
        var sorted = x.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>|count - n p| within four binomial standard deviations.</summary>
    public static bool WithinBinomial(long count, long n, double p) => Math.Abs(count - n * p) <= 4 * Math.Sqrt(n * p * (1 - p)) + 1;
}
