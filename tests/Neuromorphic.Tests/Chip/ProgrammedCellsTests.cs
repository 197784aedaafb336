using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// Cells programmed in place (the LSM's stochastic conductances) placed by the one mapper: single
/// cells and differential pairs read back as gain x (G - G_min) and gain x (G+ - G-); inputs without
/// a synapse take no word line and their spikes cause no reads.
/// </summary>
public sealed class ProgrammedCellsTests
{
    private static readonly RramDevice Device = new(new RramDeviceParameters { RonOhm = 1e4, OnOffRatio = 100 });

    [Test]
    public void A_pair_array_decodes_the_difference_of_its_cells()
    {
        // Two rows, two pairs; conductances in siemens off the level grid.
        double us = 1e-6, gmin = Device.GMin;
        double[] positive = [20 * us, gmin, 35.5 * us, 12.25 * us];
        double[] negative = [gmin, 7 * us, 35.5 * us, gmin];
        var array = CrossbarArray.FromConductancePairs(positive, negative, 2, 2, new CrossbarParameters { Rows = 8, Columns = 8 }, Device);
        Assert.That((array.PhysicalColumns, array.ColumnsPerLogical), Is.EqualTo((4, 2)));
        var currents = new double[4];
        array.ReadCurrents([0, 1], currents, null);
        var decoded = new double[2];
        array.Decode(currents, 2, decoded);
        var spacing = Device.LevelSpacing;
        Assert.That(decoded[0], Is.EqualTo((20 * us - gmin + 35.5 * us - 35.5 * us) / spacing).Within(1e-9));
        Assert.That(decoded[1], Is.EqualTo((gmin - 7 * us + 12.25 * us - gmin) / spacing).Within(1e-9));
        Assert.That(array.QuantisedWeights()[1], Is.EqualTo((float)((gmin - 7 * us) / spacing)).Within(1e-5));
    }

    /// <summary>in(4) -> w (3 x 4, input 2 unconnected) -> IF -> out; w's cells given as pairs or single cells.</summary>
    private static (Network Network, ProgrammedCells Cells) Net(bool pairs)
    {
        double us = 1e-6, gmin = Device.GMin, gain = 0.05;
        var positive = new double[12];
        var negative = new double[12];
        Array.Fill(positive, gmin);
        Array.Fill(negative, gmin);
        var weights = new float[12];
        for (var o = 0; o < 3; o++)
            foreach (var j in new[] { 0, 1, 3 })
            {
                var k = o * 4 + j;
                positive[k] = (10 + 7 * o + 3 * j) * us;
                if (pairs && (o + j) % 2 == 1) negative[k] = (30 + o) * us;
                weights[k] = (float)(gain * ((positive[k] - gmin) - (negative[k] - gmin)) * 1e6);
            }
        var network = new Network(
            [
                new InputNode("in", [4]),
                new SparseNode("w", CsrMatrix.FromDense(weights, 3, 4)),
                new NeuronNode("pop", new IntegratorModel(NeuronModel.Fill(3, 1), NeuronModel.Fill(3, 1.7))),
                new OutputNode("out", [3]),
            ],
            [new("in", "w"), new("w", "pop"), new("pop", "out")]);
        return (network, new ProgrammedCells(positive, pairs ? negative : null, gain));
    }

    /// <summary>The LSM's architecture, exact: no read noise, a 16-bit ADC over 64 levels (cannot clip), a 32-bit core.</summary>
    private static ChipModel Exact()
    {
        var spec = Lsm.LsmTestData.Preset.Architecture;
        return new ChipModel(spec with
        {
            Macro = spec.Macro with
            {
                Adc = spec.Macro.Adc with { Bits = 16 },
                AdcFullScaleLevels = 64,
                Device = spec.Macro.Device with { ReadNoiseSigma = 0 },
            },
            NeuronCore = spec.NeuronCore with { MembraneBits = 32, FractionBits = 16 },
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Given_cells_compute_the_networks_weights_and_unconnected_inputs_take_no_word_line(bool pairs)
    {
        var (network, cells) = Net(pairs);
        var chip = Exact();
        var program = NetworkMapper.Map(network, chip, 1, new Dictionary<string, ProgrammedCells> { ["w"] = cells });
        var matrix = program["w"].Matrices[0].Matrix;
        Assert.That(matrix.Inputs, Is.EqualTo(3), "input 2 has no synapse: three word lines");
        Assert.That(matrix.InputRows, Is.EqualTo(new[] { 0, 1, -1, 2 }));
        Assert.That(matrix.Tiles[0].Array.ColumnsPerLogical, Is.EqualTo(pairs ? 2 : 1));

        // Input 2 alone: no synapse, so no read; then a mix: the chip's spikes are the software's.
        var raster = new SpikeRaster(6, 4, [0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1]);
        var executor = new ChipExecutor(program, 1e-3, 1);
        var first = new ChipExecutor(program, 1e-3, 1);
        first.RunSample(new SpikeRaster(1, 4, [0, 0, 1, 0]));
        Assert.That(first.Finish().Layers.Single(l => l.Node == "w").Reads, Is.Zero, "a spike without a word line reads nothing");
        var chipOut = executor.RunSample(raster)["out"];
        var software = executor.LastSoftwareOutputs["out"];
        Assert.That(chipOut.CountNonZero(), Is.GreaterThan(0));
        for (var t = 0; t < 6; t++) Assert.That(chipOut.Row(t).ToArray(), Is.EqualTo(software.Row(t).ToArray()), $"step {t}");
    }

    [Test]
    public void Cells_of_the_wrong_shape_or_for_a_population_are_refused()
    {
        var (network, cells) = Net(true);
        var chip = Exact();
        Assert.That(() => NetworkMapper.Map(network, chip, 1, new Dictionary<string, ProgrammedCells> { ["w"] = cells with { Positive = new double[5] } }),
            Throws.TypeOf<MappingException>().With.Message.Contains("'w'"));
        Assert.That(() => NetworkMapper.Map(network, chip, 1, new Dictionary<string, ProgrammedCells> { ["pop"] = cells }),
            Throws.TypeOf<MappingException>().With.Message.Contains("'pop'"));
    }
}
