using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Execution;

/// <summary>The functional executor on hand-made layer lists, checked against hand computations.</summary>
public sealed class TransformerExecutorTests
{
    private static ModelLayer Layer(string name, LayerKind kind, string[] inputs, int c, int h, int w) =>
        new() { Name = name, Kind = kind, Inputs = inputs, Channels = c, Height = h, Width = w };

    /// <summary>
    /// image [1, 2, 2] -&gt; conv1 (1x1, 1 -&gt; 2, weights 1 and 0.5) -&gt; LIF -&gt; conv2 (1x1, 2 -&gt; 1,
    /// weights 1 and 2, bias 0.25) -&gt; + image -&gt; LIF -&gt; spatial mean -&gt; linear (1 -&gt; 2, weights
    /// 1 and -1, biases 0 and 0.5), T = 3.
    /// </summary>
    private static (TransformerModel Model, TransformerWeights Weights) Tiny()
    {
        ModelLayer[] layers =
        [
            Layer("conv1", LayerKind.Conv, ["image"], 2, 2, 2) with { InChannels = 1, SpikingInput = false },
            Layer("lif1", LayerKind.Lif, ["conv1"], 2, 2, 2),
            Layer("conv2", LayerKind.Conv, ["lif1"], 1, 2, 2) with { InChannels = 2, Bias = true },
            Layer("add", LayerKind.Add, ["conv2", "image"], 1, 2, 2),
            Layer("lif2", LayerKind.Lif, ["add"], 1, 2, 2),
            Layer("mean", LayerKind.GlobalMean, ["lif2"], 1, 1, 1),
            Layer("fc", LayerKind.Linear, ["mean"], 2, 1, 1) with { InChannels = 1, Bias = true },
        ];
        var weights = new TransformerWeights(new Dictionary<string, LayerWeights>
        {
            ["conv1"] = new([1f, 0.5f], []),
            ["conv2"] = new([1f, 2f], [0.25f]),
            ["fc"] = new([1f, -1f], [0f, 0.5f]),
        });
        return (new TransformerModel("tiny", 1, 2, 3, 2, layers), weights);
    }

    [Test]
    public void TinyNetworkMatchesTheHandComputation()
    {
        var (model, weights) = Tiny();
        var run = new TransformerExecutor(model, weights).Run([2f, 0f, 1f, 3f]);

        // By hand (H = V + (X - V) / 2, spike at H >= 1, reset to 0):
        // t0: lif1 spikes c0 at pixels 0, 3; add = [3.25, .25, 1.25, 4.25]; lif2 spikes 0, 3 -> mean .5
        // t1: lif1 adds c1 pixel 3 (H = 1.125); add = [3.25, .25, 1.25, 6.25]; lif2 spikes 0, 3 -> .5
        // t2: lif1 as t0; lif2 pixel 2 reaches H = 1.09375 -> spikes 0, 2, 3 -> mean .75
        Assert.That(run.TimestepsRun, Is.EqualTo(3));
        Assert.That(run.StoppedEarly, Is.False);
        Assert.That(run.Scores[0], Is.EqualTo(new[] { 0.5f, 0f }));
        Assert.That(run.Scores[1], Is.EqualTo(new[] { 0.5f, 0f }));
        Assert.That(run.Scores[2], Is.EqualTo(new[] { 0.75f, -0.25f }));
        Assert.That(run.MeanScores()[0], Is.EqualTo((0.5f + 0.5f + 0.75f) / 3).Within(1e-6));

        LayerActivity At(string layer, int t) => run.Activity.Single(a => a.Layer == layer && a.Timestep == t);
        Assert.That(Enumerable.Range(0, 3).Select(t => At("conv1", t).SynapticOps), Is.All.EqualTo(6), "3 non-zero pixels x 2 outputs");
        Assert.That(Enumerable.Range(0, 3).Select(t => At("conv2", t).SynapticOps), Is.EqualTo(new long[] { 2, 3, 2 }), "one add per spike");
        Assert.That(Enumerable.Range(0, 3).Select(t => At("lif2", t).OutputActive), Is.EqualTo(new long[] { 2, 2, 3 }));
        Assert.That(At("conv2", 1), Is.EqualTo(new LayerActivity("conv2", 1, 8, 3, 4, 4, 3)));
        Assert.That(At("add", 0).InputElements, Is.EqualTo(8));
        Assert.That(At("add", 0).InputActive, Is.EqualTo(4 + 3));
        Assert.That(At("fc", 2).SynapticOps, Is.EqualTo(2));
        Assert.That(run.FiringRate("lif1"), Is.EqualTo(7.0 / 24).Within(1e-12));
        Assert.That(run.FiringRate("lif2"), Is.EqualTo(7.0 / 12).Within(1e-12));
        Assert.That(run.FiringRates.Single(r => r.Layer == "lif2").PerTimestep, Is.EqualTo(new[] { 0.5, 0.5, 0.75 }));
        Assert.That(run.FiringRates.Select(r => r.Layer), Is.EqualTo(new[] { "lif1", "lif2" }));
    }

