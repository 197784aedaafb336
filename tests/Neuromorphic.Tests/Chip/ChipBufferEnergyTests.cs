using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>The tile I/O buffers are priced on the one chip path: every packet a tile receives is written into its buffer and read out once.</summary>
public class ChipBufferEnergyTests
{
    [Test]
    public void Every_layer_whose_macros_read_buffers_its_packets_and_no_other_does()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var program = NetworkMapper.Map(network, new ChipModel(ChipTestData.Ideal()), seed: 1);
        var executor = new ChipExecutor(program, 1e-4, seed: 1);
        executor.RunSample(SpikeRaster.Load(ChipTestData.BrailleInput));
        var result = executor.Finish();

        long Bits(string layer, string action) => result.Account.Lines
            .Where(l => l.Layer == layer && l.Component == TileIoBuffer.Component && l.Action == action).Sum(l => l.Count);
        var reading = result.Layers.Where(l => l.Reads > 0).ToList();
        Assert.That(reading, Is.Not.Empty);
        foreach (var layer in result.Layers)
        {
            var written = Bits(layer.Node, TileIoBuffer.WriteBitAction);
            Assert.That(Bits(layer.Node, TileIoBuffer.ReadBitAction), Is.EqualTo(written), layer.Node);
            if (layer.Reads > 0) Assert.That(written, Is.GreaterThan(0), $"{layer.Node} read its macros {layer.Reads} times");
            else Assert.That(written, Is.Zero, layer.Node);
        }
    }
}
