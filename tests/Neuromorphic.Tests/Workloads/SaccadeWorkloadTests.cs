using Neuromorphic.Sim.Workloads;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

public sealed class SaccadeWorkloadTests
{
    private static readonly SaccadeWorkload Small = new(new SaccadeWorkloadParameters { SamplesPerClass = 2, Seed = 3 });

    [Test]
    public void TheDefaultsDescribeTwelveClassesOfFortySamples()
    {
        var workload = new SaccadeWorkload(new SaccadeWorkloadParameters());
        Assert.That(workload.ClassNames, Has.Count.EqualTo(12));
        Assert.That(workload.ClassNames, Is.Unique);
        Assert.That(workload.Count, Is.EqualTo(480));
        Assert.That(workload.Parameters.DurationUs, Is.EqualTo(300_000));
    }

    [Test]
    public void EverySampleIsANonEmptyTimeSortedRecordingOnTheSensor()
    {
        var samples = Small.Generate();
        Assert.That(samples, Has.Count.EqualTo(24));
        for (var s = 0; s < samples.Count; s++)
        {
            var sample = samples[s];
            Assert.That(sample.Label, Is.EqualTo(s / 2));
            Assert.That(sample.ClassName, Is.EqualTo(Small.ClassNames[sample.Label]));
            var events = sample.Events;
            Assert.That(events.Width, Is.EqualTo(34));
            Assert.That(events.Height, Is.EqualTo(34));
            Assert.That(events.Events.Count, Is.GreaterThan(500), sample.ClassName);
            Assert.That(events.Events.All(e => e.X < 34 && e.Y < 34 && e.Polarity <= 1));
            Assert.That(events.Events.Select(e => e.TimeUs), Is.Ordered.Ascending);
            Assert.That(events.Events[0].TimeUs, Is.GreaterThanOrEqualTo(0));
            Assert.That(events.DurationUs, Is.LessThanOrEqualTo(300_000));
        }
    }

    [Test]
    public void ASampleAloneEqualsTheSameSampleInTheWholeSetAndSeedsMatter()
    {
        var all = Small.Generate(threads: 3); // generated in parallel
        var again = new SaccadeWorkload(Small.Parameters).Sample(5, 1);
        Assert.That(again.Events.Events, Is.EqualTo(all[5 * 2 + 1].Events.Events));
        var other = new SaccadeWorkload(Small.Parameters with { Seed = 4 }).Sample(5, 1);
        Assert.That(other.Events.Events, Is.Not.EqualTo(again.Events.Events));
    }

    [Test]
    public void TheSweepClassesDifferOnlyInTime()
    {
        const int n = 4;
        var workload = new SaccadeWorkload(new SaccadeWorkloadParameters { SamplesPerClass = n });
        var right = Enumerable.Range(0, n).Select(i => workload.Sample(8, i).Events).ToList();
        var left = Enumerable.Range(0, n).Select(i => workload.Sample(9, i).Events).ToList();

        // Same amount of activity...
        double Total(List<EventStream> s) => s.Sum(e => e.Events.Count);
        Assert.That(Total(left), Is.EqualTo(Total(right)).Within(10).Percent);

        // ...at the same places, summed over time...
        var hr = Histogram(right);
        var hl = Histogram(left);
        Assert.That(Cosine(hr, hl), Is.GreaterThan(0.9));

        // ...but in the opposite order: events move right in one class and left in the other.
        foreach (var s in right) Assert.That(MeanX(s, secondHalf: true) - MeanX(s, secondHalf: false), Is.GreaterThan(4));
        foreach (var s in left) Assert.That(MeanX(s, secondHalf: false) - MeanX(s, secondHalf: true), Is.GreaterThan(4));
    }

    [Test]
    public void TheTriangleOrderClassesShareTheirPlacesButNotTheirTiming()
    {
        var forward = Small.Sample(10, 0).Events;
        var reverse = Small.Sample(11, 0).Events;
        Assert.That(forward.Events.Count, Is.EqualTo(reverse.Events.Count).Within(20).Percent);
        // Forward, the scene is right of centre during the first saccade ((0,-3) to (3,3)) and
        // left during the last ((-3,3) to (0,-3)); the reverse triangle swaps the two.
        double MeanXFirstThird(EventStream s) => s.Events.Where(e => e.TimeUs < 100_000).Average(e => (double)e.X);
        double MeanXLastThird(EventStream s) => s.Events.Where(e => e.TimeUs >= 200_000).Average(e => (double)e.X);
        Assert.That(MeanXFirstThird(forward) - MeanXLastThird(forward), Is.GreaterThan(1));
        Assert.That(MeanXFirstThird(reverse) - MeanXLastThird(reverse), Is.LessThan(-1));
    }

    [Test]
    public void BadParametersAreRejectedNamingTheField()
    {
        Assert.That(() => new SaccadeWorkload(new SaccadeWorkloadParameters { Classes = 13 }),
            Throws.ArgumentException.With.Message.Contains("SaccadeWorkloadParameters.Classes"));
        Assert.That(() => new SaccadeWorkload(new SaccadeWorkloadParameters { ContrastMax = 0.5 }),
            Throws.ArgumentException.With.Message.Contains("ContrastMax"));
        Assert.That(() => new SaccadeWorkload(new SaccadeWorkloadParameters { Emulator = new DvsEmulatorParameters { RefractoryUs = -1 } }),
            Throws.ArgumentException.With.Message.Contains("RefractoryUs"));
        Assert.That(() => Small.Sample(12, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Small.Sample(0, 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ImageToEventsCentresA28By28ImageOnThe34By34Sensor()
    {
        var pixels = new byte[28 * 28];
        for (var y = 4; y < 24; y++)
            for (var x = 10; x < 18; x++)
                pixels[y * 28 + x] = 200;
        var converter = new ImageToEvents(seed: 9);
        var events = converter.Convert(pixels, 28, 28, "test.0");
        Assert.That(events.Width, Is.EqualTo(34));
        Assert.That(events.Events, Is.Not.Empty);
        // The block spans sensor columns 13-20 at rest and moves at most 3 px either way.
        // The block covers sensor columns 13-20 and rows 7-26 at rest and moves at most 3 px each
        // way; only background noise may fall elsewhere.
        Assert.That(events.Events.Count(e => e.X is >= 9 and <= 24 && e.Y is >= 3 and <= 30), Is.GreaterThan(0.98 * events.Events.Count));
        Assert.That(new ImageToEvents(seed: 9).Convert(pixels, 28, 28, "test.0").Events, Is.EqualTo(events.Events));
        Assert.That(() => converter.Convert(pixels, 27, 28, "x"), Throws.ArgumentException);
    }

    private static double[] Histogram(IEnumerable<EventStream> streams)
    {
        var h = new double[34 * 34];
        foreach (var s in streams)
            foreach (var e in s.Events)
                h[e.Y * 34 + e.X]++;
        return h;
    }

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(x => x * x));

    private static double MeanX(EventStream s, bool secondHalf) =>
        s.Events.Where(e => secondHalf == (e.TimeUs >= 150_000)).Average(e => (double)e.X);
}
