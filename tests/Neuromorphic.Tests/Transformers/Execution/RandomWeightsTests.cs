using System.Diagnostics;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Execution;

/// <summary>Seeded random weights and functional runs of the small ModelZoo configurations.</summary>
public sealed class RandomWeightsTests
{
    private static float[] Image(TransformerModel model, ulong seed)
    {
        var rng = DeterministicRandom.ForComponent(seed, "test.image");
        var image = new float[model.ImageChannels * model.ImageSize * model.ImageSize];
        for (var i = 0; i < image.Length; i++) image[i] = (float)rng.NextNormal();
        return image;
    }

    private static readonly Dictionary<string, (TransformerModel Model, TransformerWeights Weights)> Cache = new();

    private static (TransformerModel Model, TransformerWeights Weights) Small(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var entry))
            {
                var model = name == "sdt-v1-2-64-cifar"
                    ? SpikeDrivenTransformerV1.Build(new SdtV1Options { Blocks = 2, Embedding = 64, ImageSize = 32, Timesteps = 4, Classes = 10, PoolingStat = "0011" })
                    : ModelZoo.Create(name, imageSize: 32, timesteps: 4, classes: 10);
                Cache[name] = entry = (model, TransformerExecutor.RandomWeights(model, 1));
            }
            return entry;
        }
    }

    [TestCase("meta-spikeformer-16-32-64-96")]
    [TestCase("sdt-v1-2-64")]
    [TestCase("sdt-v1-2-64-cifar")]
    public void HiddenLifsNeitherDieNorSaturate(string name)
    {
        var (model, weights) = Small(name);
        var executor = new TransformerExecutor(model, weights);
        var lifs = model.Layers.Where(l => l.Kind == LayerKind.Lif).Select(l => l.Name).ToHashSet();
        for (ulong image = 0; image < 3; image++)
        {
            var run = executor.Run(Image(model, 100 + image));
            var rates = run.FiringRates.Where(r => lifs.Contains(r.Layer)).ToList();
            Assert.That(rates, Has.Count.EqualTo(lifs.Count));
            foreach (var r in rates)
                Assert.That(r.Rate, Is.GreaterThan(0).And.LessThan(0.6), $"{name} {r.Layer}");
            var mean = rates.Average(r => r.Rate);
            Assert.That(mean, Is.InRange(0.05, 0.3), name);
            TestContext.Out.WriteLine($"{name} image {image}: mean LIF rate {mean:F3}, min {rates.Min(r => r.Rate):F3} ({rates.MinBy(r => r.Rate)!.Layer}), max {rates.Max(r => r.Rate):F3} ({rates.MaxBy(r => r.Rate)!.Layer})");
            Assert.That(run.Scores, Has.Count.EqualTo(4));
            Assert.That(run.Scores.All(s => s.Length == 10 && s.All(float.IsFinite)));
        }
    }

    [Test]
    public void CalibratingOnTheCallersImagesKeepsUnnormalisedImagesAlive()
    {
        var model = ModelZoo.Create("meta-spikeformer-16-32-64-96", imageSize: 32, timesteps: 4, classes: 10);
        float[] Uniform(ulong seed)
        {
            var rng = DeterministicRandom.ForComponent(seed, "test.uniform-image");
            return Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)rng.NextDouble()).ToArray();
        }
        var weights = TransformerExecutor.RandomWeights(model, 1, calibrationImage: Uniform(1));
        var run = new TransformerExecutor(model, weights).Run(Uniform(2));
        var rates = run.FiringRates.Where(r => model[r.Layer].Kind == LayerKind.Lif).Select(r => r.Rate).ToList();
        Assert.That(rates, Is.All.GreaterThan(0).And.LessThan(0.6));
        Assert.That(rates.Average(), Is.InRange(0.05, 0.3));
        Assert.Throws<ArgumentException>(() => TransformerExecutor.RandomWeights(model, 1, calibrationImage: new float[7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransformerExecutor.RandomWeights(model, 1, targetFiringRate: 0.7));
    }

    [Test]
    public void SmallMetaSpikeFormerRunsToTheEndWithoutHanging()
    {
        var (model, weights) = Small("meta-spikeformer-16-32-64-96");
        var executor = new TransformerExecutor(model, weights);
        var image = Image(model, 5);
        var watch = Stopwatch.StartNew();
        var run = executor.Run(image);
        watch.Stop();
        TestContext.Out.WriteLine($"{model.Name} 32x32 T=4: {watch.Elapsed.TotalMilliseconds:F1} ms, {run.TotalSynapticOps} synaptic ops");
        Assert.That((run.TimestepsRun, run.StoppedEarly), Is.EqualTo((model.Timesteps, false)));
        Assert.That(run.TotalSynapticOps, Is.GreaterThan(0));
        // A hang guard, not a speed check (the project measures speed with benchmarks, never with timed tests): the run
        // takes tens of milliseconds, so 30 s fails only for a run that does not end, however loaded the machine.
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(30), "hang guard");
    }

    [Test]
    public void SameSeedGivesIdenticalWeightsAndScores()
    {
        var model = ModelZoo.Create("meta-spikeformer-16-32-64-96", imageSize: 32, timesteps: 4, classes: 10);
        var a = TransformerExecutor.RandomWeights(model, 1);
        var (_, b) = Small("meta-spikeformer-16-32-64-96");
        Assert.That(a.Layers.Keys, Is.EquivalentTo(b.Layers.Keys));
        foreach (var (name, w) in a.Layers)
        {
            Assert.That(w.Weight, Is.EqualTo(b[name].Weight), name);
            Assert.That(w.Bias, Is.EqualTo(b[name].Bias), name);
        }
        var image = Image(model, 9);
        var first = new TransformerExecutor(model, a).Run(image);
        var second = new TransformerExecutor(model, b).Run(image);
        for (var t = 0; t < 4; t++) Assert.That(first.Scores[t], Is.EqualTo(second.Scores[t]));
        Assert.That(first.Activity, Is.EqualTo(second.Activity));

        var other = TransformerExecutor.RandomWeights(model, 2);
        Assert.That(other["head.fc"].Weight, Is.Not.EqualTo(a["head.fc"].Weight));
    }

    [Test]
    public void EveryWeightedLayerGetsWeightsOfItsShape()
    {
        var (model, weights) = Small("sdt-v1-2-64");
        foreach (var l in model.Layers.Where(l => l.Kind is LayerKind.Conv or LayerKind.Linear))
        {
            var w = weights[l.Name];
            var fanIn = l.Kind == LayerKind.Linear ? l.InChannels : l.InChannels / l.Groups * l.Kernel * l.Kernel;
            Assert.That(w.Weight, Has.Length.EqualTo(l.Channels * fanIn), l.Name);
            Assert.That(w.Bias, Has.Length.EqualTo(l.Bias || l.BatchNorm ? l.Channels : 0), l.Name);
        }
        Assert.That(weights.Layers, Has.Count.EqualTo(model.Layers.Count(l => l.Kind is LayerKind.Conv or LayerKind.Linear)));
    }
}
