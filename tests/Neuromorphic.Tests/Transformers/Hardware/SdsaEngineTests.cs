using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>The SDSA unit, event by event, against the software operators and closed-form operation counts.</summary>
public sealed class SdsaEngineTests
{
    private static float[] Spikes(DeterministicRandom rng, int n, double rate)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = rng.NextDouble() < rate ? 1f : 0f;
        return x;
    }

    [TestCase(49, 64, 8, 0.2)]
    [TestCase(16, 24, 3, 0.5)]
    [TestCase(10, 8, 1, 0.0)]
    public void V2_computes_what_the_software_operator_does_and_counts_only_arriving_spikes(int tokens, int channels, int heads, double rate)
    {
        var rng = DeterministicRandom.ForComponent(7, $"sdsa.{tokens}.{channels}");
        var (q, k, v) = (Spikes(rng, tokens * channels, rate), Spikes(rng, tokens * channels, rate), Spikes(rng, tokens * channels, rate));
        var expected = new float[tokens * channels];
        Sdsa.V2(q, k, v, tokens, channels, heads, expected);
        var actual = new float[tokens * channels];
        var a = new SdsaEngine(new SdsaUnit(new SdsaUnitParameters())).V2(q, k, v, tokens, channels, heads, actual);
        Assert.That(actual, Is.EqualTo(expected));

        // Closed forms: an AND per K spike and V bit of its head; an add per coincidence and per Q spike x head width.
        int d = channels / heads;
        long ands = 0, adds = 0;
        for (var n = 0; n < tokens; n++)
            for (var h = 0; h < heads; h++)
            {
                long nk = 0, nv = 0, nq = 0;
                for (var j = 0; j < d; j++)
                {
                    nk += (long)k[n * channels + h * d + j];
                    nv += (long)v[n * channels + h * d + j];
                    nq += (long)q[n * channels + h * d + j];
                }
                ands += nk * d;
                adds += nk * nv + nq * d;
            }
        Assert.That(a.Ands, Is.EqualTo(ands));
        Assert.That(a.Adds, Is.EqualTo(adds));
        Assert.That(a.QSpikes, Is.EqualTo((long)q.Sum()));
    }

    [Test]
    public void V1_matches_the_software_operator_over_timesteps_membranes_included()
    {
        const int tokens = 36, channels = 32;
        var rng = DeterministicRandom.ForComponent(8, "sdsa.v1");
        var engine = new SdsaEngine(new SdsaUnit(new SdsaUnitParameters()));
        var (m1, m2) = (new float[channels], new float[channels]);
        for (var t = 0; t < 4; t++)
        {
            var (q, k, v) = (Spikes(rng, tokens * channels, 0.3), Spikes(rng, tokens * channels, 0.3), Spikes(rng, tokens * channels, 0.3));
            var expected = new float[tokens * channels];
            var actual = new float[tokens * channels];
            Sdsa.V1(q, k, v, tokens, channels, m1, expected);
            var a = engine.V1(q, k, v, tokens, channels, m2, actual);
            Assert.That(actual, Is.EqualTo(expected), $"t = {t}");
            Assert.That(m2, Is.EqualTo(m1));
            Assert.That(a.Ands, Is.EqualTo((long)(k.Sum() + q.Sum())));
            Assert.That(a.Adds, Is.EqualTo(k.Zip(v).Count(p => p.First * p.Second > 0)));
        }
    }
}
