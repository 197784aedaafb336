using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Nir;

/// <summary>One node of a <see cref="NirSummary"/>.</summary>
/// <param name="Name">Node name (nested graphs flattened to <c>outer.inner</c>).</param>
/// <param name="Type">NIR type string (e.g. <c>Conv2d</c>, <c>CubaLIF</c>).</param>
/// <param name="InputShape">Shape of the input, C order without batch dimension.</param>
/// <param name="OutputShape">Shape of the output.</param>
/// <param name="ParameterCount">Stored parameters (weights, biases, neuron parameters).</param>
/// <param name="SynapseCount">Non-zero weights.</param>
/// <param name="NeuronCount">Neurons (0 unless the node is a neuron population).</param>
public sealed record NirNodeSummary(
    string Name, string Type, int[] InputShape, int[] OutputShape, long ParameterCount, long SynapseCount, long NeuronCount);

/// <summary>One edge of a <see cref="NirSummary"/>.</summary>
/// <param name="Source">Name of the source node.</param>
/// <param name="Target">Name of the target node.</param>
public sealed record NirEdgeSummary(string Source, string Target);

/// <summary>
/// A plain description of a NIR graph for listing (the CLI's <c>inspect</c>): version, nodes with
/// their shapes and counts, edges and totals. Contains only strings, numbers and arrays, so it
/// serialises directly to JSON.
/// </summary>
/// <param name="Version">The file's NIR version string.</param>
/// <param name="Nodes">The nodes in graph order.</param>
/// <param name="Edges">The edges in graph order.</param>
/// <param name="NodeCount">Number of nodes.</param>
/// <param name="EdgeCount">Number of edges.</param>
/// <param name="ParameterCount">Total stored parameters.</param>
/// <param name="SynapseCount">Total synapses (non-zero weights).</param>
/// <param name="NeuronCount">Total neurons.</param>
/// <param name="TypeCounts">Number of nodes of each NIR type, by type name (ordinal order).</param>
public sealed record NirSummary(
    string Version,
    IReadOnlyList<NirNodeSummary> Nodes,
    IReadOnlyList<NirEdgeSummary> Edges,
    int NodeCount,
    int EdgeCount,
    long ParameterCount,
    long SynapseCount,
    long NeuronCount,
    IReadOnlyDictionary<string, int> TypeCounts)
{
    /// <summary>Describes a network read from (or to be written to) a NIR file.</summary>
    /// <param name="network">The network.</param>
    /// <param name="version">The NIR version string to report (e.g. <see cref="NirDocument.Version"/>).</param>
    public static NirSummary Describe(Network network, string version)
    {
        ArgumentNullException.ThrowIfNull(network);
        var nodes = network.Nodes.Select(n => new NirNodeSummary(
            n.Name,
            n.NirType,
            n.InputShape ?? [],
            n.OutputShape ?? [],
            n.ParameterCount,
            n.SynapseCount,
            n is NeuronNode p ? p.Model.Size : 0)).ToList();
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in nodes) types[n.Type] = types.GetValueOrDefault(n.Type) + 1;
        return new NirSummary(
            version ?? "",
            nodes,
            network.Edges.Select(e => new NirEdgeSummary(e.Source, e.Target)).ToList(),
            nodes.Count,
            network.Edges.Count,
            network.ParameterCount,
            network.SynapseCount,
            network.NeuronCount,
            types);
    }
}
