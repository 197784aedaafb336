using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Models;

/// <summary>The papers' theoretical energy: E = 4.6 pJ FLOPs(first conv) + 0.9 pJ sum r T FLOPs.</summary>
public sealed class TheoreticalEnergyTests
{
    [Test]
    public void MetaSpikeFormer8x512IsLinearInAUniformRate()
    {
        var model = ModelZoo.Create("meta-spikeformer-8-512");
        double E(double r) => TheoreticalEnergy.Compute(model, _ => r);
        double e0 = E(0), e1 = E(0.1), e2 = E(0.2);
        var spikeDriven = model.Layers.Where(TheoreticalEnergy.Counts).Where(l => l != model.FirstConv).Sum(l => (double)l.Flops);
        TestContext.Out.WriteLine($"meta-spikeformer-8-512 T=4: first conv {model.FlopsFirstConv:N0} FLOPs, other counted FLOPs per timestep {spikeDriven:N0}");
        TestContext.Out.WriteLine($"E(0) = {e0 * 1e-9:0.000000} mJ, E(0.1) = {e1 * 1e-9:0.000000} mJ, E(0.2) = {e2 * 1e-9:0.000000} mJ");
        Assert.That(e2 - e1, Is.EqualTo(e1 - e0).Within(1e-9).Percent);
        Assert.That(e0, Is.EqualTo(4.6 * model.FlopsFirstConv).Within(1e-9).Percent);
        Assert.That(e1 - e0, Is.EqualTo(0.9 * 0.1 * 4 * spikeDriven).Within(1e-9).Percent);
    }

    [Test]
    public void TheFirstConvIsNotMultipliedByTButTheRestIs()
    {
        var t4 = ModelZoo.Create("sdt-v1-8-384");
        var t1 = ModelZoo.Create("sdt-v1-8-384", imageSize: 224, timesteps: 1, classes: 1000);
        var mac = 4.6 * t4.FlopsFirstConv;
        Assert.That(TheoreticalEnergy.Compute(t4, _ => 0.15) - mac, Is.EqualTo(4 * (TheoreticalEnergy.Compute(t1, _ => 0.15) - mac)).Within(1e-9).Percent);
        var terms = TheoreticalEnergy.Terms(t4, _ => 0.15);
        Assert.That(terms.Where(t => t.IsMac).Select(t => t.Layer), Is.EqualTo(new[] { "sps.conv0" }));
        Assert.That(terms.Select(t => t.Kind), Is.All.AnyOf(LayerKind.Conv, LayerKind.Linear, LayerKind.SdsaV1));
        Assert.That(terms, Has.Count.EqualTo(t4.Layers.Count(l => l.Kind is LayerKind.Conv or LayerKind.Linear or LayerKind.SdsaV1)));
    }

    [Test]
    public void RatesAreAskedPerLayerAndChecked()
    {
        var model = ModelZoo.Create("meta-spikeformer-8-384");
        var asked = new List<string>();
        TheoreticalEnergy.Compute(model, n => { asked.Add(n); return 0.2; });
        Assert.That(asked, Does.Not.Contain(model.FirstConv.Name));
        Assert.That(asked, Does.Contain("stage3.block1.attn.sdsa").And.Contain("head.fc").And.Contain("stage3.block1.attn.q.dw"));
        Assert.Throws<ArgumentOutOfRangeException>(() => TheoreticalEnergy.Compute(model, _ => 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TheoreticalEnergy.Compute(model, _ => double.NaN));
    }

    [Test]
    public void SpikeTensorRatesReachTheLayersTheyFeed()
    {
        var model = ModelZoo.Create("meta-spikeformer-8-512");
        Assert.That(TheoreticalEnergy.SpikeSource(model, "stage3.block1.attn.q.pw2"), Is.EqualTo("stage3.block1.attn.lif"));
        Assert.That(TheoreticalEnergy.SpikeSource(model, "stage3.block1.attn.proj.dw"), Is.EqualTo("stage3.block1.attn.attn_lif"));
        Assert.That(TheoreticalEnergy.SpikeSource(model, "stage1.block1.sep.pw2"), Is.EqualTo("stage1.block1.sep.lif2"));
        Assert.That(TheoreticalEnergy.SpikeSource(model, model.FirstConv.Name), Is.EqualTo(TransformerModel.ImageInput));
        var rates = new Dictionary<string, double> { ["stage3.block1.attn.q_lif"] = 0.1, ["stage3.block1.attn.k_lif"] = 0.2, ["stage3.block1.attn.v_lif"] = 0.3 };
        var rate = TheoreticalEnergy.FromSpikeTensorRates(model, n => rates.GetValueOrDefault(n, 0.05));
        Assert.That(rate("stage3.block1.attn.sdsa"), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(rate("stage3.block1.attn.k.pw2"), Is.EqualTo(0.05));
        // Uniform tensor rates give the same energy as a uniform layer rate.
        Assert.That(TheoreticalEnergy.Compute(model, TheoreticalEnergy.FromSpikeTensorRates(model, _ => 0.1)),
            Is.EqualTo(TheoreticalEnergy.Compute(model, _ => 0.1)).Within(1e-9).Percent);
    }
}
