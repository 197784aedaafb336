using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class TimestepDriverTests
{
    /// <summary>
    /// A listener that, on each step, starts a chain of hardware events on <see cref="Hardware"/>: the chain for a
    /// step has <c>Work(step)</c> total cycles, split into hops of at most 7 cycles, each hop tagged with its step.
    /// </summary>
    private sealed class ChainListener : ITimestepListener, IComponent
    {
        private readonly Func<int, long> _work;
        private int _hwId = -1;

        public ChainListener(Scheduler s, Func<int, long> work)
        {
            _work = work;
            _hwId = s.Register(this);
        }

        public int CurrentStep { get; private set; } = -1;

        public List<int> StepsSeen { get; } = [];

        /// <summary>(step the event was scheduled in, step current at dispatch, cycle).</summary>
        public List<(long ScheduledIn, int DispatchedIn, long Cycle)> Hardware { get; } = [];

        public void OnTimestep(int step, Scheduler scheduler)
        {
            CurrentStep = step;
            StepsSeen.Add(step);
            long work = _work(step);
            if (work > 0)
            {
                scheduler.Schedule(_hwId, Math.Min(work, 7), kind: 0, payload: Pack(step, work - Math.Min(work, 7)));
            }
        }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            long step = ev.Payload >> 32;
            long remaining = ev.Payload & 0xFFFF_FFFF;
            Hardware.Add((step, CurrentStep, ev.Cycle));
            if (remaining > 0)
            {
                long hop = Math.Min(remaining, 7);
                scheduler.Schedule(_hwId, hop, kind: 0, payload: Pack(step, remaining - hop));
                // Some parallel zero-delay work too, so a step has more than one chain in flight.
                scheduler.Schedule(_hwId, 0, kind: 1, payload: Pack(step, 0));
            }
        }

        private static long Pack(long step, long remaining) => (step << 32) | remaining;
    }

    [Test]
    public void FixedPeriodStepsStartAtMultiplesOfThePeriod()
    {
        var s = new Scheduler(64);
        var l = new ChainListener(s, step => 10 + (step * 13 % 50));
        var d = new TimestepDriver(s, l, 100);
        d.Run(8);

        Assert.That(d.CyclesPerStep, Is.EqualTo(100));
        Assert.That(d.StepStartCycles, Is.EqualTo(Enumerable.Range(0, 8).Select(k => k * 100L).ToList()));
        Assert.That(d.StepEndCycles, Is.EqualTo(Enumerable.Range(0, 8).Select(k => (k * 100L) + 10 + (k * 13 % 50)).ToList()));
        Assert.That(d.Overruns, Is.Zero);
        Assert.That(l.StepsSeen, Is.EqualTo(Enumerable.Range(0, 8).ToList()));
    }

    [Test]
    public void BarrierModeStartsEachStepWhenThePreviousDrains()
    {
        var s = new Scheduler(16);
        long[] work = [25, 0, 100, 3, 40];
        var l = new ChainListener(s, step => work[step]);
        var d = new TimestepDriver(s, l, 0);
        d.Run(work.Length);

        var starts = new List<long>();
        var ends = new List<long>();
        long t = 0;
        foreach (long w in work)
        {
            starts.Add(t);
            t += w;
            ends.Add(t);
        }
        Assert.That(d.StepStartCycles, Is.EqualTo(starts));
        Assert.That(d.StepEndCycles, Is.EqualTo(ends));
        Assert.That(d.Overruns, Is.Zero);
    }

    [Test]
    public void HardwareEventsOfAStepAreAllDispatchedWithinThatStep()
    {
        var s = new Scheduler(16);
        var l = new ChainListener(s, step => 30 + (step * 41 % 200));
        var d = new TimestepDriver(s, l, 64); // many steps overrun: events must still stay in their own step
        d.Run(12);

        Assert.That(l.Hardware, Is.Not.Empty);
        foreach (var (scheduledIn, dispatchedIn, cycle) in l.Hardware)
        {
            Assert.That(dispatchedIn, Is.EqualTo(scheduledIn));
            Assert.That(cycle, Is.InRange(d.StepStartCycles[dispatchedIn], d.StepEndCycles[dispatchedIn]));
        }
        // Every step did its full amount of work, and the last hardware event defines the step's end.
        for (int k = 0; k < 12; k++)
        {
            long lastHw = l.Hardware.Where(h => h.ScheduledIn == k).Max(h => h.Cycle);
            Assert.That(d.StepEndCycles[k], Is.EqualTo(lastHw));
            Assert.That(lastHw - d.StepStartCycles[k], Is.EqualTo(30 + (k * 41 % 200)));
        }
        Assert.That(s.Pending, Is.Zero);
    }

    [Test]
    public void OverrunningStepDelaysTheNextAndIsCounted()
    {
        var s = new Scheduler(16);
        long[] work = [10, 250, 10, 10, 10, 100];
        var l = new ChainListener(s, step => work[step]);
        var d = new TimestepDriver(s, l, 100);
        d.Run(work.Length);

        // Step 1 ends at 350 > 200; step 2 starts late at 350 and ends at 360 > 300 (also an overrun);
        // step 3 starts at 360 and ends at 370 <= 400; step 4 is back on the grid at 400; step 5 ends exactly on
        // its boundary (600), which is not an overrun.
        Assert.That(d.StepStartCycles, Is.EqualTo(new long[] { 0, 100, 350, 360, 400, 500 }));
        Assert.That(d.StepEndCycles, Is.EqualTo(new long[] { 10, 350, 360, 370, 410, 600 }));
        Assert.That(d.Overruns, Is.EqualTo(2));
    }

    [Test]
    public void StepWithNoWorkEndsAtItsStart()
    {
        var s = new Scheduler();
        var l = new ChainListener(s, _ => 0);
        var d = new TimestepDriver(s, l, 50);
        d.Run(3);
        Assert.That(d.StepStartCycles, Is.EqualTo(new long[] { 0, 50, 100 }));
        Assert.That(d.StepEndCycles, Is.EqualTo(new long[] { 0, 50, 100 }));
    }

    [Test]
    public void SecondRunContinuesTheStepNumbering()
    {
        var s = new Scheduler();
        var l = new ChainListener(s, _ => 5);
        var d = new TimestepDriver(s, l, 20);
        d.Run(2);
        d.Run(2);
        Assert.That(l.StepsSeen, Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(d.StepStartCycles, Is.EqualTo(new long[] { 0, 20, 40, 60 }));
    }

    [Test]
    public void InvalidUseIsRejected()
    {
        var s = new Scheduler();
        var l = new ChainListener(s, _ => 0);
        Assert.That(() => new TimestepDriver(s, l, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new TimestepDriver(null!, l, 1), Throws.ArgumentNullException);
        Assert.That(() => new TimestepDriver(s, null!, 1), Throws.ArgumentNullException);

        var d = new TimestepDriver(s, l, 10);
        Assert.That(() => d.Run(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        // A stray event addressed to the driver is a wiring bug, not a tick.
        int driverId = s.ComponentCount - 1;
        s.Schedule(driverId, 0, kind: 5);
        Assert.That(() => s.RunUntilIdle(), Throws.InvalidOperationException);
    }

    /// <summary>Overlapped steps: each step admits the next after <c>admitAfter</c> cycles and ends after <c>work</c> cycles.</summary>
    private sealed class OverlappingListener : ITimestepListener, IComponent
    {
        private readonly long _admitAfter, _work;
        private readonly int _id;
        private readonly int _endsToSkip;
        public TimestepDriver? Driver;

        public OverlappingListener(Scheduler s, long admitAfter, long work, int endsToSkip = 0)
        {
            (_admitAfter, _work, _endsToSkip) = (admitAfter, work, endsToSkip);
            _id = s.Register(this);
        }

        public int Steps { get; set; }

        public void OnTimestep(int step, Scheduler scheduler)
        {
            if (step + 1 < Steps) scheduler.Schedule(_id, _admitAfter, kind: 0);
            scheduler.Schedule(_id, _work, kind: 1, payload: step);
        }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            if (ev.Kind == 0) Driver!.AdmitNext();
            else if (ev.Payload >= _endsToSkip) Driver!.EndStep();
        }
    }

    [Test]
    public void OverlappedStepsStartWhenAdmittedAndEndWhenTheListenerSays()
    {
        var s = new Scheduler();
        var l = new OverlappingListener(s, admitAfter: 10, work: 35) { Steps = 4 };
        var d = new TimestepDriver(s, l, 0);
        l.Driver = d;
        d.RunOverlapped(4);
        Assert.That(d.StepStartCycles, Is.EqualTo(new long[] { 0, 10, 20, 30 }));
        Assert.That(d.StepEndCycles, Is.EqualTo(new long[] { 35, 45, 55, 65 }));
        // A further batch continues the numbering from the idle kernel.
        l.Steps = 6;
        d.RunOverlapped(2);
        Assert.That(d.StepStartCycles.Skip(4), Is.EqualTo(new long[] { 65, 75 }));
        Assert.That(d.StepEndCycles.Skip(4), Is.EqualTo(new long[] { 100, 110 }));
    }

    [Test]
    public void OverlappedStepsThatNeverEndOrAreAdmittedTwiceAreRejected()
    {
        var s = new Scheduler();
        var l = new OverlappingListener(s, admitAfter: 10, work: 35, endsToSkip: 1) { Steps = 2 };
        var d = new TimestepDriver(s, l, 0);
        l.Driver = d;
        Assert.That(() => d.RunOverlapped(2), Throws.InvalidOperationException.With.Message.Contain("ended"));
        Assert.That(() => d.AdmitNext(), Throws.InvalidOperationException, "no batch running");
        Assert.That(() => d.EndStep(), Throws.InvalidOperationException, "no batch running");
        Assert.That(() => new TimestepDriver(new Scheduler(), l, 10).RunOverlapped(1), Throws.InvalidOperationException, "a fixed period is a barrier");
    }
}
