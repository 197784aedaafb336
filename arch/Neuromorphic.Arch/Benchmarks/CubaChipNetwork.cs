using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>
/// The CUBA benchmark as a <see cref="Network"/> for the chip path: one population
/// (<see cref="CubaNeuronModel"/>, initial membranes as the functional run draws them) and two
/// sparse projections from it back to itself, <c>excitatory</c> (the first 80 % of the neurons,
/// into the population's ge inputs) and <c>inhibitory</c> (the rest, into its gi inputs). A synapse
/// is a 1 in the connectivity matrix (binary: one low-resistance cell); the weights w_e and w_i are
/// the population's, applied per synaptic event on the neuron core, as Brian2's <c>on_pre</c> does.
/// </summary>
public static class CubaChipNetwork
{
    /// <summary>Name of the population.</summary>
    public const string Neurons = "neurons";

    /// <summary>Name of the excitatory projection.</summary>
    public const string Excitatory = "excitatory";

    /// <summary>Name of the inhibitory projection.</summary>
    public const string Inhibitory = "inhibitory";

    /// <summary>Builds the network of <paramref name="cuba"/>, whose functional run starts from <paramref name="initial"/>.</summary>
    public static Network Build(CubaNetwork cuba, CubaSimulation initial)
    {
        var p = cuba.Parameters;
        var n = p.Neurons;
        var membranes = new double[n];
        for (var i = 0; i < n; i++) membranes[i] = initial.MembraneOf(i);
        var population = new NeuronNode(Neurons, new CubaNeuronModel(p, membranes));
        var excitatory = new SparseNode(Excitatory, Connectivity(cuba, 0, p.Excitatory, 0));
        var inhibitory = new SparseNode(Inhibitory, Connectivity(cuba, p.Excitatory, n, n));
        return new Network([population, excitatory, inhibitory],
        [
            new Edge(Neurons, Excitatory), new Edge(Neurons, Inhibitory),
            new Edge(Excitatory, Neurons), new Edge(Inhibitory, Neurons),
        ]);
    }

    /// <summary>
    /// The synapses of presynaptic neurons [<paramref name="from"/>, <paramref name="to"/>) as a
    /// [2N x N] matrix: row <c>offset + post</c>, column <c>pre</c>, value the number of synapses
    /// (1; a repeated pair counts twice). Built by a counting sort over the targets: no dense matrix.
    /// </summary>
    private static CsrMatrix Connectivity(CubaNetwork cuba, int from, int to, int offset)
    {
        var n = cuba.Parameters.Neurons;
        var rows = 2 * n;
        var counts = new int[rows + 1];
        var targets = new int[n];
        for (var pre = from; pre < to; pre++)
        {
            var degree = cuba.OutDegree(pre);
            cuba.CopyTargets(pre, targets);
            foreach (var post in targets.AsSpan(0, degree)) counts[offset + post + 1]++;
        }
        for (var r = 0; r < rows; r++) counts[r + 1] += counts[r];
        var columns = new int[counts[rows]];
        var fill = counts[..^1].ToArray();
        for (var pre = from; pre < to; pre++)
        {
            var degree = cuba.OutDegree(pre);
            cuba.CopyTargets(pre, targets);
            foreach (var post in targets.AsSpan(0, degree)) columns[fill[offset + post]++] = pre;
        }
        // Sources arrive ascending per row; a repeated pair becomes one entry of value 2.
        var pointers = new int[rows + 1];
        var merged = new List<int>(columns.Length);
        var values = new List<float>(columns.Length);
        for (var r = 0; r < rows; r++)
        {
            for (var k = counts[r]; k < counts[r + 1]; k++)
            {
                if (k > counts[r] && columns[k] == columns[k - 1]) { values[^1] += 1; continue; }
                merged.Add(columns[k]);
                values.Add(1);
            }
            pointers[r + 1] = merged.Count;
        }
        return new CsrMatrix(rows, n, pointers, merged.ToArray(), values.ToArray());
    }
}
