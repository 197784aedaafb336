using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// The one mapper: compiles any <see cref="Network"/> (a NIR import, a builder's network) into a
/// <see cref="ChipProgram"/>. Weighted projections go onto RRAM macros in row blocks x column
/// blocks (dense and sparse matrices as they are, one matrix per synaptic delay; convolutions
/// unrolled with kernel x input channels on the rows and output channels on the columns), with
/// the architecture's bit slicing and signed-weight scheme (a matrix whose weights share one sign on
/// single cells, <c>mapping.one_signed_layers</c>); populations go onto the tiles'
/// neuron cores by the architecture's placement policy; pooling, scaling, thresholds and delays
/// run on the neuron cores' adders. Macros are taken in evaluation order, tile after tile.
/// </summary>
public static class NetworkMapper
{
    /// <summary>Node types the chip runs, for error messages.</summary>
    public const string Supported =
        "Input, Output, Affine, Linear, sparse Linear (with delays), Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten, Scale, Threshold, Delay; "
        + "populations LIF, LI, CubaLIF, CubaLI, IF, I, snntorch.Leaky, cuba.LIF";

    /// <summary>Compiles <paramref name="network"/> for <paramref name="chip"/>; <paramref name="seed"/> drives the programming of the cells.</summary>
    /// <param name="network">The network.</param>
    /// <param name="chip">The chip.</param>
    /// <param name="seed">Seed of the write-verify programming of the weights.</param>
    /// <param name="programmed">
    /// Projections (by node name: sparse or dense, without delays) whose cells were programmed in place
    /// and are placed as they are instead of being written to targets (null: none).
    /// </param>
    /// <param name="threads">Threads that program a layer's blocks at once (<see cref="Mapper.Threads"/>, at least 1). The program does not depend on it.</param>
    /// <exception cref="MappingException">A node the chip cannot run, or a network that does not fit (naming what it needs and what the chip has).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static ChipProgram Map(Network network, ChipModel chip, ulong seed, IReadOnlyDictionary<string, ProgrammedCells>? programmed = null, int threads = 1)
    {
        var plan = new ExecutionPlan(network);
        foreach (var node in network.Nodes) CheckSupported(node);
        programmed ??= new Dictionary<string, ProgrammedCells>();
        foreach (var (name, cells) in programmed) CheckProgrammed(network, name, cells);
        CheckMacrosFit(network, plan, chip, programmed);
        var slices = PlaceNeurons(network, plan, chip.Spec.Chip);

        var mapper = new Mapper(chip, seed) { Threads = threads };
        var matrices = new IReadOnlyList<DelayClass>?[network.Nodes.Count];
        foreach (var i in plan.Order)
        {
            matrices[i] = MapWeights(network.Nodes[i], mapper, programmed.GetValueOrDefault(network.Nodes[i].Name), chip) ?? [];
            if (chip.Spec.Mapping.MacroOrder == MacroOrder.ColumnBlockMajor) matrices[i] = ColumnBlockMajor(matrices[i]!, chip.Spec.Chip.MacrosPerTile);
        }
        // near_synapses places neurons by where their macros went.
        if (chip.Spec.Chip.NeuronPlacement == NeuronPlacement.NearSynapses)
        {
            slices = NearSynapsePlacement.Place(network, plan, chip.Spec.Chip, chip.Spec.NeuronCore.Lanes, chip.Spec.Noc.Width, SitesOf(network, matrices));
        }

        var nodes = new ChipNode[network.Nodes.Count];
        var outputTiles = new int[network.Nodes.Count][];
        foreach (var i in plan.Order.Concat(Enumerable.Range(0, network.Nodes.Count)).Distinct())
        {
            var node = network.Nodes[i];
            outputTiles[i] = OutputTiles(network, plan, i, slices, matrices, outputTiles);
            nodes[i] = new ChipNode(i, node, KindOf(node), matrices[i] ?? [], slices[i] ?? [], outputTiles[i],
                node is ConvNode conv ? new ConvUnrolling(conv) : null);
        }
        // A crossbar's outputs live where its consumer population's neurons are; fix up now that every population is placed.
        for (var i = 0; i < nodes.Length; i++)
            if (nodes[i].Kind == ChipNodeKind.Crossbar) nodes[i] = nodes[i] with { OutputTile = ConsumerTiles(network, i, slices, nodes[i].OutputTile) };

        var routes = network.Edges.Select(e =>
        {
            int s = network.IndexOf(e.Source), t = network.IndexOf(e.Target);
            var recurrent = plan.Sources[t].Any(x => x.Source == s && x.Recurrent);
            var to = nodes[t].Kind == ChipNodeKind.Crossbar ? nodes[t].Tiles : nodes[t].OutputTile.Distinct().Order().ToList();
            return new ChipRoute(e.Source, e.Target, nodes[s].OutputTile.Distinct().Order().ToList(), to, recurrent);
        }).ToList();
        var rowTable = CheckRowTables(network, plan, chip, nodes);
        var tiles = nodes.SelectMany(n => n.Kind == ChipNodeKind.Crossbar ? n.Tiles : n.Slices.Select(s => s.Tile)).Distinct().Count();
        return new ChipProgram(network, chip, nodes, routes, mapper.MacrosUsed, Math.Max(1, tiles)) { RowTableEntriesMax = rowTable.Max, RowTableTiles = rowTable.Tiles };
    }

