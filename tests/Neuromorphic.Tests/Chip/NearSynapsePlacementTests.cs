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
/// over capacity or (while another core has room under it) over the balance cap, each run whole on the feeding tile
/// nearest (in XY hops) to all the macros feeding it unless that core is at the cap; the chip's spikes stay the functional run's.
/// </summary>
public sealed class NearSynapsePlacementTests
{
    private static ArchitectureSpec Spec(NeuronPlacement placement, MacroOrder order, int neuronsPerCore = 4096, int tiles = 16,
        WordLineMapping wordLines = WordLineMapping.Dense, OneSignedLayers storage = OneSignedLayers.SignedScheme)
    {
        // The preset CUBA runs on (binary cells: 512 weight columns a macro on single cells, 256 on differential pairs, so
        // a small network still spreads over several tiles), on a square mesh of the tiles.
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var width = (int)Math.Sqrt(tiles);
        return spec with
        {
            Chip = spec.Chip with { NeuronPlacement = placement, NeuronsPerCore = neuronsPerCore, Tiles = tiles },
            Noc = spec.Noc with { Width = width, Height = tiles / width },
            Mapping = spec.Mapping with { MacroOrder = order, WordLines = wordLines, OneSignedLayers = storage },
        };
    }

    /// <summary>A small CUBA network on the chip path: one population, two recurrent sparse projections into its ge and gi halves.</summary>
    private static Network Cuba(int neurons, ulong seed)
    {
        var cuba = CubaNetwork.Build(new CubaParameters { Neurons = neurons }, seed);
        return CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, seed));
    }

    private static int Hops(int a, int b, int width) => Math.Abs(a % width - b % width) + Math.Abs(a / width - b / width);

    /// <summary>Independently of the mapper: every macro's outputs as neuron intervals [Start, End) mod the population's size, with its tile.</summary>
    private static List<(int Start, int End, int Tile)> MacroIntervals(ChipProgram program, string population)
    {
        var size = program[population].OutputTile.Length;
        var intervals = new List<(int, int, int)>();
        foreach (var node in program.Nodes.Where(n => n.Kind == ChipNodeKind.Crossbar))
            foreach (var tile in node.Matrices.SelectMany(m => m.Matrix.Tiles))
            {
                if (tile.ColumnCount >= size) { intervals.Add((0, size, tile.Tile)); continue; }
                var start = tile.ColumnStart % size;
                var end = start + tile.ColumnCount;
                if (end <= size) intervals.Add((start, end, tile.Tile));
                else { intervals.Add((start, size, tile.Tile)); intervals.Add((0, end - size, tile.Tile)); }
            }
        return intervals;
    }

    /// <summary>
    /// Replays the rule of docs/architecture.md ("Neurons near their synapses") run by run over one population's
    /// slices: every neuron placed once; no core above its capacity; the balance cap (the most neurons one macro
    /// feeds, the longest run or the even share over the feeding tiles, whichever is largest, rounded up to whole lane
    /// batches, at most the capacity) exceeded only once every core is at it; a run split only when no core had room
    /// for it whole; a whole run on the best feeding tile with room (fewest hops summed over the feeding macros, lowest
    /// index on a tie), else on the core with room nearest to the best feeding tile (or to the tile of the neuron before).
    /// </summary>
    /// <returns>The balance cap.</returns>
    private static int CheckRule(int size, IReadOnlyList<(int Start, int End, int Tile)> intervals, int tiles, int width, int perCore, int lanes,
        int[] usedBefore, IEnumerable<CoreSlice> slices)
    {
        var tileOf = new int[size];
        Array.Fill(tileOf, -1);
        foreach (var s in slices)
            for (var j = s.First; j < s.First + s.Count; j++)
            {
                Assert.That(tileOf[j], Is.EqualTo(-1), $"neuron {j} placed twice");
                tileOf[j] = s.Tile;
            }
        Assert.That(tileOf, Is.All.GreaterThanOrEqualTo(0), "every neuron placed");
        // Runs: the ranges between consecutive interval boundaries (there the set of feeding macros changes).
        var cuts = intervals.SelectMany(i => new[] { i.Start, i.End }).Append(0).Append(size).Distinct().Order().ToList();
        var runs = cuts.Zip(cuts.Skip(1)).ToList();
        var even = (size + Math.Max(1, intervals.Select(i => i.Tile).Distinct().Count()) - 1) / Math.Max(1, intervals.Select(i => i.Tile).Distinct().Count());
        var longest = Math.Max(intervals.Select(i => i.End - i.Start).DefaultIfEmpty(0).Max(), Math.Max(runs.Max(r => r.Second - r.First), even));
        var cap = Math.Min(perCore, (longest + lanes - 1) / lanes * lanes);
        var used = (int[])usedBefore.Clone();
        var taken = new int[tiles];
        int Room(int t) => Math.Min(cap - taken[t], perCore - used[t]);
        foreach (var (start, end) in runs)
        {
            var length = end - start;
            var feeding = intervals.Where(i => i.Start <= start && start < i.End).Select(i => i.Tile).ToList();
            var ranked = feeding.Distinct().OrderBy(t => (feeding.Sum(u => Hops(u, t, width)), t)).ToList();
            if (ranked.Count == 0 && start > 0) ranked.Add(tileOf[start - 1]);
            var home = ranked.Count > 0 ? ranked[0] : 0;
            var on = tileOf[start..end].Distinct().ToList();
            if (Enumerable.Range(0, tiles).Any(t => Room(t) >= length))
            {
                var expected = ranked.Where(t => Room(t) >= length).Select(t => (int?)t).FirstOrDefault()
                    ?? Enumerable.Range(0, tiles).Where(t => Room(t) >= length).OrderBy(t => (Hops(home, t, width), t)).First();
                Assert.That(on, Is.EqualTo(new[] { expected }), $"run [{start}, {end}) of {size} (cap {cap}) goes whole to tile {expected}");
            }
            for (var j = start; j < end; j++) { taken[tileOf[j]]++; used[tileOf[j]]++; }
        }
        Assert.That(used, Is.All.LessThanOrEqualTo(perCore), "no core above its capacity");
        if (taken.Any(n => n > cap)) Assert.That(Enumerable.Range(0, tiles).All(t => Room(t) <= 0), $"a core above the cap {cap} while another had room under it");
        return cap;
    }

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

    /// <summary>Both storages of CUBA's one-signed projections: single cells (the default), differential pairs.</summary>
    private static readonly OneSignedLayers[] Storages = [OneSignedLayers.SingleCells, OneSignedLayers.SignedScheme];

    [TestCaseSource(nameof(Storages))]
    public void Every_run_goes_whole_to_the_best_feeding_tile_with_room_under_the_balance_cap(OneSignedLayers storage)
    {
        foreach (var order in new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor })
        {
            var spec = Spec(NeuronPlacement.NearSynapses, order, storage: storage);
            var program = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(spec), 1);
            var population = program[CubaChipNetwork.Neurons];
            var cap = CheckRule(1500, MacroIntervals(program, CubaChipNetwork.Neurons), spec.Chip.Tiles, spec.Noc.Width, spec.Chip.NeuronsPerCore,
                spec.NeuronCore.Lanes, new int[spec.Chip.Tiles], population.Slices);
            // 512 x 512 binary cells: a macro feeds 512 neurons on single cells, 256 on pairs (one column each, two), more
            // than the even share of 1,500 over the tiles holding the macros (4 tiles of 13 macros; 7 of 25).
            var perMacro = storage == OneSignedLayers.SingleCells ? 512 : 256;
            Assert.That(cap, Is.EqualTo(perMacro), order.ToString());
            Assert.That(population.Slices.GroupBy(s => s.Tile).Select(g => g.Sum(s => s.Count)), Is.All.LessThanOrEqualTo(perMacro));
            Assert.That(population.Slices.Select(s => s.Tile).Distinct().Count(), Is.GreaterThanOrEqualTo((1500 + perMacro - 1) / perMacro),
                $"1,500 neurons, at most {perMacro} a core");
            Assert.That(population.OutputTile, Is.EqualTo(TileOfEachNeuron(population)));
        }
    }

    [TestCaseSource(nameof(Storages))]
    public void Column_block_major_lays_a_column_blocks_macros_on_consecutive_macros_and_keeps_its_partial_sums_home(OneSignedLayers storage)
    {
        var spec = Spec(NeuronPlacement.NearSynapses, MacroOrder.ColumnBlockMajor, storage: storage);
        var program = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(spec), 1);
        var rowMajor = NetworkMapper.Map(Cuba(1500, 2), new ChipModel(Spec(NeuronPlacement.NearSynapses, MacroOrder.RowBlockMajor, storage: storage)), 1);
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
        // Every excitatory column block's neurons (ge inputs 0..N-1) sit mostly on a tile holding one of the macros feeding
        // them (its own or the inhibitory projection's), and on one holding one of its own macros unless the tile holding
        // most of them is already at the balance cap with another block's neurons (then the run goes to the next best
        // feeding tile by hops, which may hold only inhibitory macros: CUBA-1,500 on single cells, the block at 1024).
        var population = program[CubaChipNetwork.Neurons];
        var tiles = population.OutputTile;
        var intervals = MacroIntervals(program, CubaChipNetwork.Neurons);
        var perTile = population.Slices.GroupBy(s => s.Tile).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
        var cap = CheckRule(tiles.Length, intervals, spec.Chip.Tiles, spec.Noc.Width, spec.Chip.NeuronsPerCore, spec.NeuronCore.Lanes,
            new int[spec.Chip.Tiles], population.Slices);
        var away = 0;
        foreach (var block in program[CubaChipNetwork.Excitatory].Matrices[0].Matrix.Tiles.GroupBy(t => t.ColumnStart))
        {
            var holding = block.Select(t => t.Tile).ToHashSet();
            var neurons = Enumerable.Range(block.Key, block.First().ColumnCount).Where(j => j < tiles.Length).ToList();
            Assert.That(neurons.Count(j => intervals.Any(i => i.Start <= j && j < i.End && i.Tile == tiles[j])), Is.EqualTo(neurons.Count),
                $"column block at {block.Key}: on feeding tiles");
            if (neurons.Count(j => holding.Contains(tiles[j])) > neurons.Count / 2) continue;
            away++;
            var most = block.GroupBy(t => t.Tile).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            Assert.That(neurons.Count(j => tiles[j] == most), Is.Zero, $"column block at {block.Key}");
            Assert.That(perTile[most], Is.EqualTo(cap), $"column block at {block.Key}: its main tile {most} is at the cap");
        }
        Assert.That(away, Is.EqualTo(storage == OneSignedLayers.SingleCells ? 1 : 0), "blocks whose neurons are away from their own macros");
    }

    [Test]
    public void Cores_never_overflow_and_every_run_follows_the_rule_whatever_the_capacity()
    {
        Gen.Select(Gen.Int[300, 1200], Gen.Int[60, 700], Gen.Bool, Gen.Bool, Gen.ULong[1, 1000]).Sample((neurons, perCore, columnMajor, pairs, seed) =>
        {
            var spec = Spec(NeuronPlacement.NearSynapses, columnMajor ? MacroOrder.ColumnBlockMajor : MacroOrder.RowBlockMajor, perCore, tiles: 16,
                storage: pairs ? OneSignedLayers.SignedScheme : OneSignedLayers.SingleCells);
            if (neurons > 16 * perCore) return;
            var program = NetworkMapper.Map(Cuba(neurons, seed), new ChipModel(spec), 1);
            CheckRule(neurons, MacroIntervals(program, CubaChipNetwork.Neurons), spec.Chip.Tiles, spec.Noc.Width, perCore, spec.NeuronCore.Lanes,
                new int[spec.Chip.Tiles], program[CubaChipNetwork.Neurons].Slices);
        }, iter: 12, threads: 1);
    }

    /// <summary>A chip of <paramref name="tiles"/> tiles, <paramref name="perCore"/> neurons a core (the mesh's width is the caller's).</summary>
    private static ChipParameters Cores(int tiles, int perCore) => new() { Tiles = tiles, NeuronsPerCore = perCore };

    [Test]
    public void Two_runs_that_the_old_rule_piled_on_one_core_go_to_two()
    {
        // A 2 x 2 mesh (tiles 0 1 / 2 3). Neurons 0-3 are fed by two macros on tile 0 and one on tile 1, neurons 4-7 by
        // two on tile 0 and one on tile 2. Tile 0 is one hop from the third macro, tiles 1 and 2 two hops from the
        // pair: both runs rank tile 0 first, and the old rule (a core full only at neurons_per_core) put all 8 there.
        var intervals = new List<(int, int, int)> { (0, 4, 0), (0, 4, 0), (0, 4, 1), (4, 8, 0), (4, 8, 0), (4, 8, 2) };
        // The cap: a macro feeds 4 neurons, the longest run is 4, the even share 8 / 3 tiles is 3: 4 a core. Tile 0 takes
        // the first run, is at the cap, and the second run goes to its next best feeding tile, 2.
        var slices = NearSynapsePlacement.PlacePopulation("p", 8, intervals, Cores(4, 100), lanes: 1, width: 2, new int[4]);
        Assert.That(slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 4), new CoreSlice(2, 4, 4) }));
        // With 8 lanes a core updates 4 neurons or 8 in one batch: the cap rounds up to 8 and both runs stay on tile 0.
        slices = NearSynapsePlacement.PlacePopulation("p", 8, intervals, Cores(4, 100), lanes: 8, width: 2, new int[4]);
        Assert.That(slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 8) }));
    }

    [Test]
    public void A_run_moves_whole_rather_than_split_over_a_partly_free_tile()
    {
        // As above, but another population already holds 3 of tile 0's 6 places: neither run fits there whole (the old rule
        // put 3 of the first run there and 1 on tile 1), so the first goes whole to tile 1, the second to tile 2.
        var intervals = new List<(int, int, int)> { (0, 4, 0), (0, 4, 0), (0, 4, 1), (4, 8, 0), (4, 8, 0), (4, 8, 2) };
        var used = new[] { 3, 0, 0, 0 };
        var slices = NearSynapsePlacement.PlacePopulation("p", 8, intervals, Cores(4, 6), lanes: 1, width: 2, used);
        Assert.That(slices, Is.EqualTo(new[] { new CoreSlice(1, 0, 4), new CoreSlice(2, 4, 4) }));
        Assert.That(used, Is.EqualTo(new[] { 3, 4, 4, 0 }), "the cores' counts are kept for the next population");
    }

    [Test]
    public void A_run_no_core_takes_whole_is_split_and_past_the_cap_only_when_every_core_is_at_it()
    {
        // Two tiles in a row, 5 neurons a core; one macro on tile 0 feeds all 8 neurons: cap min(5, 8) = 5. No core takes
        // the run whole: tile 0 takes 5, the nearest core with room, tile 1, the other 3.
        var slices = NearSynapsePlacement.PlacePopulation("p", 8, [(0, 8, 0)], Cores(2, 5), lanes: 1, width: 2, new int[2]);
        Assert.That(slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 5), new CoreSlice(1, 5, 3) }));
        // Cap 4 (a macro feeds 4); tile 1 holds 7 of another population's neurons out of 10. Neurons 0-3 go to tile 0;
        // 4-7 fit no core whole under the cap (tile 0 is at it, tile 1 has 3 places): tile 1 takes 3, and, every core
        // now at the cap, neuron 7 goes past it to the nearest core with room, tile 0.
        var used = new[] { 0, 7 };
        slices = NearSynapsePlacement.PlacePopulation("p", 8, [(0, 4, 0), (4, 8, 1)], Cores(2, 10), lanes: 1, width: 2, used);
        Assert.That(slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 4), new CoreSlice(1, 4, 3), new CoreSlice(0, 7, 1) }));
        Assert.That(used, Is.EqualTo(new[] { 5, 10 }));
    }

    [Test]
    public void A_full_chip_says_which_neuron_found_no_core()
    {
        var ex = Assert.Throws<MappingException>(() => NearSynapsePlacement.PlacePopulation("p", 9, [(0, 4, 0), (4, 9, 1)], Cores(2, 4), 1, 2, new int[2]))!;
        Assert.That(ex.Message, Is.EqualTo("placement near_synapses: population 'p' (9 neurons) finds no free core for neuron 8: "
            + "the chip has 2 tiles of 4 neurons; raise chip.tiles or chip.neurons_per_core"));
    }

    [Test]
    public void Any_macros_any_load_the_rule_holds_and_the_chip_full_is_the_only_failure()
    {
        var gen = from width in Gen.Int[1, 4]
                  from height in Gen.Int[1, 4]
                  from size in Gen.Int[1, 60]
                  from perCore in Gen.Int[1, 30]
                  from lanes in Gen.OneOf(1, 2, 4)
                  from macros in Gen.Select(Gen.Int[0, width * height - 1], Gen.Int[0, size - 1], Gen.Int[1, size]).Array[0, 8]
                  from used in Gen.Int[0, perCore].Array[width * height]
                  select (width, tiles: width * height, size, perCore, lanes, macros, used);
        gen.Sample(c =>
        {
            var intervals = c.macros.Select(m => (Start: m.Item2, End: Math.Min(c.size, m.Item2 + m.Item3), Tile: m.Item1)).ToList();
            var used = (int[])c.used.Clone();
            var room = c.used.Sum(u => c.perCore - u);
            if (room < c.size)
            {
                Assert.Throws<MappingException>(() => NearSynapsePlacement.PlacePopulation("p", c.size, intervals, Cores(c.tiles, c.perCore), c.lanes, c.width, used));
                return;
            }
            var slices = NearSynapsePlacement.PlacePopulation("p", c.size, intervals, Cores(c.tiles, c.perCore), c.lanes, c.width, used);
            CheckRule(c.size, intervals, c.tiles, c.width, c.perCore, c.lanes, c.used, slices);
            var expected = (int[])c.used.Clone();
            foreach (var s in slices) expected[s.Tile] += s.Count;
            Assert.That(used, Is.EqualTo(expected), "the cores' counts include the population");
        }, iter: 2000, threads: 1);
    }

    [Test]
    public void A_network_with_more_neurons_than_the_cores_hold_says_so()
    {
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(Cuba(1000, 1), new ChipModel(Spec(NeuronPlacement.NearSynapses, MacroOrder.RowBlockMajor, 50)), 1))!;
        Assert.That(ex.Message, Does.Contain("1000 neurons").And.Contain("hold 800").And.Contain("chip.neurons_per_core"));
    }

    [TestCaseSource(nameof(Storages))]
    public void The_row_address_tables_sized_before_mapping_are_those_the_mapping_needs(OneSignedLayers storage)
    {
        foreach (var order in new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor })
        {
            var chip = new ChipModel(Spec(NeuronPlacement.NearSynapses, order, tiles: 16, wordLines: WordLineMapping.Compacted, storage: storage));
            var network = Cuba(1500, 3);
            var planned = NetworkMapper.RowTableEntriesPerTile(network, chip);
            var program = NetworkMapper.Map(network, chip, 1);
            Assert.That((planned.Max(), planned.Count(e => e > 0)), Is.EqualTo((program.RowTableEntriesMax, program.RowTableTiles)), order.ToString());
            var packed = NetworkMapper.RowTableEntriesPerTile(network, new ChipModel(Spec(NeuronPlacement.Packed, order, tiles: 16, wordLines: WordLineMapping.Compacted, storage: storage)));
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
        Assert.That(ArchitectureChoices.NeuronPlacement.All.Select(ArchitectureChoices.NeuronPlacement.Parse),
            Is.EqualTo(new[] { NeuronPlacement.Packed, NeuronPlacement.Spread, NeuronPlacement.ByLayer, NeuronPlacement.NearSynapses }));
        Assert.That(ArchitectureChoices.MacroOrder.All.Select(ArchitectureChoices.MacroOrder.Parse), Is.EqualTo(new[] { MacroOrder.RowBlockMajor, MacroOrder.ColumnBlockMajor }));
        Assert.That(ArchitectureChoices.NeuronPlacement.Name(NeuronPlacement.NearSynapses), Is.EqualTo("near_synapses"));
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "chip:\n  neuron_placement: nearest\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (chip.neuron_placement)").And.Contain("'nearest' is not one of packed, spread, by_layer, near_synapses"));
        ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  macro_order: diagonal\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (mapping.macro_order)").And.Contain("row_block_major, column_block_major"));
    }
}
