using System.Numerics;
using System.Numerics.Tensors;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Learning;

/// <summary>
/// A linear layer with a softmax, trained by Adam on the cross-entropy (<see cref="AdamSchedule"/>):
/// the RRAM LSM paper's readout. The features are used as given (the paper feeds spike rates
/// unscaled). Initialisation as PyTorch's <c>nn.Linear</c>: weights and biases uniform in
/// <c>+-1/sqrt(features)</c>. The samples are put in one seeded random order, then cut into the
/// same batches every epoch. Deterministic: one thread, a fixed order of operations.
/// </summary>
public sealed class SoftmaxClassifier
{
    private readonly float[] _weights; // [classes x d], row per class
    private readonly float[] _bias;
    private readonly int _features;

    private SoftmaxClassifier(float[] weights, float[] bias, int features, long steps, double loss)
    {
        _weights = weights;
        _bias = bias;
        _features = features;
        Steps = steps;
        FinalLoss = loss;
    }

    /// <summary>Classes.</summary>
    public int Classes => _bias.Length;

    /// <summary>Optimiser steps taken.</summary>
    public long Steps { get; }

    /// <summary>Mean cross-entropy over the last epoch's batches (the last <c>batches per epoch</c> steps).</summary>
    public double FinalLoss { get; }

    /// <summary>Trains a classifier.</summary>
    /// <param name="features">Training samples' features, all of one length.</param>
    /// <param name="labels">Their classes, in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="schedule">Adam and its schedule.</param>
    /// <param name="rng">Initial weights and the sample order.</param>
    public static SoftmaxClassifier Fit(double[][] features, int[] labels, int classes, AdamSchedule schedule, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(rng);
        schedule.Validate();
        var n = features.Length;
        if (n == 0) throw new ArgumentException("no training samples");
        if (labels.Length != n) throw new ArgumentException("one label per sample is needed");
        if (classes < 2) throw new ArgumentException($"at least two classes are needed, found {classes}");
        var d = features[0].Length;
        if (features.Any(f => f.Length != d)) throw new ArgumentException("every sample needs the same number of features");
        if (labels.Any(l => l < 0 || l >= classes)) throw new ArgumentException($"labels must lie in [0, {classes})");

        var bound = 1 / Math.Sqrt(Math.Max(1, d));
        var weights = new float[classes * d];
        var bias = new float[classes];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)rng.NextDouble(-bound, bound);
        for (var c = 0; c < classes; c++) bias[c] = (float)rng.NextDouble(-bound, bound);

