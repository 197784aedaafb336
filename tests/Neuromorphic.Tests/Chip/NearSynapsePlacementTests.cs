using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <c>chip.neuron_placement: near_synapses</c> and <c>mapping.macro_order</c>: every neuron placed once, no core
/// over capacity, each neuron on the feeding tile nearest (in XY hops) to all the macros feeding it unless those
/// tiles are full; the chip's spikes stay the functional run's.
/// </summary>
public sealed class NearSynapsePlacementTests
{
    private static ArchitectureSpec Spec(NeuronPlacement placement, MacroOrder order, int neuronsPerCore = 4096, int tiles = 16,
        WordLineMapping wordLines = WordLineMapping.Dense)
    {
        // The preset CUBA runs on, its one-signed projections on differential pairs (binary cells: 256 weight columns a
        // macro, so a small network still spreads over several tiles), on a square mesh of the tiles.
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var width = (int)Math.Sqrt(tiles);
        return spec with
        {
            Chip = spec.Chip with { NeuronPlacement = placement, NeuronsPerCore = neuronsPerCore, Tiles = tiles },
            Noc = spec.Noc with { Width = width, Height = tiles / width },
            Mapping = spec.Mapping with { MacroOrder = order, WordLines = wordLines, OneSignedLayers = OneSignedLayers.SignedScheme },
        };
    }

