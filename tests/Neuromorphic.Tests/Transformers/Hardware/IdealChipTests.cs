using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Weights;
using Neuromorphic.Tests.Transformers.Weights;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>
/// Acceptance: the numpy-written sdt-v2-small weights load, run, and give identical outputs in
/// software and on an ideal chip (no variation or noise, ADCs that cannot clip, wide fixed point).
/// The chip computes: every spiking conv and linear layer is read on its programmed macros, every
/// LIF runs on the neuron core in its fixed-point format, attention on the SDSA unit. The software
/// computes with the weights the macros hold (4-bit levels of each layer's largest magnitude).
/// A chip whose ADC clips or whose fixed point is narrow departs from it, and the run reports where.
/// </summary>
public sealed class IdealChipTests
{
    /// <summary>Every layer's output at every timestep (copies).</summary>
    private sealed class Recorder(TransformerExecutionHooks? inner) : TransformerExecutionHooks
    {
        public List<(string Layer, int T, float[] Output)> Outputs { get; } = new();
        public int Computed { get; private set; }

        public override void RunStarted() => inner?.RunStarted();

        public override bool TryLayer(ModelLayer layer, int timestep, ReadOnlySpan<float> input, bool binaryInput, Span<float> output, out long synapticOps)
        {
            synapticOps = 0;
            if (inner is null || !inner.TryLayer(layer, timestep, input, binaryInput, output, out synapticOps)) return false;
            Computed++;
            return true;
        }

        public override bool TryAttention(ModelLayer layer, int timestep, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
            Span<float> v1Membrane, Span<float> output, out long adds, out long ands)
        {
            adds = ands = 0;
            return inner is not null && inner.TryAttention(layer, timestep, q, k, v, v1Membrane, output, out adds, out ands);
        }

        public override void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
        {
            inner?.LayerDone(layer, timestep, inputs, binaryInput, output, synapticOps);
            Outputs.Add((layer.Name, timestep, (float[])output.Clone()));
        }
    }

    private static ArchitectureSpec Preset => RunConfigLoader.Load("sdt-v2-small").Architecture;

    /// <summary>
    /// The preset's chip made ideal: the device is already exact (write-verify without programming
    /// spread, no read noise); an 8-bit ADC holds 85 levels of 2-bit cells, more than the 32 rows a
    /// group reads at once, so no column sum can clip; the neuron core keeps 32-bit membranes with 24
    /// fractional bits (float32's precision near the threshold).
    /// </summary>
    internal static ArchitectureSpec Ideal(ArchitectureSpec a) => a with
    {
        Macro = a.Macro with { Adc = a.Macro.Adc with { Bits = 8 } },
        NeuronCore = a.NeuronCore with { MembraneBits = 32, FractionBits = 24 },
    };

    /// <summary>
    /// The committed weights loaded and RepConv-folded, once per fixture (the fold took about a second, and five
    /// runs below start from it); the model is immutable, the weight arrays are not, so <see cref="Small"/> hands
    /// each run its own copy and no run sees another's.
    /// </summary>
    private readonly Lazy<(TransformerModel Model, TransformerWeights Weights)> _folded = new(() =>
    {
        var model = SmallCheckpoint.Model();
        return RepConvReparameterisation.Apply(model, CheckpointWeights.Load(model, SmallCheckpoint.Path).Weights);
    });

    private (TransformerModel Model, TransformerWeights Weights) Small()
    {
        var (model, weights) = _folded.Value;
        return (model, new TransformerWeights(weights.Layers.ToDictionary(l => l.Key, l => new LayerWeights((float[])l.Value.Weight.Clone(), (float[])l.Value.Bias.Clone()))));
    }

