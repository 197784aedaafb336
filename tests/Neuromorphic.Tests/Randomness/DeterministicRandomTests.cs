using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Randomness;

public sealed class DeterministicRandomTests
{
    [Test]
    public void XoshiroMatchesTheReferenceSequence()
    {
        // Reference implementation (Blackman & Vigna, xoshiro256starstar.c) from state {1, 2, 3, 4}.
        var rng = new DeterministicRandom(1, 2, 3, 4);
        Assert.That(new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() },
            Is.EqualTo(new ulong[] { 11520, 0, 1509978240, 1215971899390074240 }));
    }

    [Test]
    public void NextDoublesGivesWhatAsManyNextDoubleCallsGiveAndLeavesTheStreamInStep()
    {
        var bulk = DeterministicRandom.ForComponent(9, "cuba.connectivity/3");
        var one = DeterministicRandom.ForComponent(9, "cuba.connectivity/3");
        var drawn = new double[1000];
        bulk.NextDoubles(drawn.AsSpan(0, 3));
        bulk.NextDoubles(drawn.AsSpan(3));
        Assert.That(drawn, Is.EqualTo(Enumerable.Range(0, 1000).Select(_ => one.NextDouble())));
        Assert.That(bulk.NextUInt64(), Is.EqualTo(one.NextUInt64()));
    }

    [Test]
    public void SplitMix64MatchesTheReferenceValue() =>
        Assert.That(DeterministicRandom.SplitMix64Once(0), Is.EqualTo(0xE220A8397B1DCDAFUL));

    [Test]
    public void SameSeedSameStreamDifferentComponentsDiffer()
    {
        var a = DeterministicRandom.ForComponent(42, "macro0");
        var b = DeterministicRandom.ForComponent(42, "macro0");
        var c = DeterministicRandom.ForComponent(42, "macro1");
        var sa = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();
        Assert.That(Enumerable.Range(0, 8).Select(_ => b.NextUInt64()), Is.EqualTo(sa));
        Assert.That(Enumerable.Range(0, 8).Select(_ => c.NextUInt64()), Is.Not.EqualTo(sa));
    }

    [Test]
    public void NextIntIsUniformByChiSquare()
    {
        var rng = new DeterministicRandom(7);
        const int bins = 10, draws = 100_000;
        var counts = new int[bins];
        for (var i = 0; i < draws; i++) counts[rng.NextInt(bins)]++;
        var expected = draws / (double)bins;
        var chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.That(chi2, Is.LessThan(27.88)); // p = 0.001 critical value, 9 degrees of freedom
    }

    [Test]
    public void NormalAndGeometricHaveTheirMoments()
    {
        var rng = new DeterministicRandom(11);
        const int n = 200_000;
        var normals = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
        var mean = normals.Average();
        var variance = normals.Select(x => (x - mean) * (x - mean)).Average();
        Assert.That(mean, Is.EqualTo(0).Within(0.01));
        Assert.That(variance, Is.EqualTo(1).Within(0.02));

        const double p = 0.02;
        var geometric = Enumerable.Range(0, n).Select(_ => (double)rng.NextGeometric(p)).Average();
        Assert.That(geometric, Is.EqualTo((1 - p) / p).Within(0.02 * (1 - p) / p));
    }
}