    private static ChipNodeKind KindOf(Node node) => node switch
    {
        InputNode => ChipNodeKind.Input,
        DenseNode or SparseNode or ConvNode => ChipNodeKind.Crossbar,
        NeuronNode => ChipNodeKind.Population,
        PoolNode or ScaleNode or ThresholdNode or DelayNode => ChipNodeKind.Digital,
        _ => ChipNodeKind.Wiring,
    };

    private static void CheckSupported(Node node)
    {
        var ok = node switch
        {
            InputNode or OutputNode or DenseNode or SparseNode or ConvNode or PoolNode or FlattenNode or ScaleNode or ThresholdNode or DelayNode => true,
            NeuronNode n => n.Model is LifModel or CubaLifModel or IntegratorModel or SnnTorchLeakyModel or Sim.Benchmarks.CubaNeuronModel,
            _ => false,
        };
        if (!ok)
        {
            var type = node is NeuronNode nn ? nn.Model.Kind : node.NirType;
            throw new MappingException($"node '{node.Name}' ({type}) cannot run on the chip; supported: {Supported}");
        }
    }

    /// <summary>
    /// Macros a matrix of <paramref name="inputs"/> x <paramref name="outputs"/> takes under the architecture's
    /// signed-weight scheme (a mixed-sign matrix): row blocks x column blocks.
    /// </summary>
    public static int MacrosFor(ChipModel chip, int inputs, int outputs) => MacrosFor(chip, inputs, outputs, chip.LogicalColumnsPerMacro);

    private static int MacrosFor(ChipModel chip, int inputs, int outputs, int columnsPerMacro) =>
        (inputs + chip.Spec.Macro.Crossbar.Rows - 1) / chip.Spec.Macro.Crossbar.Rows * ((outputs + columnsPerMacro - 1) / columnsPerMacro);

    /// <summary>
    /// Macros <paramref name="node"/> takes on <paramref name="chip"/> when its weights are written to
    /// targets (sparse matrices: only the blocks of their word lines that hold a synapse; a matrix whose
    /// weights share one sign on single cells, <see cref="Mapper.OnSingleCells"/>).
    /// </summary>
    public static int MacrosOf(Node node, ChipModel chip) => node switch
    {
        SparseNode s when Compacted(chip) => DelayMatrices(s)
            .Sum(w => Mapper.CompactedMacros(w, chip.Spec.Macro.Crossbar.Rows, Mapper.ColumnsPerMacro(chip, w.Values))),
        SparseNode s => DelayMatrices(s).Sum(w => Mapper.OccupiedBlocks(Mapper.OnWordLines(w, WordLines(s, null, chip)),
            chip.Spec.Macro.Crossbar.Rows, Mapper.ColumnsPerMacro(chip, w.Values))),
        ConvNode conv => Mapper.MacrosFor(chip, conv),
        DenseNode d => MacrosFor(chip, d.Inputs, d.Outputs, Mapper.ColumnsPerMacro(chip, d.Weight)),
        _ => 0,
    };

