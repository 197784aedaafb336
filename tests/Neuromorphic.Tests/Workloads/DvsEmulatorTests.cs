using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Workloads;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

public sealed class DvsEmulatorTests
{
    /// <summary>Identical noiseless pixels on a 40 x 8 sensor that exactly fits the image.</summary>
    private static readonly DvsEmulatorParameters Ideal = new()
    {
        SensorWidth = 40, SensorHeight = 8, ThresholdSigma = 0, BackgroundRateHz = 0,
    };

    /// <summary>A bright bar (columns 10-19, intensity 1) on black, 40 x 8.</summary>
    private static float[,] Bar()
    {
        var image = new float[8, 40];
        for (var y = 0; y < 8; y++)
            for (var x = 10; x < 20; x++)
                image[y, x] = 1;
        return image;
    }

    private static EventStream Record(DvsEmulatorParameters p, float[,] image, MotionPath path, ulong seed = 1) =>
        new DvsEmulator(p, seed).Record(image, path, DeterministicRandom.ForComponent(seed, "noise"));

    [Test]
    public void ABrightBarMovingRightGivesOnAtTheLeadingEdgeAndOffAtTheTrailingEdge()
    {
        // 4 px to the right in 100 ms: the right (leading) edge brightens columns 20-23, the left
        // (trailing) edge darkens columns 10-13.
        var events = Record(Ideal, Bar(), MotionPath.Saccades(new Saccade(PixelOffset.Zero, new PixelOffset(4, 0), 100_000))).Events;
        var on = events.Where(e => e.Polarity == 1).ToList();
        var off = events.Where(e => e.Polarity == 0).ToList();
        Assert.That(on, Is.Not.Empty);
        Assert.That(off, Is.Not.Empty);
        Assert.That(on.Select(e => (int)e.X), Is.All.InRange(20, 24), "ON only where the bar arrives");
        Assert.That(off.Select(e => (int)e.X), Is.All.InRange(10, 14), "OFF only where the bar leaves");
        // Both edges have the same contrast, so the same number of thresholds are crossed.
        Assert.That(on.Count, Is.EqualTo(off.Count).Within(10).Percent);
        // Every row sees the same edge.
        var perRow = on.GroupBy(e => e.Y).Select(g => g.Count()).ToList();
        Assert.That(perRow, Has.Count.EqualTo(8));
        Assert.That(perRow.Max() - perRow.Min(), Is.LessThanOrEqualTo(1));
        // The edge reaches columns further right later: mean ON time grows with x.
        var meanTimes = on.GroupBy(e => e.X).OrderBy(g => g.Key).Where(g => g.Count() >= 8).Select(g => g.Average(e => e.TimeUs)).ToList();
        Assert.That(meanTimes, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(meanTimes, Is.Ordered.Ascending);
        Assert.That(meanTimes.Zip(meanTimes.Skip(1), (a, b) => b - a), Is.All.GreaterThan(15_000), "one column per 25 ms");
    }

    [Test]
    public void AStaticSceneWithoutNoiseIsSilent()
    {
        var still = MotionPath.Saccades(new Saccade(new PixelOffset(0.3, -0.7), new PixelOffset(0.3, -0.7), 200_000));
        var events = Record(new DvsEmulatorParameters { BackgroundRateHz = 0 }, Bar(), still);
        Assert.That(events.Events, Is.Empty);
        Assert.That(events.Width, Is.EqualTo(34));
        Assert.That(events.Height, Is.EqualTo(34));
    }

    [Test]
    public void BackgroundActivityHasThePoissonRate()
    {
        const double rateHz = 5, seconds = 2;
        var still = MotionPath.Saccades(new Saccade(PixelOffset.Zero, PixelOffset.Zero, seconds * 1e6));
        var events = Record(new DvsEmulatorParameters { BackgroundRateHz = rateHz }, new float[28, 28], still).Events;
        var expected = rateHz * seconds * 34 * 34;
        Assert.That(events.Count, Is.EqualTo(expected).Within(4 * Math.Sqrt(expected)));
        Assert.That(events.Average(e => (double)e.Polarity), Is.EqualTo(0.5).Within(0.05));
    }

    [Test]
    public void ThresholdMismatchHasTheConfiguredStatistics()
    {
        var sensor = new DvsEmulator(new DvsEmulatorParameters { SensorWidth = 100, SensorHeight = 100, OnThreshold = 0.2, OffThreshold = 0.25, ThresholdSigma = 0.03 }, 5);
        foreach (var (values, mean) in new[] { (sensor.OnThresholds, 0.2), (sensor.OffThresholds, 0.25) })
        {
            var m = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Count - 1));
            Assert.That(values, Has.Count.EqualTo(10_000));
            Assert.That(m, Is.EqualTo(mean).Within(0.0015)); // 5 standard errors
            Assert.That(sd, Is.EqualTo(0.03).Within(0.0015));
        }
        // Distinct pixels really differ, and ON/OFF thresholds of one pixel are independent.
        var on = sensor.OnThresholds;
        var off = sensor.OffThresholds;
        var mOn = on.Average();
        var mOff = off.Average();
        var covariance = on.Zip(off, (a, b) => (a - mOn) * (b - mOff)).Average();
        Assert.That(covariance / (0.03 * 0.03), Is.EqualTo(0).Within(0.05));

