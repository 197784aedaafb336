using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Weights;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Functional runs of a transformer with seeded random weights on seeded images: the firing rate
/// of every layer at every timestep actually run, per image. With an early-exit threshold, each
/// image stops at the first timestep where Dynamic Confidence (max softmax of the accumulated
/// output / 30) exceeds it, and only the timesteps run are priced.
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
    public static (TransformerModel Model, TransformerWeights Weights) Prepare(TransformerModel model, TransformerRunSpec spec, ulong seed)
    {
        var weights = spec.Weights is null
            ? TransformerExecutor.RandomWeights(model, seed)
            : CheckpointWeights.Load(model, spec.Weights).Weights;
        return spec.Reparameterise ? RepConvReparameterisation.Apply(model, weights) : (model, weights);
    }

    public static (List<(Func<string, int, double> Rate, int Steps)> Samples, double Accuracy) Measure(TransformerModel model, TransformerWeights weights, TransformerRunSpec spec, ulong seed, Action<double>? progress)
    {
        var executor = new TransformerExecutor(model, weights);
        var samples = new List<(Func<string, int, double>, int)>();
        var length = model.ImageChannels * model.ImageSize * model.ImageSize;
        for (var s = 0; s < spec.Samples; s++)
        {
            var rng = DeterministicRandom.ForComponent(seed, $"sdt.image.{s}");
            var image = new float[length];
            // Normalised pixels (zero mean, unit variance per channel, as ImageNet inputs are fed), which
            // is also what the random weights are calibrated on.
            for (var i = 0; i < length; i++) image[i] = (float)rng.NextNormal();
            var accumulated = new double[model.Classes];
            Func<int, float[], bool>? stop = spec.EarlyExit > 0 ? (_, scores) => Confident(accumulated, scores, spec.EarlyExit) : null;
            var run = executor.Run(image, stop);
            var rates = run.Activity.ToDictionary(a => (a.Layer, a.Timestep), a => a.OutputRate);
            samples.Add(((layer, t) => rates.GetValueOrDefault((layer, t)), run.TimestepsRun));
            progress?.Invoke((s + 1) / (double)spec.Samples * 0.8);
        }
        // Random weights and images have no true labels: accuracy is not meaningful here.
        return (samples, double.NaN);
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