    /// <summary>Macros of a projection whose cells are given: single cells take one column each, pairs two.</summary>
    private static int ProgrammedMacros(Node node, ProgrammedCells cells, ChipModel chip)
    {
        var (inputs, outputs) = Shape2(node);
        var lines = WordLines(node, cells, chip)?.Length ?? inputs;
        var crossbar = chip.Spec.Macro.Crossbar;
        var columns = cells.Pairs ? crossbar.Columns / 2 : crossbar.Columns;
        return (lines + crossbar.Rows - 1) / crossbar.Rows * ((outputs + columns - 1) / columns);
    }

    private static (int Inputs, int Outputs) Shape2(Node node) => node switch
    {
        DenseNode d => (d.Inputs, d.Outputs),
        SparseNode s => (s.Weights.Columns, s.Weights.Rows),
        _ => (0, 0),
    };

    private static void CheckProgrammed(Network network, string name, ProgrammedCells cells)
    {
        if (!network.Contains(name)) throw new MappingException($"programmed cells for '{name}', which is not a node of the network");
        var node = network[name];
        if (node is not (DenseNode or SparseNode { DelaySteps: null }))
            throw new MappingException($"programmed cells for '{name}' ({node.NirType}): only a dense or sparse projection without delays takes given cells");
        var (inputs, outputs) = Shape2(node);
        if (cells.Positive.Length != (long)inputs * outputs || cells.Negative is { } n && n.Length != cells.Positive.Length)
            throw new MappingException($"programmed cells for '{name}': {cells.Positive.Length} cells, the projection is {outputs} x {inputs}");
    }

    /// <summary>
    /// The inputs of a sparse projection (or of given cells) that have a synapse, in order: only they take a
    /// word line. Null when every input has one (dense matrices keep all their rows).
    /// </summary>
    private static int[]? WordLines(Node node, ProgrammedCells? cells, ChipModel chip)
    {
        var (inputs, outputs) = Shape2(node);
        var used = new bool[inputs];
        if (node is SparseNode s)
            foreach (var c in s.Weights.ColumnIndices) used[c] = true;
        else if (cells is null) return null;
        if (cells is not null)
        {
            var gmin = chip.Device.GMin;
            for (var o = 0; o < outputs; o++)
                for (var j = 0; j < inputs; j++)
                {
                    var k = (long)o * inputs + j;
                    if (cells.Positive[k] != gmin || cells.Negative is { } n && n[k] != gmin) used[j] = true;
                }
        }
        if (used.All(u => u)) return null;
        return Enumerable.Range(0, inputs).Where(j => used[j]).ToArray();
    }

    private static void CheckMacrosFit(Network network, ExecutionPlan plan, ChipModel chip, IReadOnlyDictionary<string, ProgrammedCells> programmed)
    {
        var need = plan.Order.Select(i => network.Nodes[i])
            .Select(n => (n.Name, Macros: programmed.TryGetValue(n.Name, out var cells) ? ProgrammedMacros(n, cells, chip)
                : MacrosOf(n, chip))).Where(x => x.Macros > 0).ToList();
        var total = need.Sum(x => x.Macros);
        var have = chip.Spec.Chip.Macros;
        if (total <= have) return;
        var perLayer = string.Join(", ", need.Select(x => $"{x.Name} {x.Macros}"));
        throw new MappingException(
            $"the network needs {total} macros of {chip.Spec.Macro.Crossbar.Rows} x {chip.LogicalColumnsPerMacro} weights{SingleCellNote(chip)} ({perLayer}); "
            + $"the chip has {have} ({chip.Spec.Chip.Tiles} tiles x {chip.Spec.Chip.MacrosPerTile}): raise chip.tiles or chip.macros_per_tile");
    }

    /// <summary>For messages: the capacity of a macro for one-signed layers, when it differs from the signed scheme's.</summary>
    private static string SingleCellNote(ChipModel chip) =>
        chip.Spec.Mapping.OneSignedLayers == OneSignedLayers.SingleCells && chip.SingleCellColumnsPerMacro != chip.LogicalColumnsPerMacro
            ? $" ({chip.SingleCellColumnsPerMacro} for one-signed layers on single cells)" : "";

