using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;
using static Neuromorphic.Tests.Hw.Devices.SampleStatistics;

namespace Neuromorphic.Tests.Hw.Devices;

[TestFixture]
public sealed class ConductanceDistributionTests
{
    private static IEnumerable<ConductanceDistribution> Distributions()
    {
        yield return ConductanceDistribution.LogNormal(3e-6, 0.5);
        yield return ConductanceDistribution.Normal(4e-6, 3e-6);
        yield return ConductanceDistribution.Uniform(0, 9e-6);
    }

    [TestCaseSource(nameof(Distributions))]
    public void AnalyticMeanMatchesSamples(ConductanceDistribution distribution)
    {
        var rng = new DeterministicRandom(11);
        var x = Enumerable.Range(0, 40_000).Select(_ => distribution.Sample(rng)).ToList();
        Assert.That(Mean(x), Is.EqualTo(distribution.Mean).Within(2).Percent);
    }

    [TestCaseSource(nameof(Distributions))]
    public void MeanWithinAWindowMatchesWindowedSamples(ConductanceDistribution distribution)
    {
        const double Low = 1e-6, High = 6e-6;
        var rng = new DeterministicRandom(12);
        var x = Enumerable.Range(0, 40_000).Select(_ => distribution.SampleWithin(rng, Low, High)).ToList();
        Assert.That(x, Is.All.InRange(Low, High));
        Assert.That(Mean(x), Is.EqualTo(distribution.MeanWithin(Low, High)).Within(1).Percent);
    }

    [Test]
    public void LogNormalMeanIsMedianTimesExpHalfSigmaSquared()
    {
        var d = ConductanceDistribution.LogNormal(2e-6, 0.3);
        Assert.That(d.Mean, Is.EqualTo(2e-6 * Math.Exp(0.045)).Within(1e-20));
        Assert.That(d.Median, Is.EqualTo(2e-6));
    }

    [Test]
    public void DegenerateDistributionsAreConstants()
    {
        var rng = new DeterministicRandom(13);
        Assert.Multiple(() =>
        {
            Assert.That(ConductanceDistribution.LogNormal(2e-6, 0).Sample(rng), Is.EqualTo(2e-6));
            Assert.That(ConductanceDistribution.Normal(2e-6, 0).SampleWithin(rng, 3e-6, 4e-6), Is.EqualTo(3e-6));
            Assert.That(ConductanceDistribution.Uniform(5e-6, 5e-6).MeanWithin(0, 1e-5), Is.EqualTo(5e-6));
        });
    }
}
