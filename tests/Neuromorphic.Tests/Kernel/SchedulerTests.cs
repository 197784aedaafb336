using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class SchedulerTests
{
    [Test]
    public void RegisterReturnsDenseIds()
    {
        var s = new Scheduler();
        for (int i = 0; i < 20; i++)
        {
            Assert.That(s.Register(new Recorder()), Is.EqualTo(i));
        }
        Assert.That(s.ComponentCount, Is.EqualTo(20));
        Assert.That(s.DomainOf(3), Is.EqualTo(ClockDomain.Base));
    }

    [Test]
    public void EqualCyclesDispatchInScheduleOrderAcrossTargets()
    {
        var s = new Scheduler(16);
        var a = new Recorder();
        var b = new Recorder();
        int ia = s.Register(a);
        int ib = s.Register(b);
        var order = new List<long>();
        a.OnDispatch = (ev, _) => order.Add(ev.Payload);
        b.OnDispatch = (ev, _) => order.Add(ev.Payload);
        for (int i = 0; i < 50; i++)
        {
            // Alternate targets and mix Schedule / ScheduleAt; all land on cycle 100 (beyond the 16-cycle wheel).
            if (i % 2 == 0)
            {
                s.Schedule(i % 3 == 0 ? ia : ib, 100, payload: i);
            }
            else
            {
                s.ScheduleAt(i % 3 == 0 ? ia : ib, 100, payload: i);
            }
        }
        s.RunUntilIdle();
        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i).ToList()));
        Assert.That(s.Now, Is.EqualTo(100));
        Assert.That(s.Dispatched, Is.EqualTo(50));
    }

    [Test]
    public void ZeroDelayEventsRunLaterInTheSameCycle()
    {
        var s = new Scheduler();
        var r = new Recorder();
        int id = s.Register(r);
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Payload < 3)
            {
                sch.Schedule(id, 0, payload: ev.Payload + 1);
            }
        };
        s.Schedule(id, 5, payload: 0);
        s.ScheduleAt(id, 6, payload: 100);
        s.RunUntilIdle();
        Assert.That(r.Seen.Select(x => (x.Event.Cycle, x.Event.Payload)),
            Is.EqualTo(new[] { (5L, 0L), (5L, 1L), (5L, 2L), (5L, 3L), (6L, 100L) }));
        Assert.That(r.Seen.All(x => x.Event.Cycle == x.Now), Is.True);
    }

    [Test]
    public void SelfReschedulingMatchesAReferenceModel()
    {
        // Several components reschedule with delays that straddle the wheel; the dispatch log must equal a
        // stable-sorted simulation of the same program.
        Gen.Int[0, 5000].Array[1, 200].Sample(delays =>
        {
            var s = new Scheduler(64);
            var log = new List<(long Cycle, int Target, long Payload)>();
            var comps = new Recorder[3];
            for (int c = 0; c < comps.Length; c++)
            {
                comps[c] = new Recorder();
                s.Register(comps[c]);
                comps[c].OnDispatch = (ev, sch) =>
                {
                    log.Add((ev.Cycle, ev.Target, ev.Payload));
                    long next = ev.Payload + 1;
                    if (next < delays.Length)
                    {
                        sch.Schedule((ev.Target + 1) % 3, delays[next], payload: next);
                        sch.Schedule(ev.Target, delays[next] % 7, payload: delays.Length + next);
                    }
                };
            }
            s.Schedule(0, delays[0], payload: 0);
            s.RunUntilIdle();

            // Reference: a plain list ordered by (cycle, sequence).
            var pending = new List<(long Cycle, long Seq, int Target, long Payload)>();
            var expected = new List<(long, int, long)>();
            long seq = 0;
            pending.Add((delays[0], seq++, 0, 0));
            while (pending.Count > 0)
            {
                var e = pending.OrderBy(p => p.Cycle).ThenBy(p => p.Seq).First();
                pending.Remove(e);
                expected.Add((e.Cycle, e.Target, e.Payload));
                if (e.Payload < delays.Length)
                {
                    long next = e.Payload + 1;
                    if (next < delays.Length)
                    {
                        pending.Add((e.Cycle + delays[next], seq++, (e.Target + 1) % 3, next));
                        pending.Add((e.Cycle + delays[next] % 7, seq++, e.Target, delays.Length + next));
                    }
                }
            }
            Assert.That(log, Is.EqualTo(expected));
        }, iter: 50);
    }

    [Test]
    public void RunUntilStopsAfterTheLimitCycle()
    {
        var s = new Scheduler(16);
        var r = new Recorder();
        int id = s.Register(r);
        foreach (long c in new long[] { 3, 10, 10, 11, 500 })
        {
            s.ScheduleAt(id, c);
        }
        s.RunUntil(10);
        Assert.That(r.Seen.Select(x => x.Event.Cycle), Is.EqualTo(new long[] { 3, 10, 10 }));
        Assert.That(s.Now, Is.EqualTo(10));
        Assert.That(s.Pending, Is.EqualTo(2));
        s.RunUntil(499);
        Assert.That(s.Pending, Is.EqualTo(1));
        s.RunUntil(500);
        Assert.That(s.Pending, Is.Zero);
        Assert.That(s.Dispatched, Is.EqualTo(5));
        Assert.That(s.Step(), Is.False);
    }

    [Test]
    public void InvalidArgumentsAreRejected()
    {
        var s = new Scheduler();
        var r = new Recorder();
        int id = s.Register(r);
        s.ScheduleAt(id, 50);
        s.RunUntilIdle();

        Assert.That(() => s.Schedule(id, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Delay"));
        Assert.That(() => s.ScheduleAt(id, 49), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("before Now"));
        Assert.That(() => s.ScheduleLocal(id, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => s.Schedule(1, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Unknown component"));
        Assert.That(() => s.Schedule(-1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => s.DomainOf(7), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => s.Register(null!), Throws.TypeOf<ArgumentNullException>());
        Assert.That(() => s.Register(new Recorder(), default(ClockDomain)), Throws.ArgumentException);
        Assert.That(s.Pending, Is.Zero, "rejected calls must not enqueue anything");
    }

    [Test]
    public void RunningTheSchedulerFromAHandlerIsRejected()
    {
        var s = new Scheduler();
        var r = new Recorder { OnDispatch = (_, sch) => sch.Step() };
        int id = s.Register(r);
        s.Schedule(id, 0);
        Assert.That(() => s.RunUntilIdle(), Throws.InvalidOperationException);
        // The guard is released after the failure, so the scheduler stays usable.
        r.OnDispatch = null;
        s.Schedule(id, 1);
        Assert.That(s.Step(), Is.True);
    }

    [Test]
    public void A_handler_may_advance_the_time_up_to_the_next_pending_event_only()
    {
        var s = new Scheduler();
        var advanced = new List<long>();
        var r = new Recorder();
        int id = s.Register(r);
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Kind != 1) return;
            sch.AdvanceTo(40);
            advanced.Add(sch.Now);
            Assert.That(sch.TryPeekNext(out var next) && next == 50);
            Assert.That(() => sch.AdvanceTo(51), Throws.TypeOf<ArgumentOutOfRangeException>(), "beyond the next event");
            Assert.That(() => sch.AdvanceTo(39), Throws.TypeOf<ArgumentOutOfRangeException>(), "back in time");
            Assert.That(sch.TryAdvanceTo(51), Is.False, "an event is pending at 50");
            Assert.That(sch.Now, Is.EqualTo(40));
            Assert.That(sch.TryAdvanceTo(50), Is.True);
            sch.AdvanceTo(50);
            sch.Schedule(id, 0, kind: 2);
        };
        s.ScheduleAt(id, 10, kind: 1);
        s.ScheduleAt(id, 50, kind: 3);
        Assert.That(() => s.AdvanceTo(5), Throws.InvalidOperationException, "outside a handler");
        s.RunUntilIdle();
        Assert.That(advanced, Is.EqualTo(new[] { 40L }));
        // The event scheduled at the advanced time runs at it, after the one already pending there.
        Assert.That(r.Seen.Select(x => (x.Event.Kind, x.Now)), Is.EqualTo(new[] { (1, 10L), (3, 50L), (2, 50L) }));
    }
}
