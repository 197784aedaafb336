using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <c>mapping.word_lines: compacted</c>: per column block only the inputs with a synapse there take word
/// lines; the weights are those of the matrix, the chip computes the same spikes, dense layers are untouched,
/// and the row-address tables it needs are counted and priced.
/// </summary>
public sealed class CompactedWordLinesTests
{
    private static ArchitectureSpec WithWordLines(ArchitectureSpec spec, WordLineMapping mode) => spec with { Mapping = spec.Mapping with { WordLines = mode } };

    [Test]
    public void The_key_is_read_and_a_bad_value_names_the_file_the_line_and_the_choices()
    {
        const string minimal = "name: x\nmacro:\n  rows: 64\n  columns: 64\n  device:\n    ron_ohm: 1e5\n";
        Assert.That(ArchitectureLoader.Parse(minimal, "arch.yaml").Mapping.WordLines, Is.EqualTo(WordLineMapping.Dense));
        var spec = ArchitectureLoader.Parse(minimal + "mapping:\n  word_lines: compacted\n  row_table_entries: 1024\n", "arch.yaml");
        Assert.That((spec.Mapping.WordLines, spec.Mapping.RowTableEntries), Is.EqualTo((WordLineMapping.Compacted, 1024)));
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  word_lines: sparse\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (mapping.word_lines)").And.Contain("'sparse' is not one of dense, compacted"));
        Assert.That(Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  row_table_entries: 0\n", "arch.yaml"))!.Message,
            Does.Contain("(mapping.row_table_entries)"));
        Assert.That(Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  word_line: dense\n", "arch.yaml"))!.Message,
            Does.Contain("(mapping.word_line)").And.Contain("unknown key"));
    }

    [Test]
    public void Every_non_zero_sits_at_exactly_one_macro_row_and_column_and_nothing_else_is_stored()
    {
        // Small arrays (16 rows, 4-bit weights: a few weight columns per macro), so a matrix spreads over many macros.
        var ideal = ChipTestData.Ideal();
        var spec = WithWordLines(ideal with
        {
            Macro = ideal.Macro with { Crossbar = ideal.Macro.Crossbar with { Rows = 16, Columns = 64, WeightBits = 4 }, ParallelRows = 8, ColumnsPerAdc = 8 },
            Chip = ideal.Chip with { Tiles = 1 << 14 },
        }, WordLineMapping.Compacted);
        var chip = new ChipModel(spec);
        // Half the cases force one sign (all positive or all negative: single cells), the others draw both (mostly pairs).
        var gen = from outputs in Gen.Int[1, 60] from inputs in Gen.Int[1, 120] from density in Gen.Double[0, 0.3] from seed in Gen.Int
                  from sign in Gen.OneOf(Gen.Const(0), Gen.Const(0), Gen.Const(1), Gen.Const(-1))
                  select (outputs, inputs, density, seed, sign);
        gen.Sample(c =>
        {
            var weights = ChipTestData.RandomSparse(c.outputs, c.inputs, c.density, c.seed, c.sign);
            if (c.sign != 0 && weights.Values.Length > 0) Assert.That(Mapper.OnSingleCells(chip, weights.Values), "one sign: single cells");
            var mapped = new Mapper(chip, 1).MapCompacted("w", weights);
            var expected = new Dictionary<(int Output, int Input), float>();
            for (var o = 0; o < weights.Rows; o++)
                for (var k = weights.RowPointers[o]; k < weights.RowPointers[o + 1]; k++) expected[(o, weights.ColumnIndices[k])] = weights.Values[k];
            var found = new HashSet<(int, int)>();
            foreach (var t in mapped.Tiles)
            {
                var sources = t.WordLineSources!;
                Assert.That(sources, Has.Length.EqualTo(t.RowCount).And.Length.LessThanOrEqualTo(16).And.Ordered.Ascending);
                var steps = t.Array.QuantisedSteps();
                for (var i = 0; i < t.RowCount; i++)
                    for (var j = 0; j < t.ColumnCount; j++)
                    {
                        var q = steps[i * t.Array.LogicalColumns + j];
                        if (q == 0) continue;
                        var key = (t.ColumnStart + j, sources[i]);
                        Assert.That(expected.ContainsKey(key), $"a cell at {key} holds {q} but the matrix has no weight there");
                        Assert.That(found.Add(key), $"weight {key} is stored twice");
                        Assert.That((double)q / t.Array.MagnitudeSteps * mapped.Scale, Is.EqualTo(expected[key]).Within(Math.Abs(mapped.Scale) / t.Array.MagnitudeSteps));
                    }
            }
            Assert.That(found, Has.Count.EqualTo(expected.Count), "every non-zero is stored");
            Assert.That(mapped.NonZeros, Is.EqualTo(expected.Count));
            // A matrix whose weights share one sign holds twice the weight columns a macro (single cells, not pairs).
            var columns = Mapper.OnSingleCells(chip, weights.Values) ? chip.SingleCellColumnsPerMacro : chip.LogicalColumnsPerMacro;
            Assert.That(columns, Is.EqualTo(Mapper.OnSingleCells(chip, weights.Values) ? 16 : 8), "64 columns of 4-bit weights on 1-bit cells");
            Assert.That(mapped.Tiles, Has.Count.EqualTo(Mapper.CompactedMacros(weights, 16, columns)));
            // The row-address tables list each input's (macro, word line) pairs: one per column block it has a synapse in.
            var routes = mapped.Routes!;
            var entries = new int[weights.Columns];
            Mapper.AddRowTableEntries(weights, columns, entries);
            for (var e = 0; e < weights.Columns; e++)
            {
                Assert.That(routes.EntriesOf(e), Is.EqualTo(entries[e]));
                for (var k = routes.Start[e]; k < routes.Start[e + 1]; k++) Assert.That(mapped.Tiles[routes.Macro[k]].WordLineSources![routes.Row[k]], Is.EqualTo(e));
            }
            Assert.That(routes.Entries, Is.EqualTo(mapped.Tiles.Sum(t => t.RowCount)));
        }, iter: 120);
    }