    [Test]
    public void LifIsMultiStepWithStateAcrossTimestepsAndResetBetweenRuns()
    {
        // image 1.5 held -> H = .75, 1.125 (spike), .75, 1.125 (spike); a LIF with two inputs integrates their sum.
        ModelLayer[] layers =
        [
            Layer("lif", LayerKind.Lif, ["image"], 1, 1, 1),
            Layer("half", LayerKind.Scale, ["image"], 1, 1, 1) with { Factor = 0.5 },
            Layer("shortcut_lif", LayerKind.Lif, ["half", "half"], 1, 1, 1),
            Layer("both", LayerKind.Add, ["lif", "shortcut_lif"], 1, 1, 1),
            Layer("fc", LayerKind.Linear, ["both"], 1, 1, 1) with { InChannels = 1 },
        ];
        var model = new TransformerModel("lif", 1, 1, 4, 1, layers);
        var executor = new TransformerExecutor(model, new TransformerWeights(new Dictionary<string, LayerWeights> { ["fc"] = new([1f], []) }));
        for (var run = 0; run < 2; run++)
        {
            var result = executor.Run([1.5f]);
            Assert.That(result.Scores.Select(s => s[0]), Is.EqualTo(new[] { 0f, 2f, 0f, 2f }));
            Assert.That(result.FiringRate("lif"), Is.EqualTo(0.5));
        }
    }

    [Test]
    public void StopsAfterTheTimestepTheCallerChooses()
    {
        var (model, weights) = Tiny();
        var seen = new List<(int, float)>();
        var run = new TransformerExecutor(model, weights).Run([2f, 0f, 1f, 3f], (t, scores) =>
        {
            seen.Add((t, scores[0]));
            return t == 1;
        });
        Assert.That(seen, Is.EqualTo(new[] { (0, 0.5f), (1, 0.5f) }));
        Assert.That(run.TimestepsRun, Is.EqualTo(2));
        Assert.That(run.StoppedEarly);
        Assert.That(run.Scores, Has.Count.EqualTo(2));
        Assert.That(run.Activity.Max(a => a.Timestep), Is.EqualTo(1));
        Assert.That(run.FiringRate("lif2"), Is.EqualTo(0.5));
    }

    [TestCase(LayerKind.SdsaV1)]
    [TestCase(LayerKind.SdsaV2)]
    public void AttentionLayersSeeTokenMajorQkv(LayerKind kind)
    {
        // Q, K, V are LIFs of different thresholds on a [D, 3, 3] image; one timestep.
        const int d = 8, side = 3, tokens = side * side;
        ModelLayer[] layers =
        [
            Layer("q", LayerKind.Lif, ["image"], d, side, side) with { Threshold = 0.3 },
            Layer("k", LayerKind.Lif, ["image"], d, side, side) with { Threshold = 0.5 },
            Layer("v", LayerKind.Lif, ["image"], d, side, side) with { Threshold = 0.2 },
            Layer("attn", kind, ["q", "k", "v"], d, side, side) with { Heads = 2, Threshold = 0.5 },
        ];
        var model = new TransformerModel("attn", d, side, 1, 1, layers);
        var rng = DeterministicRandom.ForComponent(11, "attention.image");
        var image = new float[d * tokens];
        for (var i = 0; i < image.Length; i++) image[i] = (float)rng.NextDouble(0, 1.4);
        var run = new TransformerExecutor(model, new TransformerWeights(new Dictionary<string, LayerWeights>())).Run(image);

        float[] q = new float[tokens * d], k = new float[tokens * d], v = new float[tokens * d], expected = new float[tokens * d];
        for (var c = 0; c < d; c++)
            for (var t = 0; t < tokens; t++)
            {
                var x = image[c * tokens + t] / 2; // the first LIF step from rest
                q[t * d + c] = x >= 0.3f ? 1 : 0;
                k[t * d + c] = x >= 0.5f ? 1 : 0;
                v[t * d + c] = x >= 0.2f ? 1 : 0;
            }
        var ops = kind == LayerKind.SdsaV1 ? Sdsa.V1(q, k, v, tokens, d, expected, 2) : Sdsa.V2(q, k, v, tokens, d, 2, expected);
        Assert.That(expected.Count(x => x != 0), Is.GreaterThan(0));
        for (var c = 0; c < d; c++)
            for (var t = 0; t < tokens; t++)
                Assert.That(run.Scores[0][c * tokens + t], Is.EqualTo(expected[t * d + c]));
        var a = run.Activity.Single(x => x.Layer == "attn");
        Assert.That((a.SynapticOps, a.AndOps), Is.EqualTo((ops.Adds, ops.Ands)));
        Assert.That(a.InputElements, Is.EqualTo(3L * tokens * d));
        Assert.That(run.FiringRates.Select(r => r.Layer), kind == LayerKind.SdsaV1 ? Does.Contain("attn") : Does.Not.Contain("attn"));
    }

    [Test]
    public void RejectsInconsistentModelsAndWeights()
    {
        var (model, weights) = Tiny();
        var badWeights = new TransformerWeights(new Dictionary<string, LayerWeights>(weights.Layers) { ["conv2"] = new([1f, 2f, 3f], []) });
        Assert.Throws<ArgumentException>(() => new TransformerExecutor(model, badWeights));
        Assert.Throws<KeyNotFoundException>(() => new TransformerExecutor(model, new TransformerWeights(new Dictionary<string, LayerWeights>())));
        var wrongInput = model with { Layers = model.Layers.Select(l => l.Name == "lif2" ? l with { Inputs = ["nowhere"] } : l).ToArray() };
        Assert.Throws<ArgumentException>(() => new TransformerExecutor(wrongInput, weights));
        var wrongShape = model with { Layers = model.Layers.Select(l => l.Name == "conv2" ? l with { Height = 3 } : l).ToArray() };
        Assert.Throws<ArgumentException>(() => new TransformerExecutor(wrongShape, weights));
        Assert.Throws<ArgumentException>(() => new TransformerExecutor(model, weights).Run(new float[5]));
    }
}
