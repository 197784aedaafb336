using Neuromorphic.Sim.Learning;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Trains the classification head of a transformer whose other layers are fixed (random or
/// loaded weights), so that a labelled workload gives a meaningful top-1: the head's input spikes
/// (the LIF before the Linear head), averaged over the T timesteps, are the features of a ridge
/// classifier (regularisation chosen on every fifth training image); its weights become the head.
/// Because the model averages the head's outputs over T, W (mean spikes) + b is exactly what the
/// trained head computes. The head is then scaled by one factor (argmax unchanged) so that
/// Dynamic Confidence's softmax(sum of outputs / 30) after T steps is the softmax with the
/// temperature that minimises the training images' cross-entropy.
/// </summary>
internal static class HeadTraining
{
    private static readonly double[] Lambdas = [1e-3, 1e-2, 0.1, 1, 10, 100, 1000];

    /// <summary>Captures the input of the last layer (the head), summed over timesteps.</summary>
    private sealed class HeadInput(string head, int features) : TransformerExecutionHooks
    {
        public double[] Sum { get; } = new double[features];

        public override void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
        {
            if (layer.Name != head) return;
            for (var i = 0; i < Sum.Length; i++) Sum[i] += inputs[0][i];
        }
    }

    /// <summary>Returns the weights with the head trained on <paramref name="train"/>, and the training accuracy.</summary>
    public static (TransformerWeights Weights, double TrainAccuracy) Train(TransformerModel model, TransformerWeights weights,
        IReadOnlyList<(float[] Image, int Label)> train, Action<double>? progress)
    {
        var head = model.Layers[^1];
        if (head.Kind != LayerKind.Linear) throw new ArgumentException($"{model.Name}: the last layer '{head.Name}' is not a Linear head");
        int features = head.InChannels, classes = head.Channels, t = model.Timesteps;
        var executor = new TransformerExecutor(model, weights);
        var x = new double[train.Count][];
        var y = new int[train.Count];
        for (var i = 0; i < train.Count; i++)
        {
            var hook = new HeadInput(head.Name, features);
            executor.Run(train[i].Image, hooks: hook);
            x[i] = hook.Sum.Select(s => s / t).ToArray();
            y[i] = train[i].Label;
            progress?.Invoke((i + 1) / (double)train.Count);
        }
        var validation = Enumerable.Range(0, train.Count).Where(i => i % 5 == 4).ToArray();
        var fit = Enumerable.Range(0, train.Count).Where(i => i % 5 != 4).ToArray();
        var (ridge, _) = RidgeClassifier.FitWithValidation(fit.Select(i => x[i]).ToArray(), fit.Select(i => y[i]).ToArray(),
            validation.Select(i => x[i]).ToArray(), validation.Select(i => y[i]).ToArray(), classes, Lambdas);

        // The classifier is affine in the features: read off b and W by probing.
        var b = ridge.Scores(new double[features]);
        var w = new double[features][];
        var unit = new double[features];
        for (var j = 0; j < features; j++)
        {
            unit[j] = 1;
            var s = ridge.Scores(unit);
            unit[j] = 0;
            w[j] = s.Select((v, c) => v - b[c]).ToArray();
        }
        var scores = x.Select(f => Enumerable.Range(0, classes).Select(c => b[c] + Enumerable.Range(0, features).Sum(j => f[j] * w[j][c])).ToArray()).ToArray();
        var tau = Temperature(scores, y);
        var k = 30 * tau / t; // sum over T of the head's outputs / 30 = tau (W f + b)
        var weight = new float[classes * features];
        var bias = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            bias[c] = (float)(k * b[c]);
            for (var j = 0; j < features; j++) weight[c * features + j] = (float)(k * w[j][c]);
        }
        var layers = weights.Layers.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        layers[head.Name] = new LayerWeights(weight, bias);
        return (new TransformerWeights(layers), ridge.Accuracy(x, y));
    }

    /// <summary>The softmax temperature (a factor on the scores) with the least cross-entropy, on a log grid.</summary>
    private static double Temperature(double[][] scores, int[] labels)
    {
        double best = 1, bestLoss = double.PositiveInfinity;
        for (var e = -20; e <= 30; e++)
        {
            var tau = Math.Pow(10, e / 10.0);
            double loss = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var max = scores[i].Max() * tau;
                var sum = scores[i].Sum(s => Math.Exp(s * tau - max));
                loss += Math.Log(sum) + max - scores[i][labels[i]] * tau;
            }
            if (loss < bestLoss) (best, bestLoss) = (tau, loss);
        }
        return best;
    }
}
