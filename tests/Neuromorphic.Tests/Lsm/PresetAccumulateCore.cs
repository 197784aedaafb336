namespace Neuromorphic.Tests.Lsm;

/// <summary>
/// The preset LSM's accumulate core as the readout's hand timings count it: 16 lanes at 200 MHz against the 1 GHz base
/// clock, so a core cycle is 5 base cycles. One place for the tests that time readout batches by hand.
/// </summary>
internal static class PresetAccumulateCore
{
    /// <summary>Operations a core cycle.</summary>
    public const int Lanes = 16;

    /// <summary>Base cycles a core cycle.</summary>
    public const long Edge = 5;

    /// <summary>ceil(n / d) for positive d.</summary>
    public static long Ceil(long n, long d) => (n + d - 1) / d;

    /// <summary>The first core edge at or after <paramref name="cycle"/>.</summary>
    public static long NextEdge(long cycle) => (cycle + Edge - 1) / Edge * Edge;

    /// <summary>Base cycles from <paramref name="cycle"/> to the next core edge (0 on an edge).</summary>
    public static long WaitForEdge(long cycle) => (Edge - cycle % Edge) % Edge;
}
