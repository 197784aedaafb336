using Neuromorphic.Sim.Workloads;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

public sealed class MotionPathTests
{
    [Test]
    public void TheNmnistTriangleGoesRightDownThenLeftThenUpRightBackToItsStart()
    {
        var path = MotionPath.NmnistTriangle(3, 100_000);
        Assert.That(path.DurationUs, Is.EqualTo(300_000));
        Assert.That(path.Sequence, Has.Count.EqualTo(3));
        Assert.That(path.OffsetAt(0), Is.EqualTo(new PixelOffset(0, -3)));
        Assert.That(path.OffsetAt(100_000), Is.EqualTo(new PixelOffset(3, 3)));
        Assert.That(path.OffsetAt(200_000), Is.EqualTo(new PixelOffset(-3, 3)));
        Assert.That(path.OffsetAt(300_000), Is.EqualTo(new PixelOffset(0, -3)));
        Assert.That(path.OffsetAt(50_000), Is.EqualTo(new PixelOffset(1.5, 0)));
        var d = path.Sequence.Select(s => s.Displacement).ToList();
        Assert.That(d[0].X > 0 && d[0].Y > 0, "right-down");
        Assert.That(d[1].X < 0 && d[1].Y == 0, "left");
        Assert.That(d[2].X > 0 && d[2].Y < 0, "up-right");
    }

    [Test]
    public void ReversedVisitsTheSamePointsBackwards()
    {
        var path = MotionPath.NmnistTriangle();
        var back = path.Reversed();
        foreach (var t in new[] { 0.0, 12_345, 100_000, 150_000, 299_999 })
        {
            var a = path.OffsetAt(t);
            var b = back.OffsetAt(path.DurationUs - t);
            Assert.That(b.X, Is.EqualTo(a.X).Within(1e-9));
            Assert.That(b.Y, Is.EqualTo(a.Y).Within(1e-9));
        }
    }

    [Test]
    public void ReorderedKeepsTheMovesAndStaysContinuous()
    {
        var path = MotionPath.NmnistTriangle();
        var re = path.Reordered(2, 0, 1);
        Assert.That(re.Sequence.Select(s => s.Displacement), Is.EqualTo(new[] { path.Sequence[2].Displacement, path.Sequence[0].Displacement, path.Sequence[1].Displacement }));
        Assert.That(re.Sequence[0].From, Is.EqualTo(path.Sequence[0].From));
        for (var i = 1; i < 3; i++) Assert.That(re.Sequence[i].From, Is.EqualTo(re.Sequence[i - 1].To));
        Assert.That(() => path.Reordered(0, 0, 1), Throws.ArgumentException.With.Message.Contains("permutation"));
    }

    [Test]
    public void AStraightSweepIsCentred()
    {
        var sweep = MotionPath.StraightSweep(new PixelOffset(16, 0), 300_000);
        Assert.That(sweep.OffsetAt(0), Is.EqualTo(new PixelOffset(-8, 0)));
        Assert.That(sweep.OffsetAt(300_000), Is.EqualTo(new PixelOffset(8, 0)));
        Assert.That(sweep.Reversed().OffsetAt(0), Is.EqualTo(new PixelOffset(8, 0)));
    }

    [Test]
    public void TheSmoothProfileStartsAndEndsSlowly()
    {
        var s = new Saccade(PixelOffset.Zero, new PixelOffset(10, 0), 100, SaccadeProfile.Smooth);
        Assert.That(s.OffsetAt(50).X, Is.EqualTo(5).Within(1e-12));
        Assert.That(s.OffsetAt(5).X, Is.LessThan(0.1));
        Assert.That(s.OffsetAt(100).X, Is.EqualTo(10).Within(1e-12));
    }

    [Test]
    public void InvalidSaccadesAreRejected()
    {
        Assert.That(() => MotionPath.Saccades(), Throws.ArgumentException);
        Assert.That(() => MotionPath.Saccades(new Saccade(PixelOffset.Zero, PixelOffset.Zero, 0)),
            Throws.ArgumentException.With.Message.Contains("saccade 0: DurationUs"));
        Assert.That(() => MotionPath.Saccades(new Saccade(PixelOffset.Zero, PixelOffset.Zero, 10), new Saccade(PixelOffset.Zero, new PixelOffset(double.NaN, 0), 10)),
            Throws.ArgumentException.With.Message.Contains("saccade 1: To"));
    }
}