    [Test]
    public void The_numpy_written_weights_give_identical_outputs_in_software_and_on_an_ideal_chip()
    {
        var (model, weights) = Small();
        var chip = new ChipModel(Ideal(Preset));
        var ledger = new Ledger();
        var macros = new TransformerMacros(chip, model, weights, 1);
        var pricer = new EventDrivenPricer(chip, model, ledger, 1, macros, weights);
        var held = ChipWeights.OnMacros(model, weights, chip);
        var onMacros = model.Layers.Count(l => ChipWeights.ComputedOnMacros(model, l, chip));
        var lifs = model.Layers.Count(l => l.Kind == LayerKind.Lif);
        for (ulong image = 0; image < 2; image++)
        {
            var x = SmallCheckpoint.Image(100 + image);
            var software = new Recorder(null);
            var onChip = new Recorder(pricer);
            var a = new TransformerExecutor(model, held).Run(x, hooks: software);
            var b = new TransformerExecutor(model, weights).Run(x, hooks: onChip);
            Assert.That(onChip.Computed, Is.EqualTo((onMacros + lifs) * 4), "every layer on macros and every LIF computed by the chip at every timestep");
            Assert.That(onChip.Outputs, Has.Count.EqualTo(software.Outputs.Count));
            for (var i = 0; i < software.Outputs.Count; i++)
            {
                var (layer, t, sw) = software.Outputs[i];
                var hw = onChip.Outputs[i].Output;
                if (model[layer].Kind == LayerKind.Lif)
                {
                    Assert.That(hw, Is.EqualTo(sw), $"image {image}: spikes of {layer} at t = {t}");
                    continue;
                }
                // Real values: the macros sum in double what the software sums in float32.
                var scale = sw.Max(v => Math.Abs(v)) + 1e-6f;
                var worst = sw.Zip(hw, (s, h) => Math.Abs(s - h)).Max();
                Assert.That(worst, Is.LessThanOrEqualTo(1e-5 * scale), $"image {image}: {layer} at t = {t}");
            }
            Assert.That(FunctionalRuns.ArgMax(b.MeanScores()), Is.EqualTo(FunctionalRuns.ArgMax(a.MeanScores())));
            // The run is not trivially silent: attention and the head see spikes.
            Assert.That(a.FiringRate("stage4.block2.attn.q_lif"), Is.InRange(0.05, 0.95));
            Assert.That(a.FiringRate("head.lif"), Is.InRange(0.05, 0.95));
        }
        // The macros really computed: their reads are in the ledger, and software with the file's
        // (unquantised) weights gives other outputs than the chip.
        Assert.That(ledger.Entries().Where(e => e.Key.Action == MacroCosts.OperationAction).Sum(e => e.Count), Is.GreaterThan(1000));
        var x0 = SmallCheckpoint.Image(100);
        var full = new Recorder(null);
        new TransformerExecutor(model, weights).Run(x0, hooks: full);
        var quantised = new Recorder(null);
        new TransformerExecutor(model, held).Run(x0, hooks: quantised);
        Assert.That(full.Outputs.Zip(quantised.Outputs).Count(p => !p.First.Output.SequenceEqual(p.Second.Output)), Is.GreaterThan(10),
            "4-bit weights change the outputs: the identity above is the macros' arithmetic, not the software's weights");
    }

    /// <summary>Runs one image on <paramref name="architecture"/> against software with the macros' weights; returns per-layer spike agreement.</summary>
    private (IReadOnlyDictionary<string, LayerAgreement.Tally> Layers, string? First) Compare(ArchitectureSpec architecture)
    {
        var (model, weights) = Small();
        var chip = new ChipModel(architecture);
        var pricer = new EventDrivenPricer(chip, model, new Ledger(), 1, new TransformerMacros(chip, model, weights, 1), weights);
        var agreement = new LayerAgreement(model);
        var x = SmallCheckpoint.Image(100);
        new TransformerExecutor(model, ChipWeights.OnMacros(model, weights, chip)).Run(x, hooks: agreement);
        pricer.Reference = agreement;
        new TransformerExecutor(model, weights).Run(x, hooks: pricer);
        return (agreement.Layers, agreement.Diverging.FirstOrDefault());
    }

    private static void Report(string what, IReadOnlyDictionary<string, LayerAgreement.Tally> layers, string? first)
    {
        var spiking = layers.Where(l => l.Value.Spiking && l.Value.Elements > 0).ToList();
        var all = spiking.Sum(l => (double)l.Value.Elements);
        TestContext.Out.WriteLine($"{what}: first diverging layer {first ?? "none"}; spike agreement over {spiking.Count} spiking layers "
            + $"{spiking.Sum(l => (double)l.Value.Equal) / all:P3}, lowest: "
            + string.Join(", ", spiking.OrderBy(l => l.Value.Agreement).Take(4).Select(l => $"{l.Key} {l.Value.Agreement:P2}")));
    }

