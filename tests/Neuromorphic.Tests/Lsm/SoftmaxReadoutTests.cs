using Neuromorphic.Sim.Learning;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>The paper's readout: a softmax layer trained by Adam on the cross-entropy.</summary>
public sealed class SoftmaxReadoutTests
{
    private static (double[][] X, int[] Y) Blobs(int perClass, ulong seed)
    {
        // Three classes around (1, 0, 0, ...), (0, 1, 0, ...), (0, 0, 1, ...) in 6 dimensions.
        var rng = DeterministicRandom.ForComponent(seed, "test.blobs");
        var x = new List<double[]>();
        var y = new List<int>();
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < perClass; i++)
            {
                x.Add(Enumerable.Range(0, 6).Select(j => (j == c ? 1.0 : 0.0) + 0.2 * rng.NextNormal()).ToArray());
                y.Add(c);
            }
        return (x.ToArray(), y.ToArray());
    }

    [Test]
    public void FirstAdamStepMovesEveryParameterByTheLearningRateAgainstItsGradient()
    {
        // Closed form: after one step m / sqrt(v) = g / |g| (bias-corrected), so each parameter moves by
        // exactly lr against the sign of its gradient (to within eps / |g|). Initial weights: the same
        // stream, drawn in the documented order (weights class by class, then biases).
        double[][] x = [[1.0, 0.5, 0.0], [0.2, 1.0, 0.7]];
        int[] y = [0, 1];
        const double lr = 1e-3;
        var schedule = new AdamSchedule { LearningRate = lr, BatchSize = 2, Steps = 1 };
        var model = SoftmaxClassifier.Fit(x, y, 2, schedule, DeterministicRandom.ForComponent(1, "t"));
        var rng = DeterministicRandom.ForComponent(1, "t");
        var bound = 1 / Math.Sqrt(3);
        var w = new double[2, 3];
        for (var c = 0; c < 2; c++) for (var j = 0; j < 3; j++) w[c, j] = (float)rng.NextDouble(-bound, bound);
        var b = new[] { (double)(float)rng.NextDouble(-bound, bound), (float)rng.NextDouble(-bound, bound) };
        // Gradient of the mean cross-entropy at the initial weights.
        var gw = new double[2, 3];
        var gb = new double[2];
        for (var i = 0; i < 2; i++)
        {
            var z = new double[2];
            for (var c = 0; c < 2; c++) { z[c] = b[c]; for (var j = 0; j < 3; j++) z[c] += w[c, j] * x[i][j]; }
            var e = z.Select(v => Math.Exp(v - z.Max())).ToArray();
            for (var c = 0; c < 2; c++)
            {
                var delta = (e[c] / e.Sum() - (y[i] == c ? 1 : 0)) / 2;
                gb[c] += delta;
                for (var j = 0; j < 3; j++) gw[c, j] += delta * x[i][j];
            }
        }
        var probe = new[] { 0.3, -0.4, 0.9 };
        var scores = model.Scores(probe);
        for (var c = 0; c < 2; c++)
        {
            var expected = b[c] - lr * Math.Sign(gb[c]);
            for (var j = 0; j < 3; j++) expected += (w[c, j] - (gw[c, j] == 0 ? 0 : lr * Math.Sign(gw[c, j]))) * probe[j];
            Assert.That(scores[c], Is.EqualTo(expected).Within(1e-6), $"class {c}");
        }
        Assert.That(model.Steps, Is.EqualTo(1));
    }

    [Test]
    public void LearnsSeparableClassesDeterministically()
    {
        var (x, y) = Blobs(40, 1);
        var schedule = new AdamSchedule { LearningRate = 1e-2, BatchSize = 16, Epochs = 50 };
        var a = SoftmaxClassifier.Fit(x, y, 3, schedule, DeterministicRandom.ForComponent(7, "r"));
        var b = SoftmaxClassifier.Fit(x, y, 3, schedule, DeterministicRandom.ForComponent(7, "r"));
        var (tx, ty) = Blobs(40, 2);
        Assert.That(a.Accuracy(tx, ty), Is.GreaterThan(0.95));
        Assert.That(a.Steps, Is.EqualTo(50 * 8), "120 samples in batches of 16: 8 batches per epoch");
        Assert.That(a.FinalLoss, Is.LessThan(0.3).And.GreaterThan(0));
        Assert.That(b.Scores(tx[0]), Is.EqualTo(a.Scores(tx[0])), "same seed, same model");
    }

    [Test]
    public void StepsOverrideEpochs()
    {
        var (x, y) = Blobs(10, 3);
        var model = SoftmaxClassifier.Fit(x, y, 3, new AdamSchedule { BatchSize = 7, Epochs = 100, Steps = 13 }, DeterministicRandom.ForComponent(1, "s"));
        Assert.That(model.Steps, Is.EqualTo(13));
        Assert.Throws<ArgumentException>(() => SoftmaxClassifier.Fit(x, y, 3, new AdamSchedule { BatchSize = 0 }, DeterministicRandom.ForComponent(1, "s")));
    }
    [Test]
    public void Training_gives_the_scalar_adam_update_to_the_last_bit()
    {
        // 4 classes x 37 features: whole vectors and a tail. The reference below is the documented algorithm with a plain
        // scalar Adam update (in double, each of m, v, p rounded to float where it is stored); the forward pass and the
        // gradient use the same dot products as the classifier, so only the update is under test.
        const int classes = 4, d = 37, n = 50;
        var data = DeterministicRandom.ForComponent(9, "test.adam");
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => data.NextDouble(0, 3)).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % classes).ToArray();
        var schedule = new AdamSchedule { LearningRate = 3e-3, BatchSize = 16, Steps = 25 };
        var model = SoftmaxClassifier.Fit(x, y, classes, schedule, DeterministicRandom.ForComponent(2, "fit"));

        var rng = DeterministicRandom.ForComponent(2, "fit");
        var bound = 1 / Math.Sqrt(d);
        var w = new float[classes * d];
        var b = new float[classes];
        for (var i = 0; i < w.Length; i++) w[i] = (float)rng.NextDouble(-bound, bound);
        for (var c = 0; c < classes; c++) b[c] = (float)rng.NextDouble(-bound, bound);
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--) { var j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        var xs = order.Select(i => x[i].Select(v => (float)v).ToArray()).ToArray();
        var ys = order.Select(i => y[i]).ToArray();
        float[] mW = new float[w.Length], vW = new float[w.Length], mB = new float[classes], vB = new float[classes];
        var batches = (n + schedule.BatchSize - 1) / schedule.BatchSize;
        for (var t = 1; t <= schedule.Steps; t++)
        {
            var start = (t - 1) % batches * schedule.BatchSize;
            var count = Math.Min(schedule.BatchSize, n - start);
            var gW = new float[w.Length];
            var gB = new float[classes];
            var z = new float[classes];
            for (var i = start; i < start + count; i++)
            {
                for (var c = 0; c < classes; c++) z[c] = b[c] + System.Numerics.Tensors.TensorPrimitives.Dot(w.AsSpan(c * d, d), xs[i]);
                var max = z.Max();
                var e = z.Select(v => Math.Exp(v - max)).ToArray();
                for (var c = 0; c < classes; c++)
                {
                    var delta = (float)((e[c] / e.Sum() - (c == ys[i] ? 1 : 0)) / count);
                    gB[c] += delta;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(xs[i], delta, gW.AsSpan(c * d, d), gW.AsSpan(c * d, d));
                }
            }
            void Adam(float[] p, float[] g, float[] m, float[] v)
            {
                double b1 = schedule.Beta1, b2 = schedule.Beta2, c1 = 1 - Math.Pow(b1, t), c2 = 1 - Math.Pow(b2, t);
                for (var k = 0; k < p.Length; k++)
                {
                    m[k] = (float)(b1 * m[k] + (1 - b1) * g[k]);
                    v[k] = (float)(b2 * v[k] + (1 - b2) * g[k] * g[k]);
                    p[k] -= (float)(schedule.LearningRate * (m[k] / c1) / (Math.Sqrt(v[k] / c2) + schedule.Epsilon));
                }
            }
            Adam(w, gW, mW, vW);
            Adam(b, gB, mB, vB);
        }
        var probe = Enumerable.Range(0, d).Select(j => Math.Sin(j)).ToArray();
        var expected = Enumerable.Range(0, classes)
            .Select(c => b[c] + System.Numerics.Tensors.TensorPrimitives.Dot(w.AsSpan(c * d, d), probe.Select(v => (float)v).ToArray())).ToArray();
        Assert.That(model.Scores(probe), Is.EqualTo(expected.Select(v => (double)v)));
    }
}
