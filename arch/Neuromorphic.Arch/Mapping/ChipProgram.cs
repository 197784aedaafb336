using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Mapping;

/// <summary>What a node of the network becomes on the chip.</summary>
public enum ChipNodeKind
{
    /// <summary>The network's input: spikes enter at tile 0's port.</summary>
    Input,

    /// <summary>A weighted projection on RRAM macros (dense, sparse or an unrolled convolution).</summary>
    Crossbar,

    /// <summary>A neuron population on neuron-core lanes.</summary>
    Population,

    /// <summary>Pooling, scaling, thresholding or a delay line, on the neuron core's adders.</summary>
    Digital,

    /// <summary>A relabelling of addresses (Flatten, Output): no work.</summary>
    Wiring,
}

/// <summary>A contiguous run of a population's neurons on one tile's neuron core.</summary>
/// <param name="Tile">The tile.</param>
/// <param name="First">First neuron (flat index in the population).</param>
/// <param name="Count">Neurons in the slice.</param>
public readonly record struct CoreSlice(int Tile, int First, int Count);

/// <summary>One weight matrix of a crossbar layer: the synapses of one delay (all of them without delays).</summary>
/// <param name="DelaySteps">Timesteps the results wait in the neuron core before they count.</param>
/// <param name="Matrix">The matrix on its macros.</param>
public sealed record DelayClass(int DelaySteps, MappedMatrix Matrix);

/// <summary>
/// A node as placed on the chip. Crossbar nodes hold their matrices (one per synaptic delay),
/// populations their core slices; every node says on which tile each of its outputs lives.
/// </summary>
/// <param name="Index">Index of the node in the network.</param>
/// <param name="Node">The network node.</param>
/// <param name="Kind">What it became.</param>
/// <param name="Matrices">Crossbar nodes: the mapped matrices (empty otherwise).</param>
/// <param name="Slices">Populations: their core slices (empty otherwise).</param>
/// <param name="OutputTile">Tile of each output element.</param>
/// <param name="Conv">Convolutions: the unrolling geometry.</param>
public sealed record ChipNode(int Index, Node Node, ChipNodeKind Kind, IReadOnlyList<DelayClass> Matrices, IReadOnlyList<CoreSlice> Slices,
    int[] OutputTile, ConvUnrolling? Conv)
{
    /// <summary>The node's name.</summary>
    public string Name => Node.Name;

    /// <summary>Macros the node occupies.</summary>
    public int Macros => Matrices.Sum(m => m.Matrix.Tiles.Count);

    /// <summary>Row blocks of the (first) matrix.</summary>
    public int RowBlocks => Matrices.Count == 0 ? 0 : Matrices[0].Matrix.RowBlocks;

    /// <summary>Column blocks of the (first) matrix.</summary>
    public int ColumnBlocks => Matrices.Count == 0 ? 0 : Matrices[0].Matrix.Tiles.Count / Math.Max(1, Matrices[0].Matrix.RowBlocks);

    /// <summary>Distinct tiles the node's work runs on.</summary>
    public IReadOnlyList<int> Tiles =>
        (Kind == ChipNodeKind.Crossbar ? Matrices.SelectMany(m => m.Matrix.Tiles.Select(t => t.Tile)) : Slices.Select(s => s.Tile).Concat(OutputTile.Take(1)))
        .Distinct().Order().ToList();
}

/// <summary>A stream of spikes or partial sums between two nodes over the NoC.</summary>
/// <param name="From">Source node.</param>
/// <param name="To">Target node.</param>
/// <param name="FromTiles">Tiles the traffic leaves.</param>
/// <param name="ToTiles">Tiles it reaches.</param>
/// <param name="Recurrent">True if the edge carries the previous timestep's values.</param>
public sealed record ChipRoute(string From, string To, IReadOnlyList<int> FromTiles, IReadOnlyList<int> ToTiles, bool Recurrent);

/// <summary>
/// A network compiled for a chip by <see cref="NetworkMapper"/>: every node placed (matrices on
/// macros, populations on neuron-core lanes, operators on the neuron cores' adders) and the routes
/// between them. Deterministic for a network, an architecture and a seed; printed by
/// <c>neuromorphic inspect NET --arch ARCH</c>; run by the chip executor.
/// </summary>
public sealed class ChipProgram
{
    internal ChipProgram(Network network, ChipModel chip, IReadOnlyList<ChipNode> nodes, IReadOnlyList<ChipRoute> routes, int macros, int tiles)
    {
        Network = network;
        Chip = chip;
        Nodes = nodes;
        Routes = routes;
        MacrosUsed = macros;
        TilesUsed = tiles;
        Plan = new ExecutionPlan(network);
    }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The chip's models and cost table.</summary>
    public ChipModel Chip { get; }

    /// <summary>The placed nodes, in network order.</summary>
    public IReadOnlyList<ChipNode> Nodes { get; }

    /// <summary>The routes, in edge order.</summary>
    public IReadOnlyList<ChipRoute> Routes { get; }

    /// <summary>Evaluation order and recurrent edges.</summary>
    public ExecutionPlan Plan { get; }

    /// <summary>Macros holding weights.</summary>
    public int MacrosUsed { get; }

    /// <summary>Tiles with a macro or a neuron in use.</summary>
    public int TilesUsed { get; }

    /// <summary>Compacted word lines: the entries of the fullest tile's row-address table (0 with the dense mapping).</summary>
    public int RowTableEntriesMax { get; init; }

    /// <summary>Compacted word lines: tiles whose row-address table holds an entry (the tables that are built and leak; 0 with the dense mapping).</summary>
    public int RowTableTiles { get; init; }

    /// <summary>
    /// ADCs a macro has, for the leakage and area of <see cref="ChipModel.Instances(ChipProgram, bool)"/>: those of the macro's design, its
    /// physical columns over <c>columns_per_adc</c>, whatever the layer it holds uses (as its array's cells are all
    /// built, used or not, and as the transformers count them); 0 with no macro.
    /// </summary>
    /// <remarks>
    /// Before this counted the ADCs the widest programmed array needs, so a chip of narrow layers had fewer ADCs per
    /// macro than its macro design: the default LSM's 512-column macros, holding 200-column blocks, 25 instead of 64.
    /// </remarks>
    public int AdcsPerMacro() => MacrosUsed == 0 ? 0 : Chip.Mux.AdcsFor(Chip.Spec.Macro.Crossbar.Columns);

    /// <summary>Neurons placed on neuron cores.</summary>
    public long Neurons => Nodes.Where(n => n.Kind == ChipNodeKind.Population).Sum(n => (long)n.OutputTile.Length);

    /// <summary>Neurons on each tile's core.</summary>
    public int[] NeuronsPerTile()
    {
        var counts = new int[Chip.Spec.Chip.Tiles];
        foreach (var n in Nodes)
            foreach (var s in n.Slices) counts[s.Tile] += s.Count;
        return counts;
    }

    /// <summary>The placed node of that name.</summary>
    public ChipNode this[string name] => Nodes[Network.IndexOf(name)];
}