    /// <summary>True when the architecture maps sparse projections with compacted word lines.</summary>
    private static bool Compacted(ChipModel chip) => chip.Spec.Mapping.WordLines == WordLineMapping.Compacted;

    /// <summary>
    /// Row-address table entries each tile needs under the compacted mapping (<c>mapping.word_lines: compacted</c>):
    /// per tile, one entry per (source neuron on it, column block of a sparse projection holding a synapse of it).
    /// All zeros with the dense mapping. Neurons are placed as <see cref="Map"/> places them; a projection whose
    /// source is not a population counts its entries at tile 0 (where inputs enter). For sizing a chip before mapping.
    /// </summary>
    public static int[] RowTableEntriesPerTile(Network network, ChipModel chip)
    {
        if (!Compacted(chip)) return new int[chip.Spec.Chip.Tiles];
        var plan = new ExecutionPlan(network);
        var slices = PlaceNeurons(network, plan, chip.Spec.Chip);
        if (chip.Spec.Chip.NeuronPlacement == NeuronPlacement.NearSynapses)
            slices = NearSynapsePlacement.Place(network, plan, chip.Spec.Chip, chip.Spec.NeuronCore.Lanes, chip.Spec.Noc.Width, PlannedSites(network, plan, chip));
        return RowTableEntries(network, plan, chip, source =>
        {
            var tiles = new int[Shape.Size(network.Nodes[source].OutputShape!)];
            if (slices[source] is { } own)
                foreach (var slice in own) Array.Fill(tiles, slice.Tile, slice.First, slice.Count);
            return tiles;
        });
    }

    /// <summary>
    /// <c>mapping.macro_order: column_block_major</c>: the node's macros (all its matrices, in their blocks'
    /// order) renumbered within the range they took, column block by column block (a stable sort by first
    /// column: a column block's row blocks and delay classes stay in order). The blocks keep their order in
    /// each matrix (the function pass adds the row blocks as before); only their macros and tiles change.
    /// </summary>
    private static IReadOnlyList<DelayClass> ColumnBlockMajor(IReadOnlyList<DelayClass> matrices, int macrosPerTile)
    {
        var all = matrices.SelectMany(d => d.Matrix.Tiles).ToList();
        if (all.Count == 0) return matrices;
        var first = all.Min(t => t.Macro);
        var macroOf = new Dictionary<MacroTile, int>(ReferenceEqualityComparer.Instance);
        var k = first;
        foreach (var t in all.OrderBy(t => t.ColumnStart)) macroOf[t] = k++;
        return matrices.Select(d => d with
        {
            Matrix = d.Matrix with { Tiles = d.Matrix.Tiles.Select(t => t with { Macro = macroOf[t], Tile = macroOf[t] / macrosPerTile }).ToList() },
        }).ToList();
    }

    /// <summary>Each crossbar node's macros as mapped: tile and the node outputs they produce.</summary>
    private static IReadOnlyList<MacroSite>?[] SitesOf(Network network, IReadOnlyList<DelayClass>?[] matrices) =>
        matrices.Select((m, i) => m?.SelectMany(d => d.Matrix.Tiles).Select(t => Site(network.Nodes[i], t.Tile, t.ColumnStart, t.ColumnCount)).ToList()).ToArray();

    private static MacroSite Site(Node node, int tile, int columnStart, int columns)
    {
        var positions = node is ConvNode conv ? new ConvUnrolling(conv).Positions : 1;
        return new MacroSite(tile, columnStart * positions, columns * positions);
    }

    /// <summary>
    /// Each crossbar node's macros as <see cref="Map"/> would place them (same order and tiles, no cells
    /// programmed) on a compacted chip: for placing neurons by their macros when sizing row tables before mapping.
    /// </summary>
    private static IReadOnlyList<MacroSite>?[] PlannedSites(Network network, ExecutionPlan plan, ChipModel chip)
    {
        var sites = new IReadOnlyList<MacroSite>?[network.Nodes.Count];
        var macro = 0;
        foreach (var i in plan.Order)
        {
            var node = network.Nodes[i];
            var blocks = PlannedColumns(node, chip);
            if (chip.Spec.Mapping.MacroOrder == MacroOrder.ColumnBlockMajor) blocks = blocks.OrderBy(b => b.ColumnStart);
            var list = new List<MacroSite>();
            foreach (var (c0, columns) in blocks) list.Add(Site(node, macro++ / chip.Spec.Chip.MacrosPerTile, c0, columns));
            sites[i] = list;
        }
        return sites;
    }

