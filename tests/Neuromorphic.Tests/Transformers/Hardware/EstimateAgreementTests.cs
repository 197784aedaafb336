using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Weights;
using Neuromorphic.Tests.Transformers.Weights;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>
/// The event-driven and the rate-based estimates side by side. Where spikes are i.i.d. Bernoulli
/// the rate-based assumption holds, so the two must agree layer by layer; where the input is
/// structured (an image through the spiking patch embedding) the report shows where they part.
/// </summary>
public sealed class EstimateAgreementTests
{
    private const double Rate = 0.15;

    [Test]
    public void For_iid_Bernoulli_spikes_event_driven_and_rate_based_energies_agree_within_5_percent_per_layer()
    {
        var config = RunConfigLoader.Load("sdt-v2-small");
        var model = SmallCheckpoint.Model();
        var (folded, weights) = RepConvReparameterisation.Apply(model, CheckpointWeights.Load(model, SmallCheckpoint.Path).Weights);
        model = folded;
        var chip = new ChipModel(config.Architecture);
        // Both estimates drive the same macros: the mapper's placement of the checkpoint's weights.
        var macros = new TransformerMacros(chip, model, weights, 1);
        var eventLedger = new Ledger();
        var pricer = new EventDrivenPricer(chip, model, eventLedger, 1, macros);
        var rng = DeterministicRandom.ForComponent(11, "bernoulli");
        var membranes = model.Layers.Where(l => l.Kind == LayerKind.SdsaV1).ToDictionary(l => l.Name, l => new float[l.Channels]);
        for (var t = 0; t < model.Timesteps; t++)
        {
            var tensors = new Dictionary<string, float[]> { [TransformerModel.ImageInput] = Normal(rng, 3 * 32 * 32) };
            foreach (var layer in model.Layers)
            {
                var inputs = layer.Inputs.Select(i => tensors[i]).ToArray();
                var spikingOut = TransformerOnChip.SpikeOutput(layer, model);
                var output = spikingOut ? Bernoulli(rng, (int)layer.OutputElements) : Normal(rng, (int)layer.OutputElements);
                var binary = layer.Inputs[0] != TransformerModel.ImageInput && TransformerOnChip.SpikeOutput(model[layer.Inputs[0]], model);
                if (layer.Kind is LayerKind.SdsaV1 or LayerKind.SdsaV2)
                {
                    var o = new float[output.Length];
                    pricer.TryAttention(layer, t, inputs[0], inputs[1], inputs[2], membranes.GetValueOrDefault(layer.Name) ?? [], o, out _, out _);
                }
                pricer.LayerDone(layer, t, inputs, binary, output, 0);
                tensors[layer.Name] = output;
            }
        }
        var eventDriven = pricer.Costs((u, a) => chip.Costs.Get(u, a).EnergyPj, 1).ToDictionary(c => c.Layer);
        var rateBased = new TransformerOnChip(chip, model, new Ledger(), 1, macros).Price((_, _) => Rate, model.Timesteps).ToDictionary(c => c.Layer);

        var compared = 0;
        var worst = 0.0;
        foreach (var layer in model.Layers)
        {
            var spikeDriven = layer.Kind is LayerKind.Lif or LayerKind.SdsaV1 or LayerKind.SdsaV2
                || (layer.Kind is LayerKind.Conv or LayerKind.Linear && layer.Inputs[0] != TransformerModel.ImageInput && TransformerOnChip.SpikeOutput(model[layer.Inputs[0]], model));
            if (!spikeDriven) continue;
            double e = eventDriven[layer.Name].EnergyPj, r = rateBased[layer.Name].EnergyPj;
            var deviation = Math.Abs(e - r) / r;
            worst = Math.Max(worst, deviation);
            TestContext.Out.WriteLine($"{layer.Name,-36} {layer.Kind,-6} event {e,12:F0} pJ  rate {r,12:F0} pJ  {100 * (e - r) / r,6:F2} %");
            Assert.That(deviation, Is.LessThan(0.05), layer.Name);
            compared++;
        }
        Assert.That(compared, Is.GreaterThan(60));
        TestContext.Out.WriteLine($"{compared} layers, worst {100 * worst:F2} %");
    }

    [Test]
    public void For_an_image_through_the_spiking_patch_embedding_the_report_shows_where_the_estimates_differ()
    {
        var config = RunConfigLoader.Load("sdt-v2-small");
        var spec = config.Transformer! with { Weights = SmallCheckpoint.Path, Samples = 1, EarlyExit = 0, SoftwareReference = false };
        var r = TransformerExperiment.Run(config.Architecture, spec, 1);
        var rateBased = r.RateBasedLayers.ToDictionary(l => l.Layer);
        var gaps = r.Layers.Select(l => (l.Layer, l.Target, Event: l.EnergyPj, Rate: rateBased[l.Layer].EnergyPj))
            .Where(g => g.Rate > 0).Select(g => (g.Layer, g.Target, g.Event, g.Rate, Gap: (g.Event - g.Rate) / g.Rate)).ToList();
        foreach (var g in gaps.OrderByDescending(g => Math.Abs(g.Gap)).Take(12))
            TestContext.Out.WriteLine($"{g.Layer,-36} {g.Target,-8} event {g.Event,12:F0} pJ  rate {g.Rate,12:F0} pJ  {100 * g.Gap,7:F1} %");
        // Structured spikes are not i.i.d.: somewhere the two part by more than the Bernoulli tolerance ...
        Assert.That(gaps.Max(g => Math.Abs(g.Gap)), Is.GreaterThan(0.05));
        // ... SepConv's second 1x1 reads real values, so the chip runs it as MACs on the digital core where the rate model
        // drives macros with the spikes behind it; and the layers file carries both figures and the theoretical one.
        Assert.That(r.Layers.Single(l => l.Layer == "stage1.block1.sep.pw2").Target, Is.EqualTo("digital"));
        Assert.That(rateBased["stage1.block1.sep.pw2"].Target, Is.EqualTo("rram"));
        Assert.That(r.TheoreticalLayerPj["stage3.block1.mlp.fc1"], Is.GreaterThan(0));
    }

    private static float[] Bernoulli(DeterministicRandom rng, int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = rng.NextDouble() < Rate ? 1f : 0f;
        return x;
    }

    private static float[] Normal(DeterministicRandom rng, int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)rng.NextNormal();
        return x;
    }
}
