using Neuromorphic.Arch.Lsm;
using Neuromorphic.Sim.Learning;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

public sealed class LsmExperimentTests
{
    [Test]
    public void ReservoirOnChipLearnsWellAboveChanceAndCloseToSoftware()
    {
        var samples = LsmTestData.PoissonSamples(4, 16, 256, 40, 21);
        var r = LsmExperiment.Run(LsmTestData.Preset.Architecture, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout, samples, 0.006, 2);
        Assert.That(r.Accuracy, Is.GreaterThan(0.6), "chance is 0.25");
        Assert.That(r.SoftwareAccuracy, Is.GreaterThan(0.6));
        Assert.That(r.EnergyPerInferenceJ, Is.GreaterThan(0));
        Assert.That(r.LatencyPerTimestepCycles, Is.GreaterThan(0));
        Assert.That(r.TestSamples + r.TrainSamples + r.ValidationSamples, Is.EqualTo(samples.Count));
        Assert.That(r.ReservoirSparsity, Is.InRange(0.0, 1.0));
    }

    [Test]
    public void SplitIsStratifiedDeterministicAndKeepsTheDatasetsTestSet()
    {
        var samples = LsmTestData.PoissonSamples(3, 10, 12, 2, 1);
        var a = DatasetSplit.Make(samples, 0.2, 0.25, 7);
        var b = DatasetSplit.Make(samples, 0.2, 0.25, 7);
        Assert.That(a.Test, Is.EqualTo(b.Test));
        Assert.That(a.Test.Length, Is.EqualTo(6));
        Assert.That(a.Train.Concat(a.Validation).Concat(a.Test).Order(), Is.EqualTo(Enumerable.Range(0, 30)));
        var marked = samples.Select((s, i) => i % 5 == 0 ? s with { Split = SampleSplit.Test } : s with { Split = SampleSplit.Train }).ToList();
        Assert.That(DatasetSplit.Make(marked, 0.2, 0.25, 7).Test, Is.EqualTo(Enumerable.Range(0, 30).Where(i => i % 5 == 0)));
    }

    [Test]
    public void RidgeMatchesTheNormalEquationsInBothForms()
    {
        // Independent reference: solve (X^T X + lambda I) w = X^T y on standardised features directly.
        var rng = new Random(4);
        foreach (var (n, d) in new[] { (40, 6), (8, 30) })
        {
            var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble()).ToArray()).ToArray();
            var labels = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
            var model = RidgeClassifier.Fit(x, labels, 3, 0.5);
            var mean = Enumerable.Range(0, d).Select(j => x.Average(r => r[j])).ToArray();
            var sd = Enumerable.Range(0, d).Select(j => Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])))).ToArray();
            var z = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, d, (i, j) => (x[i][j] - mean[j]) / sd[j]);
            var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, 3, (i, c) => (labels[i] == c ? 1 : 0) - labels.Count(l => l == c) / (double)n);
            var w = (z.TransposeThisAndMultiply(z) + 0.5 * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(d)).Solve(z.TransposeThisAndMultiply(y));
            for (var i = 0; i < n; i++)
            {
                var scores = model.Scores(x[i]);
                var expected = z.Row(i) * w;
                for (var c = 0; c < 3; c++)
                    Assert.That(scores[c], Is.EqualTo(expected[c] + labels.Count(l => l == c) / (double)n).Within(1e-8), $"n={n} d={d}");
            }
        }
    }

    [Test]
    public void RidgeSeparatesSeparableClasses()
    {
        double[][] x = [[0, 0], [0.1, 0], [1, 1], [1, 0.9], [0, 1], [0.1, 0.9]];
        int[] y = [0, 0, 1, 1, 2, 2];
        var (model, validation) = RidgeClassifier.FitWithValidation(x, y, x, y, 3, [0.001, 1, 1000]);
        Assert.That(validation, Is.EqualTo(1.0));
        Assert.That(model.Accuracy(x, y), Is.EqualTo(1.0));
    }
}