        var wide = new DvsEmulator(new DvsEmulatorParameters { ThresholdSigma = 0.2, MinThreshold = 0.05 }, 5);
        Assert.That(wide.OnThresholds, Is.All.GreaterThanOrEqualTo(0.05));
        Assert.That(wide.OnThresholds.Count(v => v == 0.05), Is.GreaterThan(0), "the clamp is reached with sigma this wide");
    }

    [Test]
    public void TheRefractoryPeriodSeparatesEventsOfAPixel()
    {
        // A fast, high-contrast move plus strong noise: plenty of candidates closer than 5 ms.
        var fast = MotionPath.Saccades(new Saccade(PixelOffset.Zero, new PixelOffset(6, 0), 20_000), new Saccade(new PixelOffset(6, 0), PixelOffset.Zero, 20_000));
        var p = Ideal with { RefractoryUs = 5000, BackgroundRateHz = 100, TickUs = 500 };
        var events = Record(p, Bar(), fast).Events;
        var unlimited = Record(p with { RefractoryUs = 0 }, Bar(), fast).Events;
        Assert.That(events.Count, Is.LessThan(unlimited.Count), "the period drops events");
        Assert.That(events, Is.Not.Empty);
        foreach (var pixel in events.GroupBy(e => (e.X, e.Y)))
        {
            var times = pixel.Select(e => e.TimeUs).ToList();
            for (var i = 1; i < times.Count; i++)
                Assert.That(times[i] - times[i - 1], Is.GreaterThanOrEqualTo(5000), $"pixel {pixel.Key}");
        }
    }

    [Test]
    public void EventTimesAreSubTickAndSorted()
    {
        var events = Record(Ideal with { TickUs = 1000 }, Bar(), MotionPath.Saccades(new Saccade(PixelOffset.Zero, new PixelOffset(4, 0), 100_000))).Events;
        Assert.That(events.Select(e => e.TimeUs), Is.Ordered.Ascending);
        Assert.That(events.Count(e => e.TimeUs % 1000 != 0), Is.GreaterThan(events.Count / 2), "times interpolated within the tick");
    }

    [Test]
    public void AFinerTickGivesNearlyTheSameEvents()
    {
        var path = MotionPath.NmnistTriangle();
        var image = ShapeRenderer.Render(SceneShape.Ring, new ShapeStyle(13.5, 13.5, 1, 0, 2, 1), 28);
        var coarse = Record(new DvsEmulatorParameters(), image, path).Events;
        var fine = Record(new DvsEmulatorParameters { TickUs = 500 }, image, path).Events;
        Assert.That(fine.Count, Is.EqualTo(coarse.Count).Within(10).Percent);
    }

    [Test]
    public void SameSeedGivesIdenticalEventsAndAnotherSeedDiffers()
    {
        var image = ShapeRenderer.Render(SceneShape.Plus, new ShapeStyle(13.5, 13.5, 1, 0.1, 2, 0.8), 28);
        var path = MotionPath.NmnistTriangle();
        var a = Record(new DvsEmulatorParameters(), image, path, seed: 7).Events;
        var b = Record(new DvsEmulatorParameters(), image, path, seed: 7).Events;
        var c = Record(new DvsEmulatorParameters(), image, path, seed: 8).Events;
        Assert.That(a, Is.Not.Empty);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void BadParametersAreRejectedNamingTheField()
    {
        Assert.That(() => new DvsEmulator(new DvsEmulatorParameters { TickUs = 0 }, 1),
            Throws.ArgumentException.With.Message.Contains("DvsEmulatorParameters.TickUs"));
        Assert.That(() => new DvsEmulator(new DvsEmulatorParameters { ThresholdSigma = -0.1 }, 1),
            Throws.ArgumentException.With.Message.Contains("ThresholdSigma"));
        Assert.That(() => new DvsEmulator(new DvsEmulatorParameters { SensorWidth = 0 }, 1),
            Throws.ArgumentException.With.Message.Contains("SensorWidth"));
        Assert.That(() => new DvsEmulator(new DvsEmulatorParameters { BackgroundIntensity = 1.5 }, 1),
            Throws.ArgumentException.With.Message.Contains("BackgroundIntensity"));
        var bad = new float[2, 2];
        bad[1, 0] = 2;
        Assert.That(() => new DvsEmulator(new DvsEmulatorParameters(), 1).Record(bad, MotionPath.NmnistTriangle(), new DeterministicRandom(1)),
            Throws.ArgumentException.With.Message.Contains("image[1, 0]"));
    }
}
