using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Builders;

/// <summary>Random sparse connectivity, drawn deterministically from a seeded stream.</summary>
public static class RandomConnectivity
{
    /// <summary>
    /// Each (post, pre) pair is connected independently with probability <paramref name="p"/>
    /// (Bernoulli connectivity, self-connections allowed), drawn by geometric skips so the cost
    /// follows the number of synapses rather than rows x columns.
    /// </summary>
    /// <param name="rows">Postsynaptic neurons (matrix rows).</param>
    /// <param name="columns">Presynaptic neurons (matrix columns).</param>
    /// <param name="p">Connection probability.</param>
    /// <param name="weight">Weight of a synapse from its (post, pre) indices.</param>
    /// <param name="rng">The stream to draw from.</param>
    public static CsrMatrix Bernoulli(int rows, int columns, double p, Func<int, int, float> weight, DeterministicRandom rng)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "probability must lie in [0, 1]");
        var pointers = new int[rows + 1];
        var cols = new List<int>((int)Math.Min(int.MaxValue, (long)(rows * (double)columns * p * 1.1) + 16));
        var vals = new List<float>(cols.Capacity);
        for (var r = 0; r < rows; r++)
        {
            if (p > 0)
            {
                for (var c = rng.NextGeometric(p); c < columns; c += 1 + rng.NextGeometric(p))
                {
                    cols.Add((int)c);
                    vals.Add(weight(r, (int)c));
                }
            }
            pointers[r + 1] = cols.Count;
        }
        return new CsrMatrix(rows, columns, pointers, cols.ToArray(), vals.ToArray());
    }
}
