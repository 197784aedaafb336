using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>Third-party networks on the chip: the Braille SRNN and the Sinabs CNN of the NIR paper.</summary>
public class ChipAcceptanceTests
{
    private const double BrailleDt = 1e-4;

    [TestCase("braille_noDelay_bias_zero.nir")]
    [TestCase("braille_noDelay_noBias_subtract.nir")]
    public void Braille_on_an_ideal_chip_spikes_exactly_as_the_software(string file)
    {
        var spec = ChipTestData.Ideal();
        Assert.That(Math.Pow(2, spec.Macro.Adc.Bits) - 1, Is.GreaterThanOrEqualTo(spec.Macro.ParallelRows), "the ADC must not clip a row group's level sum");
        var network = NirReader.Read(FixturePaths.Nir(file));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var program = NetworkMapper.Map(network, new ChipModel(spec), seed: 1);
        var executor = new ChipExecutor(program, BrailleDt, seed: 1);
        var chip = executor.RunSample(input)["output"];

        // The reference is an independent run of the functional executor, not the chip's lock-step model.
        var software = new NetworkExecutor<float>(network, BrailleDt).Run(input, new RecordRequest(["lif1.lif"], [])).Outputs["output"];
        Assert.That(chip.CountNonZero(), Is.GreaterThan(50), "the output layer must be active for the comparison to mean anything");
        Assert.That(chip.Data, Is.EqualTo(software.Data));
        var result = executor.Finish();
        Assert.That(result.Layers.Single(l => l.Node == "lif1.lif").CellAgreement, Is.EqualTo(1.0));
        Assert.That(result.Saturations, Is.Zero);
    }

    [Test]
    public void Braille_on_the_preset_reports_agreement_per_layer()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var program = NetworkMapper.Map(network, new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb")), seed: 1);
        var executor = new ChipExecutor(program, BrailleDt, seed: 1);
        executor.RunSample(input);
        var result = executor.Finish();
        foreach (var name in new[] { "lif1.lif", "lif2" })
        {
            var layer = result.Layers.Single(l => l.Node == name);
            Assert.That(layer.CellAgreement, Is.InRange(0.0, 1.0), name);
            Assert.That(layer.SoftwareSpikes, Is.GreaterThan(0), name);
        }
        // Binary weights and a 4-bit ADC change the network: the preset must not pass for exact.
        Assert.That(result.Layers.Single(l => l.Node == "lif1.lif").CellAgreement, Is.LessThan(1.0));
        Assert.That(result.EnergyJ, Is.GreaterThan(0));
        Assert.That(result.StepLatencyCycles, Has.Length.EqualTo(input.Timesteps));
    }

    [Test]
    public void A_conv_layer_reads_once_per_active_output_position_and_row_group()
    {
        var network = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        var events = EventFile.Read(ChipTestData.Nmnist);
        var input = EventBinning.ToRaster(events, new BinningOptions { BinUs = 1000, CropWidth = 34, CropHeight = 34 });
        input = new SpikeRaster(60, input.Channels, input.Data[..(60 * input.Channels)]);
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var program = NetworkMapper.Map(network, new ChipModel(spec), seed: 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1, golden: false);
        executor.RunSample(input);
        var result = executor.Finish();

        // Independent count from the raster: conv "0" is 2 -> 16 channels, 5 x 5 kernel, stride 2, padding 1 (Sinabs export).
        var conv = (Neuromorphic.Sim.Networks.ConvNode)network["0"];
        int k = conv.WeightShape[2], stride = conv.Stride[0], pad = conv.Padding[0], ih = conv.InputSpatial[0], iw = conv.InputSpatial[1];
        int oh = conv.OutputSpatial[0], ow = conv.OutputSpatial[1], group = spec.Macro.ParallelRows;
        long expected = 0;
        for (var t = 0; t < input.Timesteps; t++)
        {
            var row = input.Row(t);
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    var groups = new HashSet<int>();
                    for (var ci = 0; ci < conv.InputChannels; ci++)
                        for (var ky = 0; ky < k; ky++)
                            for (var kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw || row[(ci * ih + iy) * iw + ix] == 0) continue;
                                groups.Add(((ci * k + ky) * k + kx) / group);
                            }
                    expected += groups.Count;
                }
        }
        Assert.That(expected, Is.GreaterThan(100));
        Assert.That(result.Layers.Single(l => l.Node == "0").Reads, Is.EqualTo(expected));
        Assert.That(result.Layers.Single(l => l.Node == "0").EnergyPj, Is.GreaterThan(0));
        Assert.That(result.Layers.Single(l => l.Node == "0").BusyCycles, Is.GreaterThan(0));
    }
}