    [Test]
    public void The_ideal_chip_agrees_everywhere_and_a_clipping_adc_or_a_narrow_fixed_point_diverges()
    {
        var ideal = Compare(Ideal(Preset));
        Report("ideal", ideal.Layers, ideal.First);
        Assert.That(ideal.First, Is.Null, "the ideal chip's outputs equal the software's at every layer");

        // A 3-bit ADC holds 7 levels: two active rows of 2-bit cells at their top level already clip.
        var clipping = Compare(Ideal(Preset) with { Macro = Preset.Macro with { Adc = Preset.Macro.Adc with { Bits = 3 } } });
        Report("3-bit ADC", clipping.Layers, clipping.First);
        Assert.That(clipping.First, Is.Not.Null);
        Assert.That(clipping.Layers.Values.Where(l => l.Spiking).Min(l => l.Agreement), Is.LessThan(0.999));

        // 16-bit membranes with 4 fractional bits: inputs are rounded to 1/16.
        var narrow = Compare(Ideal(Preset) with { NeuronCore = Preset.NeuronCore with { MembraneBits = 16, FractionBits = 4 } });
        Report("Q12.4 neuron core", narrow.Layers, narrow.First);
        Assert.That(narrow.First, Is.Not.Null);
        Assert.That(model(narrow.First!), Is.EqualTo(LayerKind.Lif), "the fixed point first shows at a LIF");
        static LayerKind model(string name) => SmallCheckpoint.Model()[name].Kind;

        // The preset itself (4-bit ADC on 32-row groups, Q8.8 membranes) departs too; the run reports by how much.
        var preset = Compare(Preset);
        Report("preset (4-bit ADC, Q8.8)", preset.Layers, preset.First);
        Assert.That(preset.First, Is.Not.Null);
    }

    [Test]
    public void A_functional_run_reports_chip_against_software_per_layer_and_top1_on_both()
    {
        var preset = RunConfigLoader.Load("sdt-v2-small");
        var spec = preset.Transformer! with { Weights = SmallCheckpoint.Path, Samples = 2, EarlyExit = 0 };
        var run = TransformerExperiment.Run(preset.Architecture, spec, 1);
        Assert.That(run.ChipCompute, Is.EqualTo("hardware"));
        Assert.That(run.Pricing, Is.EqualTo("event-driven"));
        Assert.That(run.Agreement, Has.Count.EqualTo(run.Layers.Count));
        var lif = run.Agreement.Where(a => a.Spiking && a.Elements > 0).ToList();
        Assert.That(lif, Is.Not.Empty);
        Assert.That(LayerComparison.SpikeAgreement(run.Agreement), Is.InRange(0.5, 1.0));
        Assert.That(run.ChipSoftwareAgreement, Is.InRange(0.0, 1.0));
        TestContext.Out.WriteLine($"preset chip vs software (file weights): spike agreement {LayerComparison.SpikeAgreement(run.Agreement):P2}, "
            + $"top-1 agreement {run.ChipSoftwareAgreement:P0}");
        var software = TransformerExperiment.Run(preset.Architecture, spec with { ChipCompute = "software" }, 1);
        Assert.That(software.ChipCompute, Is.EqualTo("software"));
        Assert.That(LayerComparison.SpikeAgreement(software.Agreement), Is.EqualTo(1.0), "the software-computed chip is the software");
        Assert.That(LayerComparison.SpikeJaccardOf(software.Agreement), Is.EqualTo(1.0), "every spike fired on both");
        // Each layer's spike agreement counted from its own tallies: both / (chip + software - both); the cell figure counts
        // silent elements too, so it is never below it where spikes are sparse.
        foreach (var a in lif.Where(a => a.ChipSpikes + a.SoftwareSpikes > 0))
        {
            Assert.That(a.BothSpiked, Is.InRange(0, Math.Min(a.ChipSpikes, a.SoftwareSpikes)), a.Layer);
            Assert.That(a.SpikeJaccard, Is.EqualTo(a.BothSpiked / (double)(a.ChipSpikes + a.SoftwareSpikes - a.BothSpiked)), a.Layer);
        }
        Assert.That(LayerComparison.SpikeJaccardOf(run.Agreement), Is.LessThan(LayerComparison.SpikeAgreement(run.Agreement)));
    }
}

