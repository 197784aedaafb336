using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class ClockDomainTests
{
    [Test]
    public void BaseIsRatioOne()
    {
        Assert.That(ClockDomain.Base, Is.EqualTo(new ClockDomain("base", 1)));
        Assert.That(ClockDomain.Base.NextEdge(17), Is.EqualTo(17));
        Assert.That(ClockDomain.Base.ToBase(17), Is.EqualTo(17));
    }

    [TestCase(4, 0, 0)]
    [TestCase(4, 1, 4)]
    [TestCase(4, 4, 4)]
    [TestCase(4, 5, 8)]
    [TestCase(3, 7, 9)]
    [TestCase(5, -3, 0)]
    [TestCase(5, -7, -5)]
    public void NextEdgeRoundsUpToAMultiple(int ratio, long cycle, long expected) =>
        Assert.That(new ClockDomain("d", ratio).NextEdge(cycle), Is.EqualTo(expected));

    [Test]
    public void ToBaseMultipliesByRatio() =>
        Assert.That(new ClockDomain("d", 7).ToBase(6), Is.EqualTo(42));

    [Test]
    public void RatioBelowOneIsRejected()
    {
        Assert.That(() => new ClockDomain("d", 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ClockDomain("d", -2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ClockDomain("d", 2) with { Ratio = 0 }, Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => default(ClockDomain).NextEdge(3), Throws.InvalidOperationException);
        Assert.That(() => new ClockDomain(null!, 2), Throws.ArgumentNullException);
    }

    [Test]
    public void ScheduleLocalLandsOnTheTargetDomainsEdges()
    {
        var s = new Scheduler(16);
        var driver = new Recorder();
        var slow = new Recorder();
        int d = s.Register(driver);
        int k = s.Register(slow, new ClockDomain("slow", 4));
        Assert.That(s.DomainOf(k), Is.EqualTo(new ClockDomain("slow", 4)));

        // From base-domain events at cycles 5, 8 and 9, schedule 0 and 3 local cycles on the slow component.
        driver.OnDispatch = (_, sch) =>
        {
            sch.ScheduleLocal(k, 0);
            sch.ScheduleLocal(k, 3);
        };
        s.ScheduleAt(d, 5);
        s.ScheduleAt(d, 8);
        s.ScheduleAt(d, 9);
        s.RunUntilIdle();

        // NextEdge(5) = 8, NextEdge(8) = 8, NextEdge(9) = 12; 3 local cycles = 12 base cycles.
        Assert.That(slow.Seen.Select(x => x.Event.Cycle).Order(), Is.EqualTo(new long[] { 8, 8, 12, 20, 20, 24 }));
    }

    [Test]
    public void ScheduleLocalPropertyEveryLandingIsAnEdgeAtTheRightDistance()
    {
        Gen.Select(Gen.Int[1, 17], Gen.Int[0, 5000], Gen.Int[0, 300]).Sample((ratio, now, local) =>
        {
            var s = new Scheduler(32);
            var probe = new Recorder();
            var target = new Recorder();
            int p = s.Register(probe);
            int t = s.Register(target, new ClockDomain("d", ratio));
            probe.OnDispatch = (_, sch) => sch.ScheduleLocal(t, local);
            s.ScheduleAt(p, now);
            s.RunUntilIdle();

            long landed = target.Seen.Single().Event.Cycle;
            Assert.That(landed % ratio, Is.Zero, "lands on an edge");
            long firstEdge = landed - ((long)local * ratio);
            Assert.That(firstEdge, Is.GreaterThanOrEqualTo(now), "first edge not in the past");
            Assert.That(firstEdge, Is.LessThan(now + ratio), "first edge is the next one");
        });
    }

    [Test]
    public void ScheduleLocalInBaseDomainIsAPlainDelay()
    {
        var s = new Scheduler();
        var r = new Recorder();
        int id = s.Register(r);
        s.ScheduleAt(id, 13, payload: 0);
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Payload == 0)
            {
                sch.ScheduleLocal(id, 6, payload: 1);
            }
        };
        s.RunUntilIdle();
        Assert.That(r.Seen.Select(x => x.Event.Cycle), Is.EqualTo(new long[] { 13, 19 }));
    }
}