    /// <summary>The output columns of each macro <see cref="MapWeights"/> places for <paramref name="node"/>, in its order.</summary>
    private static IEnumerable<(int ColumnStart, int Columns)> PlannedColumns(Node node, ChipModel chip)
    {
        var rows = chip.Spec.Macro.Crossbar.Rows;
        switch (node)
        {
            case DenseNode d:
                return Mapper.BlockColumns(d.Inputs, d.Outputs, 1, rows, Mapper.ColumnsPerMacro(chip, d.Weight));
            case ConvNode c:
                var perGroupIn = c.WeightShape.Skip(1).Aggregate(1, (a, b) => a * b);
                return Mapper.BlockColumns(perGroupIn * c.Groups, c.OutputChannels, c.Groups, rows, Mapper.ColumnsPerMacro(chip, c.Weight));
            case SparseNode s:
                // Only compacted chips are sized before mapping (RowTableEntriesPerTile): their sparse blocks.
                return DelayMatrices(s)
                    .SelectMany(w => Mapper.CompactedBlockColumns(w, rows, Mapper.ColumnsPerMacro(chip, w.Values)));
            default:
                return [];
        }
    }

    /// <summary>Entries per tile, given the tile of each output of a source node.</summary>
    private static int[] RowTableEntries(Network network, ExecutionPlan plan, ChipModel chip, Func<int, int[]> sourceTiles)
    {
        var perTile = new int[chip.Spec.Chip.Tiles];
        for (var i = 0; i < network.Nodes.Count; i++)
        {
            if (network.Nodes[i] is not SparseNode s) continue;
            var entries = new int[s.Weights.Columns];
            foreach (var w in DelayMatrices(s)) Mapper.AddRowTableEntries(w, Mapper.ColumnsPerMacro(chip, w.Values), entries);
            var tiles = sourceTiles(plan.Sources[i].Select(x => x.Source).First());
            for (var e = 0; e < entries.Length; e++) perTile[e < tiles.Length ? tiles[e] : 0] += entries[e];
        }
        return perTile;
    }

    /// <summary>Refuses a compacted mapping whose source tiles' row-address tables overflow; returns the fullest table's entries and the tiles with a table.</summary>
    private static (int Max, int Tiles) CheckRowTables(Network network, ExecutionPlan plan, ChipModel chip, IReadOnlyList<ChipNode> nodes)
    {
        if (!Compacted(chip)) return (0, 0);
        var perTile = RowTableEntries(network, plan, chip, source => nodes[source].OutputTile);
        var worst = 0;
        for (var t = 1; t < perTile.Length; t++) if (perTile[t] > perTile[worst]) worst = t;
        var have = chip.Spec.Mapping.RowTableEntries;
        if (perTile[worst] > have)
            throw new MappingException($"compacted word lines: tile {worst}'s source neurons need {perTile[worst]} row-address table entries "
                + $"(one per column block holding a synapse of theirs); mapping.row_table_entries is {have}: raise it (or spread the neurons: chip.neuron_placement, chip.tiles)");
        return (perTile[worst], perTile.Count(e => e > 0));
    }

    private static IEnumerable<int> DelaysOf(SparseNode s) =>
        s.DelaySteps is null || s.DelaySteps.Length == 0 ? [0] : s.DelaySteps.Distinct().Order();

    /// <summary>The projection's matrix of each delay class, in <see cref="DelaysOf"/>'s order (each mapped, and stored, on its own).</summary>
    private static IEnumerable<CsrMatrix> DelayMatrices(SparseNode s) => DelaysOf(s).Select(d => OfDelay(s, d));