/// <summary>
/// A run layer by layer over all timesteps gives what the timestep-by-timestep run gives: outputs, activity, counts,
/// energy per timestep, and the rate-based estimate; with the model's layers kept programmed, and with none kept (as a
/// model beyond <see cref="TransformerMacros.KeptMacros"/>: each layer programmed again when placed again, the
/// rate-based estimate priced on the macros a layer computed on in one order, on freshly programmed ones in the other).
/// </summary>
public sealed class LayerByLayerTests
{
    [TestCase(TransformerMacros.KeptMacros)]
    [TestCase(0)]
    public void Layer_by_layer_equals_timestep_by_timestep_on_the_computing_chip(int keptMacros)
    {
        var model = SmallCheckpoint.Model();
        var (folded, weights) = RepConvReparameterisation.Apply(model, CheckpointWeights.Load(model, SmallCheckpoint.Path).Weights);
        var chip = new ChipModel(RunConfigLoader.Load("sdt-v2-small").Architecture);
        (TransformerRunResult Run, Ledger Ledger, EventDrivenPricer Pricer) Go(bool byLayer)
        {
            var ledger = new Ledger();
            var macros = new TransformerMacros(chip, folded, weights, 1, keptMacros: keptMacros);
            Assert.That(macros.KeepsLayers, Is.EqualTo(keptMacros > 0));
            var pricer = new EventDrivenPricer(chip, folded, ledger, 1, macros, weights) { ByLayer = byLayer };
            var executor = new TransformerExecutor(folded, weights);
            var run = executor.Run(SmallCheckpoint.Image(7), hooks: pricer);
            pricer.Flush();
            // The executor is left as it was: a second (timestep-by-timestep) run gives the same scores.
            var again = executor.Run(SmallCheckpoint.Image(7), hooks: new NoHooks());
            var fresh = new TransformerExecutor(folded, weights).Run(SmallCheckpoint.Image(7));
            for (var t = 0; t < 4; t++) Assert.That(again.Scores[t], Is.EqualTo(fresh.Scores[t]));
            return (run, ledger, pricer);
        }
        var a = Go(false);
        var b = Go(true);
        Assert.That(b.Pricer.LayerByLayer, Is.True);
        for (var t = 0; t < 4; t++) Assert.That(b.Run.Scores[t], Is.EqualTo(a.Run.Scores[t]), $"scores at t = {t}");
        Assert.That(b.Run.Activity.OrderBy(x => x.Layer, StringComparer.Ordinal).ThenBy(x => x.Timestep),
            Is.EqualTo(a.Run.Activity.OrderBy(x => x.Layer, StringComparer.Ordinal).ThenBy(x => x.Timestep)));
        Assert.That(b.Ledger.Entries().Select(e => (e.Key, e.Count)), Is.EquivalentTo(a.Ledger.Entries().Select(e => (e.Key, e.Count))));
        for (var t = 0; t < 4; t++)
        {
            Assert.That(b.Pricer.TimestepEnergyPj[t], Is.EqualTo(a.Pricer.TimestepEnergyPj[t]).Within(1e-9).Percent, $"energy of t = {t}");
            Assert.That(b.Pricer.TimestepCycles[t], Is.EqualTo(a.Pricer.TimestepCycles[t]).Within(1e-9).Percent, $"cycles of t = {t}");
        }
        // The rate-based estimate: layer by layer it is priced as each layer finishes on its macros, timestep by timestep
        // at the image's end on the macros placed again; the same counts and cycles, layer by layer and step by step.
        var (ra, rb) = (a.Pricer.RateBased.Single(), b.Pricer.RateBased.Single());
        Assert.That(rb.Select(l => l.Layer), Is.EqualTo(ra.Select(l => l.Layer)));
        Assert.That(ra.Sum(l => l.Rates.Count(s => s is not null)), Is.GreaterThan(0), "rate-based steps priced");
        for (var i = 0; i < ra.Count; i++)
            for (var t = 0; t < 4; t++)
            {
                var (x, y) = (ra[i].Rates[t], rb[i].Rates[t]);
                Assert.That(y is null, Is.EqualTo(x is null), $"{ra[i].Layer} t = {t}");
                if (x is null || y is null) continue;
                Assert.That(y.Cycles, Is.EqualTo(x.Cycles), $"{ra[i].Layer} t = {t}");
                Assert.That(y.Counts.Entries().Select(e => (e.Key, e.Count)), Is.EqualTo(x.Counts.Entries().Select(e => (e.Key, e.Count))), $"{ra[i].Layer} t = {t}");
            }
    }
}

/// <summary>Hooks that change nothing.</summary>
internal sealed class NoHooks : TransformerExecutionHooks;
