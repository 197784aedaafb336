using System.Globalization;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// The resource guard's estimate for running a network at a timestep: delay lines (NIR <c>Delay</c>
/// nodes hold delay / dt steps of every element), synaptic delay rings, node buffers and the recorded
/// output. Checked before the executor allocates anything.
/// </summary>
public static class ExecutionMemory
{
    /// <summary>One array of the estimate: the node that drives it and its bytes.</summary>
    /// <param name="Place">Where its size comes from, e.g. <c>node 'd1' (delay)</c>.</param>
    /// <param name="What">What it holds.</param>
    /// <param name="Bytes">Estimated size.</param>
    public sealed record Part(string Place, string What, double Bytes);

    /// <summary>
    /// Checks that <paramref name="network"/> can run at <paramref name="dt"/> for <paramref name="timesteps"/>
    /// steps in <paramref name="valueBytes"/>-byte arithmetic within <paramref name="budget"/>.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="dt">Timestep, seconds.</param>
    /// <param name="timesteps">Steps of the run.</param>
    /// <param name="valueBytes">Bytes per value (4 for float32, 8 for float64).</param>
    /// <param name="budget">The limit.</param>
    /// <param name="file">The network's file, for the error.</param>
    /// <param name="recorded">Nodes whose every step is recorded (<c>--record</c>).</param>
    /// <exception cref="InputFormatException">A delay longer than a delay line can hold, or an estimate over the budget, naming <paramref name="file"/> and the node.</exception>
    public static void Require(Network network, double dt, long timesteps, int valueBytes, MemoryBudget budget, string file, IReadOnlyList<string>? recorded = null)
    {
        var parts = Estimate(network, dt, timesteps, valueBytes, file, recorded);
        var total = parts.Sum(p => p.Bytes);
        if (total <= budget.MaxBytes) return;
        var largest = parts.MaxBy(p => p.Bytes)!;
        budget.Require(total, file, largest.Place, $"running the network (mostly {largest.What})");
    }

    /// <summary>The arrays of a run (parameters as <see cref="Require"/>).</summary>
    /// <param name="network">The network.</param>
    /// <param name="dt">Timestep, seconds.</param>
    /// <param name="timesteps">Steps of the run.</param>
    /// <param name="valueBytes">Bytes per value.</param>
    /// <param name="file">The network's file, for the error.</param>
    /// <param name="recorded">Recorded nodes.</param>
    /// <exception cref="InputFormatException">A delay of more timesteps than a delay line can hold.</exception>
    public static IReadOnlyList<Part> Estimate(Network network, double dt, long timesteps, int valueBytes, string file, IReadOnlyList<string>? recorded = null)
    {
        string N(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        var parts = new List<Part>();
        foreach (var node in network.Nodes)
        {
            var size = (double)Shape.Size(node.OutputShape ?? node.InputShape ?? [1]);
            parts.Add(new($"node '{node.Name}'", $"buffers of node '{node.Name}'", 4 * size * valueBytes));
            if (node is DelayNode d && d.DelaySeconds.Length > 0)
            {
                var longest = d.DelaySeconds.Max();
                var steps = Math.Round(longest / dt);
                if (!(steps < int.MaxValue))
                    throw new InputFormatException(file, $"node '{d.Name}' (delay)",
                        $"a delay of {N(longest)} s is {N(steps)} timesteps of {N(dt)} s, more than a delay line can hold ({int.MaxValue})");
                parts.Add(new($"node '{d.Name}' (delay)", $"the delay line of node '{d.Name}' ({N(steps + 1)} steps x {d.DelaySeconds.Length} elements)",
                    (steps + 1) * d.DelaySeconds.Length * valueBytes));
            }
            if (node is SparseNode { DelaySteps: { Length: > 0 } delays } sparse)
                parts.Add(new($"node '{sparse.Name}' (delay)", $"the synaptic delay ring of node '{sparse.Name}'", (delays.Max() + 1.0) * sparse.Weights.Rows * valueBytes));
        }
        foreach (var name in recorded ?? [])
        {
            if (!network.Contains(name)) continue;
            var node = network[name];
            parts.Add(new($"node '{name}' (--record)", $"the recorded trace of node '{name}' ({timesteps} steps)",
                timesteps * (double)Shape.Size(node.OutputShape ?? node.InputShape ?? [1]) * sizeof(float)));
        }
        foreach (var output in network.Outputs)
            parts.Add(new($"node '{output.Name}'", $"the recorded output of node '{output.Name}' ({timesteps} steps)",
                timesteps * (double)Shape.Size(output.InputShape ?? output.OutputShape ?? [1]) * sizeof(float)));
        return parts;
    }
}
