using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Tests.Transformers.Operators;

/// <summary>Seeded random tensors for the operator tests.</summary>
internal static class TestData
{
    public static DeterministicRandom Rng(int seed, string name) => DeterministicRandom.ForComponent(unchecked((ulong)seed), name);

    public static float[] Binary(DeterministicRandom rng, int n, double p)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = rng.NextBernoulli(p) ? 1f : 0f;
        return a;
    }

    public static float[] Normal(DeterministicRandom rng, int n, double sigma = 1)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)rng.NextNormal(0, sigma);
        return a;
    }

    public static float[] Uniform(DeterministicRandom rng, int n, double low, double high)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)rng.NextDouble(low, high);
        return a;
    }

    /// <summary>|a - b| &lt;= tolerance max(1, |b|) everywhere.</summary>
    public static bool Close(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double tolerance)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (!(Math.Abs(a[i] - b[i]) <= tolerance * Math.Max(1, Math.Abs(b[i])))) return false;
        return true;
    }
}
