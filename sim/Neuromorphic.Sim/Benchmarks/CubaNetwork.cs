using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// The CUBA connectivity: every ordered pair (pre, post) is connected with probability p,
/// self-connections allowed, as Brian2's <c>connect(p=...)</c>. Stored compactly as one fan-out
/// list per presynaptic neuron (CSR of targets only): every synapse of a population carries the
/// same weight, so a synapse costs one 4-byte index.
/// </summary>
public sealed class CubaNetwork
{
    private CubaNetwork(CubaParameters parameters, int[] fanOutStart, int[] targets)
    {
        Parameters = parameters;
        FanOutStart = fanOutStart;
        Targets = targets;
    }

    /// <summary>The parameters the network was built with.</summary>
    public CubaParameters Parameters { get; }

    /// <summary>Start of each presynaptic neuron's targets in <see cref="Targets"/> (length N + 1).</summary>
    public int[] FanOutStart { get; }

    /// <summary>Postsynaptic neuron of every synapse, grouped by presynaptic neuron.</summary>
    public int[] Targets { get; }

    /// <summary>Number of synapses.</summary>
    public long Synapses => Targets.LongLength;

    /// <summary>Draws the connectivity from the run seed (stream "cuba.connectivity").</summary>
    public static CubaNetwork Build(CubaParameters parameters, ulong seed)
    {
        parameters.Validate();
        var n = parameters.Neurons;
        var p = parameters.ConnectionProbability;
        var rng = DeterministicRandom.ForComponent(seed, "cuba.connectivity");
        var start = new int[n + 1];
        var expected = (long)(n * (double)n * p);
        var targets = new int[Math.Max(16, expected + 6 * (long)Math.Sqrt(expected + 1) + 64)];
        var count = 0;
        for (var pre = 0; pre < n; pre++)
        {
            if (p > 0)
            {
                for (var post = rng.NextGeometric(p); post < n; post += 1 + rng.NextGeometric(p))
                {
                    if (count == targets.Length) Array.Resize(ref targets, targets.Length * 2);
                    targets[count++] = (int)post;
                }
            }
            start[pre + 1] = count;
        }
        if (count != targets.Length) Array.Resize(ref targets, count);
        return new CubaNetwork(parameters, start, targets);
    }
}
