using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Weights;
using Neuromorphic.Tests.Transformers.Weights;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>
/// Acceptance: the numpy-written sdt-v2-small weights load, run, and give identical outputs in
/// software and on an ideal chip (exact stored weights: no variation or noise, ADCs that cannot
/// clip, wide fixed point), with attention computed by the chip's SDSA unit.
/// </summary>
public sealed class IdealChipTests
{
    /// <summary>Records a fingerprint of every layer's output at every timestep.</summary>
    private sealed class Recorder(TransformerExecutionHooks? inner) : TransformerExecutionHooks
    {
        public List<(string Layer, int T, long Active, double Sum)> Outputs { get; } = new();
        public int AttentionCalls { get; private set; }

        public override bool TryAttention(ModelLayer layer, int timestep, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
            Span<float> v1Membrane, Span<float> output, out long adds, out long ands)
        {
            adds = ands = 0;
            if (inner is null || !inner.TryAttention(layer, timestep, q, k, v, v1Membrane, output, out adds, out ands)) return false;
            AttentionCalls++;
            return true;
        }

        public override void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
        {
            inner?.LayerDone(layer, timestep, inputs, binaryInput, output, synapticOps);
            double sum = 0;
            long active = 0;
            for (var i = 0; i < output.Length; i++)
            {
                sum += output[i] * (1 + i % 7); // position-weighted: a moved spike changes it
                if (output[i] != 0) active++;
            }
            Outputs.Add((layer.Name, timestep, active, sum));
        }
    }

    [Test]
    public void The_numpy_written_weights_give_identical_outputs_in_software_and_on_an_ideal_chip()
    {
        var model = SmallCheckpoint.Model();
        var (folded, weights) = RepConvReparameterisation.Apply(model, CheckpointWeights.Load(model, SmallCheckpoint.Path).Weights);
        var chip = new ChipModel(RunConfigLoader.Load("sdt-v2-small").Architecture);
        var stored = ChipWeights.Stored(folded, weights, chip, exact: true);
        var pricer = new EventDrivenPricer(chip, folded, new Ledger(), 1, new TransformerMacros(chip, folded, stored, 1));
        for (ulong image = 0; image < 2; image++)
        {
            var x = SmallCheckpoint.Image(100 + image);
            var software = new Recorder(null);
            var onChip = new Recorder(pricer);
            var a = new TransformerExecutor(folded, weights).Run(x, hooks: software);
            var b = new TransformerExecutor(folded, stored).Run(x, hooks: onChip);
            Assert.That(onChip.AttentionCalls, Is.EqualTo(8 * 4), "every attention layer ran on the SDSA unit");
            Assert.That(onChip.Outputs, Is.EqualTo(software.Outputs), "every layer's output at every timestep");
            for (var t = 0; t < 4; t++) Assert.That(b.Scores[t], Is.EqualTo(a.Scores[t]), $"scores at t = {t}");
            // The run is not trivially silent: attention and the head see spikes.
            Assert.That(a.FiringRate("stage4.block2.attn.q_lif"), Is.InRange(0.05, 0.95));
            Assert.That(a.FiringRate("head.lif"), Is.InRange(0.05, 0.95));
        }
        Assert.That(pricer.Costs((_, _) => 1, 2).Single(c => c.Layer == "stage3.block1.attn.sdsa").EffectiveAcs, Is.GreaterThan(0));
    }

    [Test]
    public void A_functional_run_on_the_ideal_chip_agrees_with_software_on_every_image_and_the_quantised_chip_reports_its_deviation()
    {
        var preset = RunConfigLoader.Load("sdt-v2-small");
        var spec = preset.Transformer! with { Weights = SmallCheckpoint.Path, Samples = 2, EarlyExit = 0, ChipWeights = "exact" };
        var ideal = TransformerExperiment.Run(preset.Architecture, spec, 1);
        Assert.That(ideal.ChipSoftwareAgreement, Is.EqualTo(1.0));
        Assert.That(ideal.Pricing, Is.EqualTo("event-driven"));
        Assert.That(ideal.Outcomes.Select(o => o.ChipClass), Is.EqualTo(ideal.Outcomes.Select(o => o.SoftwareClass)));
        var quantised = TransformerExperiment.Run(preset.Architecture, spec with { ChipWeights = "quantised", Samples = 1 }, 1);
        Assert.That(quantised.ChipSoftwareAgreement, Is.InRange(0.0, 1.0));
        TestContext.Out.WriteLine($"4-bit chip agrees with software on {quantised.ChipSoftwareAgreement:P0} of images");
    }
}
