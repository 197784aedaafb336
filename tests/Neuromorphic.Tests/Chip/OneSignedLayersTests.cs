using System.Text.Json.Nodes;
using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <c>mapping.one_signed_layers</c>: a matrix whose non-zero weights share one sign goes on single cells (its sign in
/// the matrix's scale, the floor removed digitally), a mixed-sign one keeps the architecture's scheme; the reads equal
/// the exact integer products and the differential pairs' reads, at half the columns and conversions.
/// </summary>
public sealed class OneSignedLayersTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-onesigned-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>Ideal cells on small macros (16 rows, 32 columns, 8 rows a group, a 6-bit ADC that cannot clip below 21 levels a column).</summary>
    private static ChipModel Small(OneSignedLayers oneSigned, int weightBits = 1, int bitsPerCell = 1)
    {
        var ideal = ChipTestData.Ideal();
        return new ChipModel(ideal with
        {
            Macro = ideal.Macro with
            {
                Crossbar = ideal.Macro.Crossbar with { Rows = 16, Columns = 32, WeightBits = weightBits },
                Device = ideal.Macro.Device with { BitsPerCell = bitsPerCell },
                ParallelRows = 8,
            },
            Chip = ideal.Chip with { Tiles = 1 << 12 },
            Mapping = ideal.Mapping with { OneSignedLayers = oneSigned },
        });
    }

    /// <summary>y = W x through the mapped matrix's macros (binary x given by its active inputs), row blocks added in placement order.</summary>
    private static double[] Read(ChipModel chip, MappedMatrix mapped, IReadOnlyList<int> active, bool converted = false)
    {
        var y = new double[mapped.Outputs];
        var ledger = new Ledger();
        foreach (var t in mapped.Tiles)
        {
            var rows = active.Where(i => i >= t.RowStart && i < t.RowStart + t.RowCount).Select(i => i - t.RowStart).ToArray();
            if (rows.Length == 0) continue;
            var macro = chip.CreateMacro(t.Array, ledger, mapped.Layer, mapped.Scale);
            var columns = new double[t.ColumnCount];
            macro.Execute(rows, 0, columns, null, forceFullPath: converted);
            for (var j = 0; j < columns.Length; j++) y[t.ColumnStart + j] += columns[j];
        }
        return y;
    }

    [Test]
    public void Single_cell_reads_equal_the_exact_integer_product_and_the_differential_pairs_read()
    {
        var gen = from outputs in Gen.Int[1, 40]
                  from inputs in Gen.Int[1, 40]
                  from density in Gen.Double[0, 1]
                  from weightBits in Gen.Int[1, 3]
                  from bitsPerCell in Gen.Int[1, 2]
                  from negative in Gen.Bool
                  from seed in Gen.Int
                  select (outputs, inputs, density, weightBits, bitsPerCell, negative, seed);
        gen.Sample(c =>
        {
            var steps = (1 << c.weightBits) - 1;
            var rng = new Random(c.seed);
            // Integer magnitudes in [1, steps], one of them steps (so the scale is steps and quantisation is exact), one sign.
            var pointers = new int[c.outputs + 1];
            var columns = new List<int>();
            var values = new List<float>();
            for (var o = 0; o < c.outputs; o++)
            {
                for (var i = 0; i < c.inputs; i++)
                {
                    if (rng.NextDouble() >= c.density) continue;
                    columns.Add(i);
                    values.Add((c.negative ? -1 : 1) * rng.Next(1, steps + 1));
                }
                pointers[o + 1] = columns.Count;
            }
            if (values.Count > 0) values[rng.Next(values.Count)] = (c.negative ? -1 : 1) * steps;
            var weights = new CsrMatrix(c.outputs, c.inputs, pointers, columns.ToArray(), values.ToArray());
            var active = Enumerable.Range(0, c.inputs).Where(_ => rng.NextDouble() < 0.5).ToList();
            var exact = new long[c.outputs];
            for (var o = 0; o < c.outputs; o++)
                for (var k = pointers[o]; k < pointers[o + 1]; k++)
                    if (active.Contains(columns[k])) exact[o] += (long)values[k];

            var (singleChip, pairChip) = (Small(OneSignedLayers.SingleCells, c.weightBits, c.bitsPerCell), Small(OneSignedLayers.SignedScheme, c.weightBits, c.bitsPerCell));
            var single = new Mapper(singleChip, 7).Map("w", weights);
            var pair = new Mapper(pairChip, 7).Map("w", weights);
            Assert.That(single.Tiles.All(t => t.Array.Parameters.SignedWeights == SignedWeightScheme.SingleCell), "one-signed: single cells");
            Assert.That(pair.Tiles.All(t => t.Array.Parameters.SignedWeights == SignedWeightScheme.DifferentialPair), "signed_scheme: pairs");
            if (values.Count > 0) Assert.That(single.Scale, Is.EqualTo(c.negative ? -steps : steps), "the layer's sign in its scale");
            foreach (var converted in new[] { false, true })
            {
                var (s, p) = (Read(singleChip, single, active, converted), Read(pairChip, pair, active, converted));
                for (var o = 0; o < c.outputs; o++)
                {
                    Assert.That(s[o], Is.EqualTo((double)exact[o]).Within(1e-9), $"output {o} (converted path {converted})");
                    Assert.That(s[o], Is.EqualTo(p[o]), $"output {o}: single cells and pairs read the same value (converted path {converted})");
                }
            }
        }, iter: 150);
    }

    [Test]
    public void An_all_negative_layer_reads_with_its_sign_and_a_mixed_sign_layer_keeps_the_pairs()
    {
        var chip = Small(OneSignedLayers.SingleCells, weightBits: 2);
        // W [outputs x inputs] = [[-3, 0], [-1, -2]]: |w| / 3 on 2-bit magnitudes is exact; y = W x.
        var negative = new Mapper(chip, 1).Map("neg", [-3f, 0f, -1f, -2f], 2, 2);
        Assert.That((negative.Scale, negative.Storage, negative.Tiles[0].Array.PhysicalColumns), Is.EqualTo((-3.0, "single_cells", 4)),
            "2 slices of 1-bit cells a weight, one column each");
        Assert.That(negative.Tiles[0].Array.QuantisedSteps(), Is.EqualTo(new[] { 3, 1, 0, 2 }), "magnitudes, crossbar layout [inputs x outputs]");
        Assert.That(Read(chip, negative, [0, 1]), Is.EqualTo(new[] { -3.0, -3.0 }).Within(1e-12));
        Assert.That(Read(chip, negative, [1]), Is.EqualTo(new[] { 0.0, -2.0 }).Within(1e-12));
        Assert.That(Read(chip, negative, [0]), Is.EqualTo(new[] { -3.0, -1.0 }).Within(1e-12));

        var mixed = new Mapper(chip, 1).Map("mixed", [-3f, 0f, 1f, -2f], 2, 2);
        Assert.That((mixed.Scale, mixed.Storage, mixed.Tiles[0].Array.ColumnsPerLogical), Is.EqualTo((3.0, "differential_pair", 4)),
            "2 slices x (G+, G-)");
        Assert.That(Read(chip, mixed, [0, 1]), Is.EqualTo(new[] { -3.0, -1.0 }).Within(1e-12));

        // signed_scheme: the all-negative layer on pairs, the same read.
        var pairs = new Mapper(Small(OneSignedLayers.SignedScheme, weightBits: 2), 1).Map("neg", [-3f, 0f, -1f, -2f], 2, 2);
        Assert.That((pairs.Scale, pairs.Storage), Is.EqualTo((3.0, "differential_pair")));
        Assert.That(Read(Small(OneSignedLayers.SignedScheme, weightBits: 2), pairs, [0, 1]), Is.EqualTo(new[] { -3.0, -3.0 }).Within(1e-12));
    }

    [Test]
    public void A_read_converts_only_the_single_cells_columns_half_the_pairs()
    {
        // 8 inputs x 8 outputs of 1-bit positive weights: 8 physical columns on single cells, 16 on pairs; one group of 3 rows.
        var weights = Enumerable.Range(0, 64).Select(i => i % 3 == 0 ? 1f : 0f).ToArray();
        foreach (var (oneSigned, columns) in new[] { (OneSignedLayers.SingleCells, 8L), (OneSignedLayers.SignedScheme, 16L) })
        {
            var chip = Small(oneSigned);
            var mapped = new Mapper(chip, 1).Map("w", weights, 8, 8);
            var ledger = new Ledger();
            var macro = chip.CreateMacro(mapped.Tiles[0].Array, ledger, "w", mapped.Scale);
            macro.Execute([0, 3, 5], 0, new double[8], null, forceFullPath: true);
            Assert.That(mapped.Tiles[0].Array.PhysicalColumns, Is.EqualTo(columns));
            Assert.That(ledger.Count(chip.Adc.Component, "w", Adc.ConversionAction), Is.EqualTo(columns), $"{oneSigned}: one conversion per physical column");
            Assert.That(macro.AdcCount, Is.EqualTo(columns / 8), "8 columns per ADC");
        }
    }

    [Test]
    public void Cuba_4000_takes_74_macros_on_single_cells_and_146_on_pairs_as_counted_by_hand()
    {
        // CUBA-4000 on rram-40nm-256kb (512 x 512 cells of 1 bit): each projection is [8000 x 4000], binary and positive.
        // excitatory: sources 0..3199 have synapses (3200 word lines: 7 row blocks of 512), targets 0..3999 (ge);
        // inhibitory: sources 3200..3999 (800 word lines: 2 row blocks), targets 4000..7999 (gi). With p = 0.02 every
        // block of the grid that meets those ranges holds synapses. Single cells, 512 weight columns a macro:
        // excitatory 7 x ceil(4000 / 512) = 7 x 8 = 56, inhibitory 2 x (blocks 7..15) = 2 x 9 = 18: 74.
        // Pairs, 256 a macro: 7 x 16 = 112 and 2 x (blocks 15..31) = 2 x 17 = 34: 146.
        var cuba = CubaNetwork.Build(new CubaParameters { Neurons = 4000 }, 1);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, 1));
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        int Macros(OneSignedLayers oneSigned, string node) =>
            NetworkMapper.MacrosOf(network[node], new ChipModel(spec with { Mapping = spec.Mapping with { OneSignedLayers = oneSigned } }));
        var excitatory = (SparseNode)network[CubaChipNetwork.Excitatory];
        var inhibitory = (SparseNode)network[CubaChipNetwork.Inhibitory];
        Assert.That(excitatory.Weights.ColumnIndices.Distinct().Count(), Is.EqualTo(3200), "the hand count's word lines");
        Assert.That(inhibitory.Weights.ColumnIndices.Distinct().Count(), Is.EqualTo(800));
        Assert.That(excitatory.Weights.Values.Concat(inhibitory.Weights.Values).All(v => v > 0), "binary, one-signed");
        Assert.That((Macros(OneSignedLayers.SingleCells, CubaChipNetwork.Excitatory), Macros(OneSignedLayers.SingleCells, CubaChipNetwork.Inhibitory)),
            Is.EqualTo((56, 18)));
        Assert.That((Macros(OneSignedLayers.SignedScheme, CubaChipNetwork.Excitatory), Macros(OneSignedLayers.SignedScheme, CubaChipNetwork.Inhibitory)),
            Is.EqualTo((112, 34)));
        var sized = spec with { Chip = spec.Chip with { Tiles = 25 }, Noc = spec.Noc with { Width = 5, Height = 5 } };
        var program = NetworkMapper.Map(network, new ChipModel(sized), 1);
        Assert.That(program.MacrosUsed, Is.EqualTo(74));
        Assert.That(program[CubaChipNetwork.Excitatory].Matrices[0].Matrix.Storage, Is.EqualTo("single_cells"));
    }

    [TestCase("single_cells")]
    [TestCase("signed_scheme")]
    public void Cuba_on_an_ideal_device_spikes_as_the_functional_run_either_way(string oneSigned)
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        spec = spec with { Mapping = spec.Mapping with { OneSignedLayers = ArchitectureChoices.OneSignedLayers.Parse(oneSigned) } };
        var parameters = new CubaParameters { Neurons = 1000 };
        var report = CubaOnChip.Run(spec, parameters, 0.05, 3);
        Assert.That(report.SpikeTrainHash, Is.EqualTo(CubaOnChip.FunctionalSpikeTrainHash(parameters, 0.05, 3)));
        Assert.That(report.Functional.Spikes, Is.GreaterThan(0));
        // 1000 neurons: excitatory 800 word lines (2 row blocks) over targets 0..999, inhibitory 200 (1) over 1000..1999:
        // single cells (512 a macro) 2 x 2 + 1 x (blocks 1..3); pairs (256) 2 x 4 + 1 x (blocks 3..7).
        Assert.That(report.Macros, Is.EqualTo(oneSigned == "single_cells" ? 2 * 2 + 1 * 3 : 2 * 4 + 1 * 5));
    }

    [Test]
    public void The_key_is_read_and_a_bad_value_names_the_file_the_line_and_the_choices()
    {
        const string minimal = "name: x\nmacro:\n  rows: 64\n  columns: 64\n  device:\n    ron_ohm: 1e5\n";
        Assert.That(ArchitectureLoader.Parse(minimal, "arch.yaml").Mapping.OneSignedLayers, Is.EqualTo(OneSignedLayers.SingleCells));
        Assert.That(ArchitectureLoader.Parse(minimal + "mapping:\n  one_signed_layers: signed_scheme\n", "arch.yaml").Mapping.OneSignedLayers,
            Is.EqualTo(OneSignedLayers.SignedScheme));
        Assert.That(ArchitectureChoices.OneSignedLayers.All.Select(ArchitectureChoices.OneSignedLayers.Parse), Is.EqualTo(new[] { OneSignedLayers.SingleCells, OneSignedLayers.SignedScheme }));
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal + "mapping:\n  one_signed_layers: unipolar\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (mapping.one_signed_layers)").And.Contain("'unipolar' is not one of single_cells, signed_scheme"));
        // The architecture's scheme must store signed weights: single cells are the mapper's choice per layer, not a chip's.
        ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(minimal.Replace("  rows: 64", "  rows: 64\n  signed_weights: single_cell"), "arch.yaml"))!;
        Assert.That(ex.Message, Does.Contain("(macro.signed_weights)"));
    }

    [Test]
    public void The_cli_exits_2_on_a_bad_value_and_inspect_says_how_each_layer_is_stored()
    {
        var arch = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(arch, "name: x\nmacro:\n  device:\n    ron_ohm: 1e5\nmapping:\n  one_signed_layers: pairs\n");
        var (exit, _, error) = CliRunner.Run("inspect", FixturePaths.Nir("two_lif_neurons.nir"), "--arch", arch);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("bad.yaml: line 6 (mapping.one_signed_layers)"));
        (exit, _, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.01", "--one-signed-layers", "pairs");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("pairs").And.Contain("single_cells"));

        // two_lif_neurons: two 1 x 1 Linear layers of positive weight (single cells); the Sinabs CNN's layers are mixed-sign (pairs).
        JsonNode Inspect(string net, string architecture)
        {
            var (code, output, err) = CliRunner.Run("inspect", FixturePaths.Nir(net), "--arch", architecture, "--json");
            Assert.That(code, Is.EqualTo(0), err);
            return JsonNode.Parse(output)!;
        }
        string[] Weights(JsonNode json) => json["nodes"]!.AsArray().Where(n => n!["on"]!.GetValue<string>() == "rram").Select(n => n!["weights"]!.GetValue<string>()).ToArray();
        var json = Inspect("two_lif_neurons.nir", "rram-40nm-256kb");
        Assert.That((json["one_signed_layers"]!.GetValue<string>(), Weights(json)), Is.EqualTo(("single_cells", new[] { "single_cells", "single_cells" })));
        Assert.That(Weights(Inspect("cnn_sinabs.nir", "rram-40nm-256kb")), Is.EqualTo(Enumerable.Repeat("differential_pair", 5)));
        var pairs = Path.Combine(_dir, "pairs.yaml");
        Presets.TryRead("rram-40nm-256kb", out var preset, out _);
        File.WriteAllText(pairs, preset + "\nmapping:\n  one_signed_layers: signed_scheme\n");
        Assert.That(Weights(Inspect("two_lif_neurons.nir", pairs)), Is.All.EqualTo("differential_pair"));
        Assert.That(Weights(Inspect("two_lif_neurons.nir", "neurosim-v14-rram-32nm")), Is.All.EqualTo("offset_binary"), "NeuroSim's chip: offset binary for every layer");
        var (exitText, text, _) = CliRunner.Run("inspect", FixturePaths.Nir("two_lif_neurons.nir"), "--arch", "rram-40nm-256kb");
        Assert.That(exitText, Is.EqualTo(0));
        Assert.That(text, Does.Contain("single cells").And.Contain("one-signed layers single_cells"));
    }
}
