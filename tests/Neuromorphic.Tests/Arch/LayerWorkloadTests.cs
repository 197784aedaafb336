using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>The probe layer's form and its weight statistic (on_cells).</summary>
public sealed class LayerWorkloadTests
{
    [Test]
    public void ParsesOnCells()
    {
        var w = LayerWorkload.Parse("layer:128x64,inputs=13,on_cells=0.32,seed=5");
        Assert.That((w.Inputs, w.Outputs, w.ActiveInputs, w.Seed, w.OnCellFraction), Is.EqualTo((128, 64, 13, 5UL, (double?)0.32)));
        Assert.That(LayerWorkload.Parse("layer:8x8,inputs=1").OnCellFraction, Is.Null);
    }

    [TestCase("layer:8x8,inputs=1,on_cells=1.5")]
    [TestCase("layer:8x8,inputs=1,on_cells=-0.1")]
    [TestCase("layer:8x8,inputs=1,on_cells=x")]
    public void RejectsBadOnCells(string text) =>
        Assert.That(() => LayerWorkload.Parse(text), Throws.InstanceOf<FormatException>().With.Message.Contains("on_cells"));

    [TestCase(0.1)]
    [TestCase(0.32)]
    [TestCase(0.8)]
    public void OffsetBinaryCodesHaveTheAskedShareOfOnes(double p)
    {
        // The offset-binary code the crossbar stores: round(|w| x 127) signed, + 127, on 8 cells.
        var w = new LayerWorkload(128, 128, 13, 3, p).DrawWeights(SignedWeightScheme.OffsetBinary, 7, new DeterministicRandom(3));
        double ones = 0;
        foreach (var x in w)
        {
            var q = (int)Math.Round(Math.Abs((double)x) * 127, MidpointRounding.AwayFromZero) * Math.Sign(x);
            ones += System.Numerics.BitOperations.PopCount((uint)(q + 127));
        }
        var share = ones / (w.Length * 8.0);
        // 131,072 Bernoulli bits: 5 standard deviations is under 0.007 (codes of 255 clamp to 254, rarer than 1 in 1,000 here).
        Assert.That(share, Is.EqualTo(p).Within(0.007 + Math.Pow(p, 8)));
    }

    [Test]
    public void UniformWeightsByDefault()
    {
        var w = new LayerWorkload(64, 64, 1, 1).DrawWeights(SignedWeightScheme.OffsetBinary, 7, new DeterministicRandom(1));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-1f));
        Assert.That(w.Max(), Is.LessThanOrEqualTo(1f));
        Assert.That(w.Average(x => (double)x), Is.EqualTo(0).Within(0.02));
    }
}

/// <summary>The floorplan section's PEs per tile (NeuroSim's 2 x 2 by default).</summary>
public sealed class FloorplanSectionTests
{
    [Test]
    public void PesPerTileIsReadAndMustDivideTheTile()
    {
        Assert.That(Presets.TryRead("rram-40nm-256kb", out var text, out _));
        Assert.That(ArchitectureLoader.Parse(text, "t.yaml").Floorplan.PesPerTile, Is.EqualTo(4), "4 macros per tile: 2 x 2 PEs");
        Assert.That(ArchitectureLoader.Parse(text + "\nfloorplan:\n  pes_per_tile: 1\n", "t.yaml").Floorplan.PesPerTile, Is.EqualTo(1));
        var ex = Assert.Throws<Neuromorphic.Traces.InputFormatException>(() => ArchitectureLoader.Parse(text + "\nfloorplan:\n  pes_per_tile: 3\n", "t.yaml"));
        Assert.That(ex!.Message, Does.Contain("pes_per_tile"));
    }
}