    private static IReadOnlyList<DelayClass>? MapWeights(Node node, Mapper mapper, ProgrammedCells? cells, ChipModel chip)
    {
        if (cells is not null)
        {
            var (inputs, outputs) = Shape2(node);
            return [new DelayClass(0, mapper.MapCells(node.Name, cells, outputs, inputs, WordLines(node, cells, chip)))];
        }
        return node switch
        {
            DenseNode d => [new DelayClass(0, mapper.Map(d.Name, d.Weight, d.Outputs, d.Inputs))],
            ConvNode c => [new DelayClass(0, mapper.Map(c.Name, c))],
            // Compacted: each column block's macros hold only the inputs with a synapse in it (per delay class).
            SparseNode s when Compacted(chip) => DelaysOf(s).Select(delay => new DelayClass(delay, mapper.MapCompacted(
                DelaysOf(s).Count() == 1 ? s.Name : $"{s.Name}.delay{delay}", OfDelay(s, delay)))).ToList(),
            // Inputs with no synapse in any delay class take no word line: one row map for all the classes.
            SparseNode s => DelaysOf(s).Select(delay => new DelayClass(delay, mapper.Map(
                DelaysOf(s).Count() == 1 ? s.Name : $"{s.Name}.delay{delay}", OfDelay(s, delay), WordLines(s, null, chip)))).ToList(),
            _ => null,
        };
    }

    /// <summary>The synapses of <paramref name="s"/> with delay <paramref name="delay"/> (all of them without delays).</summary>
    private static CsrMatrix OfDelay(SparseNode s, int delay)
    {
        if (s.DelaySteps is null) return s.Weights;
        var w = s.Weights;
        var dense = new float[(long)w.Rows * w.Columns];
        for (var r = 0; r < w.Rows; r++)
            for (var k = w.RowPointers[r]; k < w.RowPointers[r + 1]; k++)
                if (s.DelaySteps[k] == delay) dense[(long)r * w.Columns + w.ColumnIndices[k]] += w.Values[k];
        return CsrMatrix.FromDense(dense, w.Rows, w.Columns);
    }

    /// <summary>Core slices of every population, by the architecture's placement policy.</summary>
    private static IReadOnlyList<CoreSlice>?[] PlaceNeurons(Network network, ExecutionPlan plan, ChipParameters p)
    {
        var slices = new IReadOnlyList<CoreSlice>?[network.Nodes.Count];
        var populations = plan.Order.Where(i => network.Nodes[i] is NeuronNode).ToList();
        var total = populations.Sum(i => (long)((NeuronNode)network.Nodes[i]).Model.Size);
        var capacity = (long)p.Tiles * p.NeuronsPerCore;
        if (total > capacity)
            throw new MappingException($"the network has {total} neurons; the chip's neuron cores hold {capacity} ({p.Tiles} tiles x {p.NeuronsPerCore}): raise chip.tiles or chip.neurons_per_core");
        // near_synapses places the neurons once the weights are on their macros (NearSynapsePlacement).
        if (p.NeuronPlacement == NeuronPlacement.NearSynapses) return slices;
        var used = new int[p.Tiles];
        var nextTile = 0;
        foreach (var i in populations)
        {
            var size = ((NeuronNode)network.Nodes[i]).Model.Size;
            var list = new List<CoreSlice>();
            if (p.NeuronPlacement == NeuronPlacement.Spread)
            {
                // Even shares, the remainder to the first cores; cores with no room left pass their share on.
                var share = (size + p.Tiles - 1) / p.Tiles;
                var first = 0;
                for (var t = 0; t < p.Tiles && first < size; t++)
                {
                    var count = Math.Min(Math.Min(share, size - first), p.NeuronsPerCore - used[t]);
                    if (count <= 0) continue;
                    list.Add(new CoreSlice(t, first, count));
                    used[t] += count;
                    first += count;
                }
                for (var t = 0; first < size; t++) first = Fill(t);
                int Fill(int t)
                {
                    var count = Math.Min(size - first, p.NeuronsPerCore - used[t]);
                    if (count > 0) { list.Add(new CoreSlice(t, first, count)); used[t] += count; }
                    return first + Math.Max(0, count);
                }
            }
            else
            {
                var tile = nextTile;
                if (p.NeuronPlacement == NeuronPlacement.ByLayer)
                {
                    while (tile < p.Tiles && used[tile] > 0) tile++;
                    if (tile + (size + p.NeuronsPerCore - 1) / p.NeuronsPerCore > p.Tiles)
                        throw new MappingException($"placement by_layer: population '{network.Nodes[i].Name}' ({size} neurons) finds no free core: "
                            + $"{populations.Count} populations need their own cores, the chip has {p.Tiles} tiles of {p.NeuronsPerCore} neurons");
                }
                var first = 0;
                while (first < size)
                {
                    var count = Math.Min(size - first, p.NeuronsPerCore - used[tile]);
                    if (count > 0)
                    {
                        list.Add(new CoreSlice(tile, first, count));
                        used[tile] += count;
                        first += count;
                    }
                    if (first < size) tile++;
                }
                nextTile = p.NeuronPlacement == NeuronPlacement.ByLayer ? tile + 1 : tile;
                if (nextTile >= p.Tiles) nextTile = p.Tiles - 1;
            }
            slices[i] = list;
        }
        return slices;
    }