    [Test]
    public void Column_blocks_programmed_in_parallel_give_the_same_cells_every_time_with_programming_error()
    {
        var ideal = ChipTestData.Ideal();
        var spec = WithWordLines(ideal with
        {
            Macro = ideal.Macro with { Device = ideal.Macro.Device with { ProgrammingSigma = 0.05 } },
            Chip = ideal.Chip with { Tiles = 1 << 12 },
        }, WordLineMapping.Compacted);
        var weights = ChipTestData.RandomSparse(3000, 2000, 0.002, 11);
        var a = new Mapper(new ChipModel(spec), 5).MapCompacted("w", weights);
        var b = new Mapper(new ChipModel(spec), 5).MapCompacted("w", weights);
        Assert.That(a.Tiles, Has.Count.GreaterThan(8));
        for (var k = 0; k < a.Tiles.Count; k++)
        {
            var (x, y) = (a.Tiles[k], b.Tiles[k]);
            Assert.That((y.Macro, y.RowStart, y.RowCount, y.ColumnStart, y.ColumnCount, y.WordLineSources),
                Is.EqualTo((x.Macro, x.RowStart, x.RowCount, x.ColumnStart, x.ColumnCount, x.WordLineSources)));
            // Every cell, exactly (double.Equals, as Is.EqualTo without a tolerance): 6 million cells in all, so one
            // Assert.That a macro, on the length of the common prefix, instead of one a cell (which took seconds). The
            // lengths first: a common prefix alone would pass an array with fewer or more physical columns.
            var (expected, actual) = (Cells(x.Array, x.RowCount), Cells(y.Array, y.RowCount));
            Assert.That(actual, Has.Length.EqualTo(expected.Length), $"macro {k}: cells (physical columns {y.Array.PhysicalColumns}, first time {x.Array.PhysicalColumns})");
            var same = actual.AsSpan().CommonPrefixLength(expected);
            Assert.That(same, Is.EqualTo(expected.Length),
                () => $"macro {k}: cell ({same / x.Array.PhysicalColumns}, {same % x.Array.PhysicalColumns}) is {actual[same]}, first time {expected[same]}");
        }
        static double[] Cells(Neuromorphic.Hw.Crossbar.CrossbarArray array, int rows)
        {
            var cells = new double[rows * array.PhysicalColumns];
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < array.PhysicalColumns; j++) cells[i * array.PhysicalColumns + j] = array.CellConductance(i, j);
            return cells;
        }
    }

    /// <summary>Input -> sparse projection -> integrate-and-fire population -> output.</summary>
    private static Network SparseNet(CsrMatrix weights)
    {
        var size = weights.Rows;
        return new Network(
        [
            new InputNode("in", [weights.Columns]), new SparseNode("syn", weights),
            new NeuronNode("lif", new IntegratorModel(NeuronModel.Fill(size, 1), NeuronModel.Fill(size, 2.5f))), new OutputNode("out", [size]),
        ], [new Edge("in", "syn"), new Edge("syn", "lif"), new Edge("lif", "out")]);
    }

    private static SpikeRaster RandomInput(int timesteps, int channels, double rate, int seed)
    {
        var rng = new Random(seed);
        return new SpikeRaster(timesteps, channels, Enumerable.Range(0, timesteps * channels).Select(_ => rng.NextDouble() < rate ? 1f : 0f).ToArray());
    }

    [Test]
    public void A_random_sparse_net_spikes_the_same_on_both_mappings_with_fewer_macros_and_reads_compacted()
    {
        var weights = ChipTestData.RandomSparse(300, 1500, 0.01, 7);
        var network = SparseNet(weights);
        var input = RandomInput(20, 1500, 0.05, 8);
        var spec = ChipTestData.Ideal(tiles: 64);
        var dense = NetworkMapper.Map(network, new ChipModel(spec), 1);
        var compacted = NetworkMapper.Map(network, new ChipModel(WithWordLines(spec, WordLineMapping.Compacted)), 1);
        Assert.That(compacted.MacrosUsed, Is.LessThan(dense.MacrosUsed));
        var denseRun = new ChipExecutor(dense, 1e-3, 1);
        var compactedRun = new ChipExecutor(compacted, 1e-3, 1);
        var a = denseRun.RunSample(input)["out"];
        var b = compactedRun.RunSample(input)["out"];
        Assert.That(a.CountNonZero(), Is.GreaterThan(0));
        Assert.That(b.Row(0).ToArray(), Is.EqualTo(a.Row(0).ToArray()));
        for (var t = 0; t < input.Timesteps; t++) Assert.That(b.Row(t).ToArray(), Is.EqualTo(a.Row(t).ToArray()), $"step {t}");
        Assert.That(compactedRun.LastSoftwareOutputs["out"].Row(19).ToArray(), Is.EqualTo(b.Row(19).ToArray()), "and the software's");
        var (rd, rc) = (denseRun.Finish(), compactedRun.Finish());
        var readsDense = rd.Layers.Single(l => l.Node == "syn").Reads;
        var readsCompacted = rc.Layers.Single(l => l.Node == "syn").Reads;
        Assert.That(readsCompacted, Is.LessThan(readsDense), "a spike reaches only the macros holding its rows");
        // Each spike reads one table entry per macro holding one of its rows.
        var entries = compactedRun.Ledger.Entries().Where(e => e.Key.Unit == RowAddressTable.Component).Sum(e => e.Count);
        long expected = 0;
        var routes = compacted["syn"].Matrices[0].Matrix.Routes!;
        for (var t = 0; t < input.Timesteps; t++)
            for (var e = 0; e < input.Channels; e++)
                if (input.Row(t)[e] != 0) expected += routes.EntriesOf(e);
        Assert.That(entries, Is.EqualTo(expected));
        Assert.That(denseRun.Ledger.Entries().Any(e => e.Key.Unit == RowAddressTable.Component), Is.False);
        Assert.That(rc.Account.Lines.Single(l => l.Component == RowAddressTable.Component && l.Action == RowAddressTable.ReadEntryAction).Count, Is.EqualTo(expected));
        // The inputs enter at tile 0: one tile looks sources up, so one table is built and leaks.
        Assert.That(compacted.RowTableTiles, Is.EqualTo(1));
        Assert.That(rc.Account.Lines.Single(l => l.Component == RowAddressTable.Component && l.Action == "leakage").Count, Is.EqualTo(1));
    }

    [Test]
    public void Dense_and_convolutional_layers_map_exactly_as_with_dense_word_lines()
    {
        var network = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        spec = spec with { Chip = spec.Chip with { Tiles = 64 }, Noc = spec.Noc with { Width = 8, Height = 8 } };
        var dense = NetworkMapper.Map(network, new ChipModel(spec), 1);
        var compacted = NetworkMapper.Map(network, new ChipModel(WithWordLines(spec, WordLineMapping.Compacted)), 1);
        Assert.That(compacted.MacrosUsed, Is.EqualTo(dense.MacrosUsed));
        for (var i = 0; i < dense.Nodes.Count; i++)
        {
            var (d, c) = (dense.Nodes[i].Matrices.SelectMany(m => m.Matrix.Tiles).ToList(), compacted.Nodes[i].Matrices.SelectMany(m => m.Matrix.Tiles).ToList());
            Assert.That(c.Select(t => (t.Macro, t.Tile, t.RowStart, t.RowCount, t.ColumnStart, t.ColumnCount)),
                Is.EqualTo(d.Select(t => (t.Macro, t.Tile, t.RowStart, t.RowCount, t.ColumnStart, t.ColumnCount))));
            Assert.That(c.All(t => t.WordLineSources is null));
            for (var k = 0; k < d.Count; k++) Assert.That(c[k].Array.QuantisedSteps(), Is.EqualTo(d[k].Array.QuantisedSteps()));
        }
        var description = ChipProgramDescription.Describe(compacted);
        Assert.That(description.WordLines, Is.EqualTo("compacted"));
        Assert.That(description.MacrosDense, Is.EqualTo(dense.MacrosUsed), "inspect says what the option changed: nothing here");
    }

    [Test]
    public void Cuba_on_the_compacted_chip_reproduces_the_functional_spikes()
    {
        var small = new CubaParameters { Neurons = 1000 };
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var dense = CubaOnChip.Run(spec, small, 0.03, 3);
        var compacted = CubaOnChip.Run(WithWordLines(spec, WordLineMapping.Compacted), small, 0.03, 3);
        Assert.That(compacted.SpikeTrainHash, Is.EqualTo(CubaOnChip.FunctionalSpikeTrainHash(small, 0.03, 3)));
        Assert.That(compacted.SpikeTrainHash, Is.EqualTo(dense.SpikeTrainHash));
        // At 1000 neurons (p = 0.08) nearly every source has a synapse in every column block: compaction saves little.
        Assert.That(compacted.Macros, Is.LessThanOrEqualTo(dense.Macros));
        Assert.That(compacted.Account.Lines.Any(l => l.Component == RowAddressTable.Component && l.Action == RowAddressTable.ReadEntryAction && l.Count > 0));
        Assert.That(compacted.Account.Lines.Any(l => l.Component == RowAddressTable.Component && l.Action == "leakage"));
    }

    [Test]
    public void A_row_address_table_too_small_for_a_tiles_sources_says_what_it_needs()
    {
        var network = SparseNet(ChipTestData.RandomSparse(300, 1500, 0.01, 7));
        var spec = ChipTestData.Ideal(tiles: 64);
        var small = spec with { Mapping = new MappingParameters { WordLines = WordLineMapping.Compacted, RowTableEntries = 10 } };
        var need = NetworkMapper.RowTableEntriesPerTile(network, new ChipModel(small)).Max();
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(network, new ChipModel(small), 1))!;
        Assert.That(ex.Message, Does.Contain($"need {need} row-address table entries").And.Contain("mapping.row_table_entries is 10"));
        Assert.That(NetworkMapper.RowTableEntriesPerTile(network, new ChipModel(spec)), Is.All.Zero, "the dense mapping has no table");
    }

    [Test]
    public void The_command_line_refuses_a_bad_value_with_exit_2_and_inspect_shows_the_option()
    {
        var dir = Path.Combine(Path.GetTempPath(), "compacted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Presets.TryRead("rram-40nm-256kb", out var preset, out _);
            var bad = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(bad, preset + "\nmapping:\n  word_lines: sparse\n");
            var net = FixturePaths.Nir("braille_noDelay_bias_zero.nir");
            var (exit, _, err) = CliRunner.Run("inspect", net, "--arch", bad);
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(err.Trim(), Does.Contain("bad.yaml: line").And.Contain("(mapping.word_lines): 'sparse' is not one of dense, compacted"));
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
            var good = Path.Combine(dir, "good.yaml");
            File.WriteAllText(good, preset + "\nmapping:\n  word_lines: compacted\n");
            var (ok, output, err2) = CliRunner.Run("inspect", net, "--arch", good);
            Assert.That(ok, Is.EqualTo(0), err2);
            // The table wraps at the terminal's width: compare with whitespace collapsed.
            Assert.That(System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), Does.Contain("word lines compacted").And.Contain("no sparse projection"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_row_table_is_priced_from_the_sram_model_with_its_source()
    {
        var spec = WithWordLines(ArchitectureLoader.Load("rram-40nm-256kb"), WordLineMapping.Compacted);
        var chip = new ChipModel(spec);
        var row = chip.Costs.Get(RowAddressTable.Component, RowAddressTable.ReadEntryAction);
        // 16 macros need 4 bits, 512 rows 9: 13-bit entries in a 64 Ki-entry table (106,496 B).
        var table = chip.RowTable!;
        Assert.That((table.MacroBits, table.RowBits, table.EntryBits), Is.EqualTo((4, 9, 13)));
        var perBit = 10.0 / 64 * Math.Sqrt(106496.0 / 8192) * Neuromorphic.Hw.Periphery.TechnologyNode.DynamicEnergyScale(40);
        Assert.That(row.EnergyPj, Is.EqualTo(13 * perBit).Within(1e-9));
        Assert.That(row.Source, Does.Contain("Horowitz"));
        Assert.That(new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb")).Costs.Actions.Any(a => a.Component == RowAddressTable.Component), Is.False,
            "dense runs keep their cost table");
    }
}
