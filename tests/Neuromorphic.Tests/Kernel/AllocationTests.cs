using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class AllocationTests
{
    private const int WheelSize = 1024;

    /// <summary>
    /// Reschedules itself with pseudo-random delays in [0, 3000): about two thirds land beyond the 1024-cycle
    /// wheel (heap + migration), some are 0 (same cycle). Slow-clock instances use ScheduleLocal. All state is in
    /// fields so the handler itself allocates nothing.
    /// </summary>
    private sealed class Bouncer(ulong seed, bool local) : IComponent
    {
        private ulong _state = seed;

        public long StopAfter { get; set; }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            if (scheduler.Dispatched >= StopAfter)
            {
                return;
            }
            _state = (_state * 6364136223846793005UL) + 1442695040888963407UL;
            long delay = (long)((_state >> 33) % 3000);
            if (local)
            {
                scheduler.ScheduleLocal(ev.Target, delay / 3, ev.Kind, ev.Payload + 1);
            }
            else
            {
                scheduler.Schedule(ev.Target, delay, ev.Kind, ev.Payload + 1);
            }
        }
    }

    [Test]
    public void TenMillionScheduleDispatchPairsAllocateNothingAfterWarmUp()
    {
        var s = new Scheduler(WheelSize);
        var bouncers = new Bouncer[8];
        for (int i = 0; i < bouncers.Length; i++)
        {
            bouncers[i] = new Bouncer((ulong)i + 1, local: i % 4 == 3);
            s.Register(bouncers[i], i % 4 == 3 ? new ClockDomain("slow", 3) : null);
        }

        // Warm-up: grows every buffer (bucket pool, heap) to its steady-state size and JITs the hot path.
        RunBatch(s, bouncers, 300_000);

        const long Pairs = 10_000_000;
        long dispatchedBefore = s.Dispatched;
        long allocated = ThreadAllocation.During(() => RunBatch(s, bouncers, Pairs));

        Assert.That(s.Dispatched - dispatchedBefore, Is.GreaterThanOrEqualTo(Pairs));
        Assert.That(s.Pending, Is.Zero);
        Assert.That(allocated, Is.Zero, "bytes allocated during 10M schedule/dispatch pairs");
    }

    /// <summary>
    /// Holds the scheduler's wake-ups: on each one, if none is left pending, wakes itself at a pseudo-random
    /// delay and, when room allows, once more half-way there (a stack of two).
    /// </summary>
    private sealed class Sleeper(ulong seed) : IComponent
    {
        private ulong _state = seed;

        public long StopAfter { get; set; }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            if (scheduler.Dispatched >= StopAfter || scheduler.TryPeekWake(out _))
            {
                return;
            }
            _state = (_state * 6364136223846793005UL) + 1442695040888963407UL;
            long delay = (long)((_state >> 33) % 3000);
            scheduler.WakeAt(ev.Target, scheduler.Now + delay);
            if (delay > 1)
            {
                scheduler.WakeAt(ev.Target, scheduler.Now + (delay / 2));
            }
        }
    }

    [Test]
    public void WakeUpsAmongScheduledEventsAllocateNothingAfterWarmUp()
    {
        var s = new Scheduler(WheelSize);
        var bouncers = new Bouncer[4];
        for (int i = 0; i < bouncers.Length; i++)
        {
            bouncers[i] = new Bouncer((ulong)i + 1, local: false);
            s.Register(bouncers[i]);
        }
        var sleeper = new Sleeper(99);
        int sleeperId = s.Register(sleeper);

        void Run(long events)
        {
            sleeper.StopAfter = s.Dispatched + events;
            s.WakeAt(sleeperId, s.Now);
            RunBatch(s, bouncers, events);
        }

        Run(300_000);
        long wakeEventsBefore = s.Dispatched;
        long allocated = ThreadAllocation.During(() => Run(2_000_000));

        Assert.That(s.Dispatched - wakeEventsBefore, Is.GreaterThanOrEqualTo(2_000_000));
        Assert.That(s.Pending, Is.Zero);
        Assert.That(allocated, Is.Zero, "bytes allocated during 2M dispatches mixing wake-ups and scheduled events");
    }

    private static void RunBatch(Scheduler s, Bouncer[] bouncers, long events)
    {
        long stop = s.Dispatched + events;
        for (int i = 0; i < bouncers.Length; i++)
        {
            bouncers[i].StopAfter = stop;
            s.Schedule(i, i);
        }
        s.RunUntilIdle();
    }
}
