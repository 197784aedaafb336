using System.Numerics;

namespace Neuromorphic.Sim.Randomness;

/// <summary>
/// A seeded generator (xoshiro256**, seeded through SplitMix64) whose sequence is fixed by this
/// code alone, not by the runtime's <see cref="System.Random"/>, so results stay bit-identical
/// across .NET versions and machines. Each stochastic component draws from its own stream,
/// derived from (run seed, component id), so results do not depend on thread count or order.
/// </summary>
public sealed class DeterministicRandom
{
    private State _state;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public DeterministicRandom(ulong seed)
    {
        var sm = seed;
        _state.S0 = SplitMix64(ref sm);
        _state.S1 = SplitMix64(ref sm);
        _state.S2 = SplitMix64(ref sm);
        _state.S3 = SplitMix64(ref sm);
    }

    /// <summary>Creates a generator from its raw xoshiro256** state (for tests against the reference sequence).</summary>
    internal DeterministicRandom(ulong s0, ulong s1, ulong s2, ulong s3) => (_state.S0, _state.S1, _state.S2, _state.S3) = (s0, s1, s2, s3);

    /// <summary>The first output of SplitMix64 from <paramref name="state"/> (for tests).</summary>
    internal static ulong SplitMix64Once(ulong state) => SplitMix64(ref state);

    /// <summary>The independent stream of component <paramref name="componentId"/> within a run seeded with <paramref name="runSeed"/>.</summary>
    public static DeterministicRandom ForComponent(ulong runSeed, ulong componentId)
    {
        var mix = runSeed;
        var a = SplitMix64(ref mix);
        var b = componentId * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL;
        return new DeterministicRandom(a ^ SplitMix64(ref b));
    }

    /// <summary>The stream of a named component (the name is hashed with FNV-1a, stable across runs).</summary>
    public static DeterministicRandom ForComponent(ulong runSeed, string componentName)
    {
        var h = 14695981039346656037UL;
        foreach (var c in componentName) { h ^= c; h *= 1099511628211UL; }
        return ForComponent(runSeed, h);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64() => _state.Next();

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => ToUnit(NextUInt64());

    /// <summary>
    /// Fills <paramref name="destination"/> with the next uniform doubles in [0, 1), exactly the values
    /// that many calls of <see cref="NextDouble()"/> would return; the state stays in registers
    /// through the loop, which makes bulk draws (network set-up) several times cheaper.
    /// </summary>
    public void NextDoubles(Span<double> destination)
    {
        var state = _state; // a local copy of four words, which the JIT keeps in registers
        for (var i = 0; i < destination.Length; i++) destination[i] = ToUnit(state.Next());
        _state = state;
    }

    /// <summary>The top 53 bits of <paramref name="bits"/> as a double in [0, 1).</summary>
    private static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// xoshiro256**'s four words of state and its one step. A mutable struct on purpose: the generator
    /// steps it in place, and a bulk draw steps a local copy of it.
    /// </summary>
    private struct State
    {
        public ulong S0, S1, S2, S3;

        /// <summary>Advances the state by one step and returns the output of the step.</summary>
        public ulong Next()
        {
            var result = BitOperations.RotateLeft(S1 * 5, 7) * 9;
            var t = S1 << 17;
            S2 ^= S0;
            S3 ^= S1;
            S1 ^= S2;
            S0 ^= S3;
            S2 ^= t;
            S3 = BitOperations.RotateLeft(S3, 45);
            return result;
        }
    }

    /// <summary>Uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextDouble(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), unbiased (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        var range = (ulong)bound;
        var m = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0 - range) % range;
            while (low < threshold) m = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)m;
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool NextBernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal deviate (Marsaglia's polar method).</summary>
    public double NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Normal deviate with the given mean and standard deviation.</summary>
    public double NextNormal(double mean, double sigma) => mean + sigma * NextNormal();

    /// <summary>
    /// Number of failures before the first success of a Bernoulli(p) sequence (geometric
    /// distribution): lets sparse random connectivity skip straight to the next connection.
    /// </summary>
    public long NextGeometric(double p)
    {
        if (!(p > 0) || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "p must lie in (0, 1]");
        if (p == 1) return 0;
        var u = 1 - NextDouble(); // (0, 1]
        return (long)Math.Floor(Math.Log(u) / Math.Log(1 - p));
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
