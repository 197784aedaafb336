using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

/// <summary>
/// <see cref="Scheduler.WakeAt"/>: wake-ups kept beside the event queue must dispatch exactly as if they were
/// ordinary events (kind 0, payload 0) ordered by (cycle, sequence) among all the others.
/// </summary>
[TestFixture]
public sealed class SchedulerWakeTests
{
    private const int Waker = 0;

    [Test]
    public void WakeUpsInterleaveWithQueuedEventsByCycleThenSequenceAgainstAStableSortModel()
    {
        // Cycles in a small range so that equal cycles are common, with wake-ups taken both before and after
        // queued events of the same cycle; a reaction list makes handlers schedule and wake from inside dispatch.
        var op = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 6]);
        Gen.Select(op.Array[1, 30], op.Array[0, 60]).Sample((initial, reactions) =>
        {
            var actual = RunScheduler(initial, reactions);
            var expected = RunModel(initial, reactions);
            Assert.That(actual, Is.EqualTo(expected));
        }, iter: 2000);
    }

    [Test]
    public void AWakeUpAndAQueuedEventAtOneCycleDispatchInSequenceOrderEitherWay()
    {
        var s = new Scheduler(16);
        var log = new List<(long Cycle, int Target, long Payload)>();
        var waker = new Recorder { OnDispatch = (ev, _) => log.Add((ev.Cycle, ev.Target, ev.Payload)) };
        var other = new Recorder { OnDispatch = (ev, _) => log.Add((ev.Cycle, ev.Target, ev.Payload)) };
        s.Register(waker);
        s.Register(other);

        s.ScheduleAt(1, 5, payload: 1);   // sequence 0: queued first, so before the wake-up at cycle 5
        s.WakeAt(Waker, 5);                // sequence 1
        s.ScheduleAt(1, 5, payload: 2);   // sequence 2: after it
        s.WakeAt(Waker, 3);                // sequence 3: earlier cycle, so first of all
        s.ScheduleAt(1, 3, payload: 3);   // sequence 4: after the wake-up at 3
        Assert.That(s.Pending, Is.EqualTo(5));
        s.RunUntilIdle();

        Assert.That(log, Is.EqualTo(new[] { (3L, 0, 0L), (3L, 1, 3L), (5L, 1, 1L), (5L, 0, 0L), (5L, 1, 2L) }));
        Assert.That(s.Pending, Is.Zero);
        Assert.That(s.Dispatched, Is.EqualTo(5));
    }

    [Test]
    public void OnlyOneComponentMayHoldWakeUps()
    {
        var s = new Scheduler();
        s.Register(new Recorder());
        s.Register(new Recorder());
        s.WakeAt(Waker, 10);
        Assert.Throws<InvalidOperationException>(() => s.WakeAt(1, 5));
        // Still the first component's, even once its wake-ups are all dispatched.
        s.RunUntilIdle();
        Assert.Throws<InvalidOperationException>(() => s.WakeAt(1, 20));
        Assert.DoesNotThrow(() => s.WakeAt(Waker, 20));
    }

    [Test]
    public void AWakeUpMustComeBeforeThePendingOne()
    {
        var s = new Scheduler();
        s.Register(new Recorder());
        s.WakeAt(Waker, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.WakeAt(Waker, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.WakeAt(Waker, 11));
        s.WakeAt(Waker, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.WakeAt(Waker, 9));
        Assert.That(s.TryPeekWake(out long top), Is.True);
        Assert.That(top, Is.EqualTo(9));
        Assert.That(s.Pending, Is.EqualTo(2));
    }

    [Test]
    public void AWakeUpBeforeNowIsRejected()
    {
        var s = new Scheduler();
        var r = new Recorder();
        s.Register(r);
        s.ScheduleAt(Waker, 7);
        s.RunUntilIdle();
        Assert.Throws<ArgumentOutOfRangeException>(() => s.WakeAt(Waker, 6));
        Assert.That(s.TryPeekWake(out _), Is.False);
    }

    [Test]
    public void RunUntilStopsBeforeAPendingWakeUpAfterTheLimit()
    {
        var s = new Scheduler();
        var r = new Recorder();
        s.Register(r);
        s.ScheduleAt(Waker, 4, payload: 1);
        s.WakeAt(Waker, 6);
        s.RunUntil(5);
        Assert.That(r.Seen.Select(x => x.Event.Cycle), Is.EqualTo(new[] { 4L }));
        Assert.That(s.Now, Is.EqualTo(4));
        Assert.That(s.TryPeekNext(out long next), Is.True);
        Assert.That(next, Is.EqualTo(6));
        s.RunUntil(6);
        Assert.That(r.Seen.Select(x => (x.Event.Cycle, x.Event.Payload)), Is.EqualTo(new[] { (4L, 1L), (6L, 0L) }));
        Assert.That(s.Pending, Is.Zero);
    }

    [Test]
    public void TryAdvanceToStopsAtAPendingWakeUp()
    {
        var s = new Scheduler();
        var r = new Recorder();
        s.Register(r);
        s.Register(new Recorder());
        var results = new List<(long Target, bool Moved, long Now)>();
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Payload != 1)
            {
                return;
            }
            // The wake-up at 12 is the earliest pending event (the queued one is at 20): up to 12, not beyond.
            foreach (long target in new long[] { 11, 13, 12, 12 })
            {
                results.Add((target, sch.TryAdvanceTo(target), sch.Now));
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => sch.AdvanceTo(13));
        };
        s.ScheduleAt(1, 20);
        s.WakeAt(Waker, 12);
        s.ScheduleAt(Waker, 10, payload: 1);
        s.RunUntil(10);
        Assert.That(results, Is.EqualTo(new[] { (11L, true, 11L), (13L, false, 11L), (12L, true, 12L), (12L, true, 12L) }));

        // A wake-up made inside a handler lowers the limit at once (the limit looked up before is lowered to it, not forgotten).
        var moved = new List<(bool Moved, long Now)>();
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Payload != 2)
            {
                return;
            }
            moved.Add((sch.TryAdvanceTo(13), sch.Now));  // the earliest pending event is at 20 now
            sch.WakeAt(Waker, 14);
            moved.Add((sch.TryAdvanceTo(15), sch.Now));
            moved.Add((sch.TryAdvanceTo(14), sch.Now));
        };
        s.ScheduleAt(Waker, 12, payload: 2);  // after the wake-up at 12 (a later sequence)
        s.RunUntil(12);
        Assert.That(moved, Is.EqualTo(new[] { (true, 13L), (false, 13L), (true, 14L) }));
        Assert.That(r.Seen.Select(x => (x.Event.Cycle, x.Event.Payload)), Is.EqualTo(new[] { (10L, 1L), (12L, 0L), (12L, 2L) }));
        Assert.That(s.TryPeekNext(out long next), Is.True);
        Assert.That(next, Is.EqualTo(14));
    }

    [Test]
    public void EventsScheduledInsideAHandlerLowerTheAdvanceLimit()
    {
        var s = new Scheduler();
        var r = new Recorder();
        s.Register(r);
        s.Register(new Recorder());
        var moved = new List<(long Target, bool Moved, long Now)>();
        void Try(Scheduler sch, long target) => moved.Add((target, sch.TryAdvanceTo(target), sch.Now));
        r.OnDispatch = (ev, sch) =>
        {
            if (ev.Payload != 1)
            {
                return;
            }
            Try(sch, 40);          // the next event is at 50: the limit is read as 50
            sch.ScheduleAt(1, 45); // lowers it to 45 (were it kept at 50, 46 would pass)
            Try(sch, 46);
            Try(sch, 44);
            sch.Schedule(1, 0);    // at 44: lowers it to 44
            Try(sch, 45);
            Try(sch, 44);
        };
        s.ScheduleAt(1, 50);
        s.ScheduleAt(Waker, 10, payload: 1);
        s.RunUntil(10);
        Assert.That(moved, Is.EqualTo(new[] { (40L, true, 40L), (46L, false, 40L), (44L, true, 44L), (45L, false, 44L), (44L, true, 44L) }));
        Assert.That(s.TryPeekNext(out long next), Is.True);
        Assert.That(next, Is.EqualTo(44));
    }

    // One operation: 0 Schedule(delay), 1 ScheduleAt(Now + delay), 2 WakeAt(Now + delay), falling back to
    // ScheduleAt when the wake-up would not come before the pending one. Targets alternate between the two
    // components; every dispatch runs the next reaction, if any.
    private static List<(long Cycle, int Target, long Payload)> RunScheduler((int Kind, int Delay)[] initial, (int Kind, int Delay)[] reactions)
    {
        var s = new Scheduler(4);  // a tiny wheel: the far heap is used as well
        var log = new List<(long, int, long)>();
        long payload = 1;
        int nextReaction = 0;
        void Apply((int Kind, int Delay) o, Scheduler sch)
        {
            long cycle = sch.Now + o.Delay;
            int target = (int)(payload % 2);
            if (o.Kind == 2 && (!sch.TryPeekWake(out long top) || cycle < top))
            {
                sch.WakeAt(Waker, cycle);
            }
            else if (o.Kind == 0)
            {
                sch.Schedule(target, o.Delay, payload: payload);
            }
            else
            {
                sch.ScheduleAt(target, cycle, payload: payload);
            }
            payload++;
        }
        for (int c = 0; c < 2; c++)
        {
            s.Register(new Recorder
            {
                OnDispatch = (ev, sch) =>
                {
                    log.Add((ev.Cycle, ev.Target, ev.Payload));
                    if (nextReaction < reactions.Length)
                    {
                        Apply(reactions[nextReaction++], sch);
                    }
                },
            });
        }
        foreach (var o in initial)
        {
            Apply(o, s);
        }
        s.RunUntilIdle();
        Assert.That(s.Pending, Is.Zero);
        return log;
    }

    // The reference: every operation is an event with the next sequence number; dispatch is a stable sort by
    // (cycle, sequence) of what is pending.
    private static List<(long Cycle, int Target, long Payload)> RunModel((int Kind, int Delay)[] initial, (int Kind, int Delay)[] reactions)
    {
        var pending = new List<(long Cycle, long Seq, int Target, long Payload, bool Wake)>();
        var log = new List<(long, int, long)>();
        long now = 0, seq = 0, payload = 1;
        int nextReaction = 0;
        void Apply((int Kind, int Delay) o)
        {
            long cycle = now + o.Delay;
            int target = (int)(payload % 2);
            var wakes = pending.Where(p => p.Wake).ToList();
            if (o.Kind == 2 && (wakes.Count == 0 || cycle < wakes.Min(p => p.Cycle)))
            {
                pending.Add((cycle, seq++, Waker, 0, true));
            }
            else
            {
                pending.Add((cycle, seq++, target, payload, false));
            }
            payload++;
        }
        foreach (var o in initial)
        {
            Apply(o);
        }
        while (pending.Count > 0)
        {
            var e = pending.OrderBy(p => p.Cycle).ThenBy(p => p.Seq).First();
            pending.Remove(e);
            now = e.Cycle;
            log.Add((e.Cycle, e.Target, e.Payload));
            if (nextReaction < reactions.Length)
            {
                Apply(reactions[nextReaction++]);
            }
        }
        return log;
    }
}