    private static int[] OutputTiles(Network network, ExecutionPlan plan, int i, IReadOnlyList<CoreSlice>?[] slices,
        IReadOnlyList<DelayClass>?[] matrices, int[]?[] known)
    {
        var node = network.Nodes[i];
        var size = Shape.Size(node.OutputShape!);
        var tiles = new int[size];
        if (slices[i] is { } own)
        {
            foreach (var s in own) Array.Fill(tiles, s.Tile, s.First, s.Count);
            return tiles;
        }
        if (matrices[i] is { Count: > 0 } m)
        {
            Array.Fill(tiles, m[0].Matrix.Tiles[0].Tile);
            return tiles;
        }
        // Operators and wiring work where their (first forward) source's values are; inputs enter at tile 0.
        var source = plan.Sources[i].Where(s => !s.Recurrent).Select(s => s.Source).FirstOrDefault(-1);
        if (source < 0 || known[source] is not { } from) return tiles;
        if (from.Length == size) return (int[])from.Clone();
        if (node is PoolNode pool)
        {
            var input = pool.InputShape!;
            var output = pool.OutputShape!;
            for (var c = 0; c < output[0]; c++)
                for (var oy = 0; oy < output[1]; oy++)
                    for (var ox = 0; ox < output[2]; ox++)
                    {
                        var iy = Math.Clamp(oy * pool.Stride[0] - pool.Padding[0], 0, input[1] - 1);
                        var ix = Math.Clamp(ox * pool.Stride[1] - pool.Padding[1], 0, input[2] - 1);
                        tiles[(c * output[1] + oy) * output[2] + ox] = from[(c * input[1] + iy) * input[2] + ix];
                    }
            return tiles;
        }
        Array.Fill(tiles, from.Length > 0 ? from[0] : 0);
        return tiles;
    }

    /// <summary>A crossbar's output j goes to the tile of neuron j of its consumer population (when one consumes it element-wise).</summary>
    private static int[] ConsumerTiles(Network network, int i, IReadOnlyList<CoreSlice>?[] slices, int[] fallback)
    {
        var t = ElementwiseConsumer(network, i);
        if (t < 0 || slices[t] is not { } s) return fallback;
        var size = ((NeuronNode)network.Nodes[t]).Model.Size;
        var tiles = new int[fallback.Length];
        for (var channel = 0; channel < fallback.Length; channel += size)
            foreach (var slice in s) Array.Fill(tiles, slice.Tile, channel + slice.First, slice.Count);
        return tiles;
    }

    /// <summary>
    /// The population that consumes node <paramref name="i"/>'s outputs element-wise, or as one of several synaptic
    /// channels of each neuron (output j feeds neuron j mod size): its first such target; -1 when none does.
    /// </summary>
    internal static int ElementwiseConsumer(Network network, int i)
    {
        var outputs = Shape.Size(network.Nodes[i].OutputShape!);
        foreach (var target in network.TargetsOf(network.Nodes[i].Name))
            if (network[target] is NeuronNode n && n.Model.Size > 0 && outputs % n.Model.Size == 0)
                return network.IndexOf(target);
        return -1;
    }
}