    /// <summary>A small CUBA network on the chip path: one population, two recurrent sparse projections into its ge and gi halves.</summary>
    private static Network Cuba(int neurons, ulong seed)
    {
        var cuba = CubaNetwork.Build(new CubaParameters { Neurons = neurons }, seed);
        return CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, seed));
    }

    /// <summary>Independently of the mapper: for every neuron, the tiles of the macros whose columns (mod the population's size) feed it, one entry per macro.</summary>
    private static List<int>[] FeedingTiles(ChipProgram program, string population)
    {
        var size = program[population].OutputTile.Length;
        var feeding = Enumerable.Range(0, size).Select(_ => new List<int>()).ToArray();
        foreach (var node in program.Nodes.Where(n => n.Kind == ChipNodeKind.Crossbar))
            foreach (var tile in node.Matrices.SelectMany(m => m.Matrix.Tiles))
                for (var c = tile.ColumnStart; c < tile.ColumnStart + tile.ColumnCount; c++) feeding[c % size].Add(tile.Tile);
        return feeding;
    }

    private static int Hops(int a, int b, int width) => Math.Abs(a % width - b % width) + Math.Abs(a / width - b / width);

    /// <summary>The feeding tile with the fewest hops summed over the feeding macros (lowest index on a tie): brute force.</summary>
    private static int Best(List<int> feeding, int width) =>
        feeding.Distinct().Select(t => (Cost: feeding.Sum(u => Hops(u, t, width)), Tile: t)).Min().Tile;

    private static int[] TileOfEachNeuron(ChipNode population)
    {
        var tiles = new int[population.OutputTile.Length];
        Array.Fill(tiles, -1);
        foreach (var s in population.Slices)
            for (var j = s.First; j < s.First + s.Count; j++)
            {
                Assert.That(tiles[j], Is.EqualTo(-1), $"neuron {j} placed twice");
                tiles[j] = s.Tile;
            }
        Assert.That(tiles, Is.All.GreaterThanOrEqualTo(0), "every neuron placed");
        return tiles;
    }

    [Test]
    public void With_room_every_neuron_sits_on_the_feeding_tile_nearest_all_its_macros()
    {
        foreach (var order in new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor })
        {
            var spec = Spec(NeuronPlacement.NearSynapses, order);
            var program = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(spec), 1);
            var population = program[CubaChipNetwork.Neurons];
            var tiles = TileOfEachNeuron(population);
            Assert.That(population.OutputTile, Is.EqualTo(tiles));
            var feeding = FeedingTiles(program, CubaChipNetwork.Neurons);
            for (var j = 0; j < tiles.Length; j++)
                Assert.That(tiles[j], Is.EqualTo(Best(feeding[j], spec.Noc.Width)), $"{order}: neuron {j}");
            Assert.That(population.Slices.Select(s => s.Tile).Distinct().Count(), Is.GreaterThan(1), "the neurons follow their macros over several cores");
        }
    }

    [Test]
    public void Column_block_major_lays_a_column_blocks_macros_on_consecutive_macros_and_keeps_its_partial_sums_home()
    {
        var spec = Spec(NeuronPlacement.NearSynapses, MacroOrder.ColumnBlockMajor);
        var program = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(spec), 1);
        var rowMajor = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(Spec(NeuronPlacement.NearSynapses, MacroOrder.RowBlockMajor)), 1);
        foreach (var name in new[] { CubaChipNetwork.Excitatory, CubaChipNetwork.Inhibitory })
        {
            var byMacro = program[name].Matrices.SelectMany(m => m.Matrix.Tiles).OrderBy(t => t.Macro).ToList();
            Assert.That(byMacro.Select(t => t.ColumnStart), Is.Ordered, name);
            Assert.That(byMacro.Select(t => t.Macro), Is.EqualTo(Enumerable.Range(byMacro[0].Macro, byMacro.Count)), "the node keeps its range of macros");
            Assert.That(byMacro.All(t => t.Tile == t.Macro / spec.Chip.MacrosPerTile));
            // The blocks (and so the function pass's sums) are those of the row-block-major mapping, in the same order.
            Assert.That(program[name].Matrices.SelectMany(m => m.Matrix.Tiles).Select(t => (t.RowStart, t.ColumnStart)),
                Is.EqualTo(rowMajor[name].Matrices.SelectMany(m => m.Matrix.Tiles).Select(t => (t.RowStart, t.ColumnStart))));
        }
        var description = ChipProgramDescription.Describe(program);
        Assert.That((description.Placement, description.MacroOrder), Is.EqualTo(("near_synapses", "column_block_major")), "inspect says how the chip was laid out");
        // Every excitatory column block's neurons (ge inputs 0..N-1) sit on a tile holding one of its macros.
        var tiles = program[CubaChipNetwork.Neurons].OutputTile;
        foreach (var block in program[CubaChipNetwork.Excitatory].Matrices[0].Matrix.Tiles.GroupBy(t => t.ColumnStart))
        {
            var holding = block.Select(t => t.Tile).ToHashSet();
            var neurons = Enumerable.Range(block.Key, block.First().ColumnCount).Where(j => j < tiles.Length);
            Assert.That(neurons.Count(j => holding.Contains(tiles[j])), Is.GreaterThan(neurons.Count() / 2), $"column block at {block.Key}");
        }
    }

    [Test]
    public void Cores_never_overflow_and_a_neuron_leaves_its_feeding_tiles_only_when_they_are_full()
    {
        Gen.Select(Gen.Int[300, 1200], Gen.Int[60, 700], Gen.Bool, Gen.ULong[1, 1000]).Sample((neurons, perCore, columnMajor, seed) =>
        {
            var spec = Spec(NeuronPlacement.NearSynapses, columnMajor ? MacroOrder.ColumnBlockMajor : MacroOrder.RowBlockMajor, perCore, tiles: 16);
            if (neurons > 16 * perCore) return;
            var program = NetworkMapper.Map(Cuba(neurons, seed), new ChipModel(spec), 1);
            var population = program[CubaChipNetwork.Neurons];
            var tiles = TileOfEachNeuron(population);
            var load = new int[spec.Chip.Tiles];
            foreach (var t in tiles) load[t]++;
            Assert.That(load, Is.All.LessThanOrEqualTo(perCore));
            var feeding = FeedingTiles(program, CubaChipNetwork.Neurons);
            for (var j = 0; j < tiles.Length; j++)
                if (feeding[j].Count > 0 && !feeding[j].Contains(tiles[j]))
                    Assert.That(feeding[j].Distinct().Select(t => load[t]), Is.All.EqualTo(perCore), $"neuron {j} left its feeding tiles while one had room");
        }, iter: 12, threads: 1);
    }

    [Test]
    public void A_network_with_more_neurons_than_the_cores_hold_says_so()
    {
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(Cuba(1000, 1), new ChipModel(Spec(NeuronPlacement.NearSynapses, MacroOrder.RowBlockMajor, 50)), 1))!;
        Assert.That(ex.Message, Does.Contain("1000 neurons").And.Contain("hold 800").And.Contain("chip.neurons_per_core"));
    }

    [Test]
    public void The_row_address_tables_sized_before_mapping_are_those_the_mapping_needs()
    {
        foreach (var order in new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor })
        {
            var chip = new ChipModel(Spec(NeuronPlacement.NearSynapses, order, tiles: 16, wordLines: WordLineMapping.Compacted));
            var network = Cuba(1500, 3);
            var planned = NetworkMapper.RowTableEntriesPerTile(network, chip);
            var program = NetworkMapper.Map(network, chip, 1);
            Assert.That((planned.Max(), planned.Count(e => e > 0)), Is.EqualTo((program.RowTableEntriesMax, program.RowTableTiles)), order.ToString());
            var packed = NetworkMapper.RowTableEntriesPerTile(network, new ChipModel(Spec(NeuronPlacement.Packed, order, tiles: 16, wordLines: WordLineMapping.Compacted)));
            Assert.That(planned.Max(), Is.LessThan(packed.Max()), "sources spread over the macros' tiles share the tables");
        }
    }

    [TestCase(MacroOrder.RowBlockMajor)]
    [TestCase(MacroOrder.ColumnBlockMajor)]
    public void Cuba_near_its_synapses_reproduces_the_functional_spikes_in_less_hardware_time(MacroOrder order)
    {
        var small = new CubaParameters { Neurons = 1000 };
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var packed = CubaOnChip.Run(spec, small, 0.03, 3);
        var near = CubaOnChip.Run(spec with
        {
            Chip = spec.Chip with { NeuronPlacement = NeuronPlacement.NearSynapses },
            Mapping = spec.Mapping with { MacroOrder = order },
        }, small, 0.03, 3);
        Assert.That(near.SpikeTrainHash, Is.EqualTo(CubaOnChip.FunctionalSpikeTrainHash(small, 0.03, 3)));
        Assert.That((packed.NeuronPlacement, near.NeuronPlacement), Is.EqualTo(("packed", "near_synapses")));
        Assert.That(near.NeuronCores, Is.GreaterThan(packed.NeuronCores));
        Assert.That(near.MeanStepLatencyNs, Is.LessThan(packed.MeanStepLatencyNs), "the neuron cores share the population");
        Assert.That(near.NocPacketsPerStep, Is.GreaterThan(0));
    }

    [Test]
    public void The_keys_are_read_and_a_bad_value_names_the_file_the_line_and_the_choices()
    {
        const string minimal = "name: x\nmacro:\n  rows: 64\n  columns: 64\n  device:\n    ron_ohm: 1e5\n";
        var defaults = ArchitectureLoader.Parse(minimal, "arch.yaml");
        Assert.That((defaults.Chip.NeuronPlacement, defaults.Mapping.MacroOrder), Is.EqualTo((NeuronPlacement.Packed, MacroOrder.RowBlockMajor)));
        var spec = ArchitectureLoader.Parse(minimal + "chip:\n  neuron_placement: near_synapses\nmapping:\n  macro_order: column_block_major\n", "arch.yaml");
        Assert.That((spec.Chip.NeuronPlacement, spec.Mapping.MacroOrder), Is.EqualTo((NeuronPlacement.NearSynapses, MacroOrder.ColumnBlockMajor)));
        Assert.That(NeuronPlacementNames.All.Select(NeuronPlacementNames.Parse),
            Is.EqualTo(new[] { NeuronPlacement.Packed, NeuronPlacement.Spread, NeuronPlacement.ByLayer, NeuronPlacement.NearSynapses }));
        Assert.That(MacroOrderNames.All.Select(MacroOrderNames.Parse), Is.EqualTo(new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor }));
        Assert.That(NeuronPlacementNames.Name(NeuronPlacement.NearSynapses), Is.EqualTo("near_synapses"));
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "chip:\n  neuron_placement: nearest\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (chip.neuron_placement)").And.Contain("'nearest' is not one of packed, spread, by_layer, near_synapses"));
        ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  macro_order: diagonal\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (mapping.macro_order)").And.Contain("row_block_major, column_block_major"));
    }
}
