using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Weights;

namespace Neuromorphic.Arch.Transformers;

/// <summary>One image of a functional run: its label (-1 = none) and what software and chip decided.</summary>
/// <param name="Label">True class, or -1 for an unlabelled image.</param>
/// <param name="ChipClass">Top-1 class on the chip.</param>
/// <param name="ChipSteps">Timesteps the chip ran (fewer with early exit).</param>
/// <param name="SoftwareClass">Top-1 class in software (-1 without a software reference).</param>
/// <param name="SoftwareSteps">Timesteps the software ran.</param>
public sealed record ImageOutcome(int Label, int ChipClass, int ChipSteps, int SoftwareClass, int SoftwareSteps);

/// <summary>
/// Functional runs of a transformer: each image runs on the chip (the executor with the chip's
/// units computing its layers: macros, neuron core, SDSA unit; priced event by event) and, as the
/// reference, in software (file or random weights, software operators). With an early-exit
/// threshold, each run stops at the first timestep where Dynamic Confidence (max softmax of the
/// accumulated output / 30) exceeds it, and only the timesteps run are priced; the software
/// reference always runs all T timesteps, so the chip's early exit is judged against it.
/// </summary>
internal static class FunctionalRuns
{
    /// <summary>Dynamic Confidence's output scaling (ICCV 2023): O_t = sum of outputs up to t / 30.</summary>
    private const double ConfidenceScale = 30;

    /// <summary>
    /// The weights of a functional run: the spec's file (BICLab names, BatchNorms folded), else seeded
    /// random weights; with <see cref="TransformerRunSpec.Reparameterise"/> every RepConv is folded
    /// into one 3x3 conv, and the returned model is the folded one.
    /// </summary>
    public static (TransformerModel Model, TransformerWeights Weights) Prepare(TransformerModel model, TransformerRunSpec spec, ulong seed,
        Action<double>? progress = null, int threads = 1)
    {
        var weights = spec.Weights is null
            ? TransformerExecutor.RandomWeights(model, seed, progress: progress)
            : CheckpointWeights.Load(model, spec.Weights).Weights;
        return spec.Reparameterise ? RepConvReparameterisation.Apply(model, weights, threads) : (model, weights);
    }

    /// <summary>The images of a run: the workload's labelled images, or seeded normalised images without labels.</summary>
    public static IReadOnlyList<(float[] Image, int Label)> Images(TransformerModel model, TransformerRunSpec spec, ulong seed)
    {
        var length = model.ImageChannels * model.ImageSize * model.ImageSize;
        var images = new List<(float[], int)>();
        for (var s = 0; s < spec.Samples; s++)
        {
            var rng = DeterministicRandom.ForComponent(seed, $"sdt.image.{s}");
            var image = new float[length];
            // Normalised pixels (zero mean, unit variance per channel, as ImageNet inputs are fed), which
            // is also what the random weights are calibrated on.
            for (var i = 0; i < length; i++) image[i] = (float)rng.NextNormal();
            images.Add((image, -1));
        }
        return images;
    }

    /// <summary>
    /// Runs every image in software first (if asked: the reference, all T timesteps, every layer's
    /// output kept by <paramref name="agreement"/>) and then on the chip (priced by <paramref name="pricer"/>,
    /// each layer's output compared with the software's).
    /// </summary>
    public static (List<(Func<string, int, double> Rate, int Steps)> Samples, List<ImageOutcome> Outcomes) Measure(TransformerModel model,
        TransformerWeights weights, IReadOnlyList<(float[] Image, int Label)> images, TransformerRunSpec spec,
        EventDrivenPricer pricer, LayerAgreement? agreement, Action<double>? progress)
    {
        var chip = new TransformerExecutor(model, weights);
        var reference = spec.SoftwareReference ? new TransformerExecutor(model, weights) : null;
        var samples = new List<(Func<string, int, double>, int)>();
        var outcomes = new List<ImageOutcome>();
        pricer.Reference = reference is null ? null : agreement;
        for (var s = 0; s < images.Count; s++)
        {
            var done = s;
            var (image, label) = images[s];
            // The reference runs all T timesteps: the chip's early exit is judged against it.
            var sw = reference?.Run(image, hooks: agreement);
            // The chip's run and its pricing take most of an image; the software reference the rest.
            var share = reference is null ? 0.0 : 0.15;
            if (reference is not null) progress?.Invoke((done + share) / images.Count);
            pricer.Progress = progress is null ? null : f => progress((done + share + (1 - share) * f) / images.Count);
            var run = chip.Run(image, Stop(model, spec), pricer);
            pricer.Flush(); // the rate-based estimate (and layers priced from recorded spikes) at this image's activity
            var rates = run.Activity.ToDictionary(a => (a.Layer, a.Timestep), a => a.OutputRate);
            samples.Add(((layer, t) => rates.GetValueOrDefault((layer, t)), run.TimestepsRun));
            outcomes.Add(new ImageOutcome(label, ArgMax(run.MeanScores()), run.TimestepsRun, sw is null ? -1 : ArgMax(sw.MeanScores()), sw?.TimestepsRun ?? 0));
            progress?.Invoke((s + 1) / (double)images.Count);
        }
        return (samples, outcomes);
    }

    private static Func<int, float[], bool>? Stop(TransformerModel model, TransformerRunSpec spec)
    {
        if (spec.EarlyExit <= 0) return null;
        var accumulated = new double[model.Classes];
        return (_, scores) => Confident(accumulated, scores, spec.EarlyExit);
    }

    /// <summary>Index of the largest score (the first on ties).</summary>
    internal static int ArgMax(float[] scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        return best;
    }

    /// <summary>Adds this step's scores to the running sum and tests max softmax(sum / 30) against the threshold.</summary>
    internal static bool Confident(double[] accumulated, float[] scores, double threshold)
    {
        for (var c = 0; c < accumulated.Length; c++) accumulated[c] += scores[c];
        var max = double.NegativeInfinity;
        foreach (var a in accumulated) max = Math.Max(max, a / ConfidenceScale);
        double sum = 0;
        foreach (var a in accumulated) sum += Math.Exp(a / ConfidenceScale - max);
        return 1 / sum > threshold; // the largest probability is exp(0) / sum
    }
}