        // One random order, then fixed batches (the paper's readout loader does not reshuffle).
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var x = new float[n * d];
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++) x[i * d + j] = (float)features[order[i]][j];
            y[i] = labels[order[i]];
        }

        var trainer = new Trainer(weights, bias, d, schedule);
        var batches = (n + schedule.BatchSize - 1) / schedule.BatchSize;
        var steps = schedule.StepsFor(n);
        double epochLoss = 0;
        var lastEpochBatches = 0;
        for (long step = 0; step < steps; step++)
        {
            var b = (int)(step % batches);
            if (b == 0) (epochLoss, lastEpochBatches) = (0, 0);
            var start = b * schedule.BatchSize;
            var count = Math.Min(schedule.BatchSize, n - start);
            epochLoss += trainer.Step(x.AsSpan(start * d, count * d), y.AsSpan(start, count));
            lastEpochBatches++;
        }
        return new SoftmaxClassifier(weights, bias, d, steps, epochLoss / Math.Max(1, lastEpochBatches));
    }

    /// <summary>The class scores (logits) of one sample.</summary>
    public double[] Scores(ReadOnlySpan<double> features)
    {
        if (features.Length != _features) throw new ArgumentException($"expected {_features} features, found {features.Length}");
        var x = new float[_features];
        for (var j = 0; j < x.Length; j++) x[j] = (float)features[j];
        var scores = new double[Classes];
        for (var c = 0; c < scores.Length; c++) scores[c] = _bias[c] + TensorPrimitives.Dot(_weights.AsSpan(c * _features, _features), x);
        return scores;
    }

    /// <summary>The predicted class (the highest score; the first on a tie).</summary>
    public int Predict(ReadOnlySpan<double> features) => ClassScores.ArgMax(Scores(features));

    /// <summary>Share of samples classified correctly (NaN for none).</summary>
    public double Accuracy(double[][] features, int[] labels) => ClassScores.Accuracy(features, labels, f => Predict(f));

    /// <summary>Adam's state and one step of it; buffers allocated once.</summary>
    private sealed class Trainer(float[] weights, float[] bias, int d, AdamSchedule schedule)
    {
        private readonly int _classes = bias.Length;
        private readonly float[] _gradW = new float[weights.Length], _gradB = new float[bias.Length];
        private readonly float[] _mW = new float[weights.Length], _vW = new float[weights.Length];
        private readonly float[] _mB = new float[bias.Length], _vB = new float[bias.Length];
        private readonly float[] _logits = new float[bias.Length];
        private readonly double[] _exps = new double[bias.Length];
        private long _t;

        /// <summary>One step on a batch; returns its mean cross-entropy before the step.</summary>
        public double Step(ReadOnlySpan<float> x, ReadOnlySpan<int> y)
        {
            var count = y.Length;
            Array.Clear(_gradW);
            Array.Clear(_gradB);
            double loss = 0;
            for (var i = 0; i < count; i++)
            {
                var sample = x.Slice(i * d, d);
                for (var c = 0; c < _classes; c++) _logits[c] = bias[c] + TensorPrimitives.Dot(weights.AsSpan(c * d, d), sample);
                var max = TensorPrimitives.Max(_logits);
                double sum = 0;
                for (var c = 0; c < _classes; c++) sum += _exps[c] = Math.Exp(_logits[c] - max);
                loss += Math.Log(sum) - (_logits[y[i]] - max);
                for (var c = 0; c < _classes; c++)
                {
                    // d(mean cross-entropy)/d(logit c) = (p_c - [c = y]) / batch.
                    var delta = (float)((_exps[c] / sum - (c == y[i] ? 1 : 0)) / count);
                    _gradB[c] += delta;
                    TensorPrimitives.MultiplyAdd(sample, delta, _gradW.AsSpan(c * d, d), _gradW.AsSpan(c * d, d));
                }
            }
            _t++;
            Update(weights, _gradW, _mW, _vW);
            Update(bias, _gradB, _mB, _vB);
            return loss / count;
        }

        private void Update(float[] p, float[] g, float[] m, float[] v)
        {
            double b1 = schedule.Beta1, b2 = schedule.Beta2;
            var c1 = 1 - Math.Pow(b1, _t);
            var c2 = 1 - Math.Pow(b2, _t);
            var lr = schedule.LearningRate;
            var eps = schedule.Epsilon;
            var i = 0;
            if (Vector.IsHardwareAccelerated && Vector<float>.Count == 2 * Vector<double>.Count)
            {
                // The scalar loop's operations lane by lane, in double as there, each result rounded to float where the scalar
                // loop stores it: the same bits (IEEE +, -, *, /, sqrt and conversions are exact per element).
                var (vb1, vb2, va1, va2) = (new Vector<double>(b1), new Vector<double>(b2), new Vector<double>(1 - b1), new Vector<double>(1 - b2));
                var (vc1, vc2, vlr, veps) = (new Vector<double>(c1), new Vector<double>(c2), new Vector<double>(lr), new Vector<double>(eps));
                for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector.Widen(new Vector<float>(g, i), out var gLo, out var gHi);
                    Vector.Widen(new Vector<float>(m, i), out var mLo, out var mHi);
                    Vector.Widen(new Vector<float>(v, i), out var vLo, out var vHi);
                    var mNew = Vector.Narrow(vb1 * mLo + va1 * gLo, vb1 * mHi + va1 * gHi);
                    var vNew = Vector.Narrow(vb2 * vLo + va2 * gLo * gLo, vb2 * vHi + va2 * gHi * gHi);
                    mNew.CopyTo(m, i);
                    vNew.CopyTo(v, i);
                    Vector.Widen(mNew, out mLo, out mHi);
                    Vector.Widen(vNew, out vLo, out vHi);
                    var step = Vector.Narrow(vlr * (mLo / vc1) / (Vector.SquareRoot(vLo / vc2) + veps), vlr * (mHi / vc1) / (Vector.SquareRoot(vHi / vc2) + veps));
                    (new Vector<float>(p, i) - step).CopyTo(p, i);
                }
            }
            for (; i < p.Length; i++)
            {
                m[i] = (float)(b1 * m[i] + (1 - b1) * g[i]);
                v[i] = (float)(b2 * v[i] + (1 - b2) * g[i] * g[i]);
                p[i] -= (float)(lr * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + eps));
            }
        }
    }
}
