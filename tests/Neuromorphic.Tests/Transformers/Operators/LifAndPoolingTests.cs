using CsCheck;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Operators;

/// <summary>The multi-step LIF step and the pooling operators.</summary>
public sealed class LifAndPoolingTests
{
    [Test]
    public void LifByHand()
    {
        // X = 1.5 held: H = 0.75 (no), 1.125 (spike, reset), 0.75, 1.125 (spike).
        var v = new float[1];
        var s = new float[1];
        var spikes = new List<float>();
        for (var t = 0; t < 4; t++) { MultiStepLif.Step(v, [1.5f], s); spikes.Add(s[0]); }
        Assert.That(spikes, Is.EqualTo(new[] { 0f, 1f, 0f, 1f }));
        // Threshold reached exactly fires (H - V_th >= 0).
        var w = new float[1];
        Assert.That(MultiStepLif.Step(w, [2f], s), Is.EqualTo(1));
        Assert.That(w[0], Is.Zero);
    }

    [Test]
    public void LifMatchesTheSpikingJellyNeuronModel()
    {
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 6], Gen.Int).Sample((n, steps, seed) =>
        {
            var rng = TestData.Rng(seed, "lif");
            var model = new SpikingJellyLifModel(n, tau: 2, vThreshold: 1.0).CreateDynamics<float>(1);
            var membrane = new float[n];
            float[] ours = new float[n], theirs = new float[n];
            for (var t = 0; t < steps; t++)
            {
                var x = TestData.Normal(rng, n, 1.5);
                var count = MultiStepLif.Step(membrane, x, ours);
                model.Step(x, theirs);
                if (!ours.SequenceEqual(theirs) || count != ours.Count(s => s != 0)) return false;
                if (!TestData.Close(membrane, model.Membrane, 1e-6)) return false;
            }
            return true;
        }, iter: 200);
    }

    [Test]
    public void MaxPoolAndMean()
    {
        // One channel 4x4 with values 0..15; 3x3 stride 2 padding 1 -> 2x2.
        var x = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var y = new float[4];
        Pooling.MaxPool(x, 1, 4, 4, 3, 2, 1, y);
        Assert.That(y, Is.EqualTo(new float[] { 5, 7, 13, 15 }));
        var m = new float[2];
        Pooling.GlobalMean([1, 2, 3, 4, 10, 20, 30, 40], 2, m);
        Assert.That(m, Is.EqualTo(new float[] { 2.5f, 25 }));
    }

    [Test]
    public void MaxPoolOfSpikesIsAnOr()
    {
        var rng = TestData.Rng(4, "pool.or");
        var x = TestData.Binary(rng, 2 * 6 * 6, 0.1);
        var y = new float[2 * 3 * 3];
        Pooling.MaxPool(x, 2, 6, 6, 2, 2, 0, y);
        for (var c = 0; c < 2; c++)
            for (var oy = 0; oy < 3; oy++)
                for (var ox = 0; ox < 3; ox++)
                {
                    var any = false;
                    for (var dy = 0; dy < 2; dy++)
                        for (var dx = 0; dx < 2; dx++) any |= x[(c * 6 + 2 * oy + dy) * 6 + 2 * ox + dx] != 0;
                    Assert.That(y[(c * 3 + oy) * 3 + ox], Is.EqualTo(any ? 1f : 0f));
                }
    }
}
