using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

/// <summary>
/// <see cref="TimestepDriver.ElapseStep"/> and <see cref="Scheduler.Elapse"/>: a step timed elsewhere starts, ends and
/// counts its events exactly as when run on this kernel; and the API refuses to skip over pending work.
/// </summary>
[TestFixture]
public sealed class ElapsedStepTests
{
    /// <summary>On each step, a chain of events of <c>Work(step)</c> cycles in hops of at most 5 (so its event count varies);
    /// or, for the steps <see cref="Elsewhere"/> lists, the step's latency and events as measured on another run.</summary>
    private sealed class Listener : ITimestepListener, IComponent
    {
        private readonly int _id;
        public TimestepDriver Driver = null!;
        public Dictionary<int, (long Cycles, long Events)> Elsewhere { get; } = [];

        public Listener(Scheduler s) => _id = s.Register(this);

        private static long Work(int step) => 3 + step * 7 % 23;

        public void OnTimestep(int step, Scheduler scheduler)
        {
            if (Elsewhere.TryGetValue(step, out var timed))
            {
                Driver.ElapseStep(timed.Cycles, timed.Events);
                return;
            }
            scheduler.Schedule(_id, Math.Min(Work(step), 5), 0, Work(step) - Math.Min(Work(step), 5));
        }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            if (ev.Payload > 0) scheduler.Schedule(_id, Math.Min(ev.Payload, 5), 0, ev.Payload - Math.Min(ev.Payload, 5));
        }
    }

    private static (Scheduler Scheduler, TimestepDriver Driver, Listener Listener) Make()
    {
        var s = new Scheduler();
        var l = new Listener(s);
        var d = new TimestepDriver(s, l, cyclesPerStep: 0);
        l.Driver = d;
        return (s, d, l);
    }

    [Test]
    public void A_step_timed_elsewhere_starts_ends_and_counts_as_if_run_here()
    {
        const int steps = 12;
        var (s, d, _) = Make();
        // The reference: every step run here, its events measured one step at a time.
        var events = new long[steps];
        for (var k = 0; k < steps; k++)
        {
            var before = s.Dispatched;
            d.Run(1);
            events[k] = s.Dispatched - before;
        }
        var (s2, d2, l2) = Make();
        // Every third step "timed elsewhere": its latency and its events beyond the tick.
        for (var k = 1; k < steps; k += 3) l2.Elsewhere[k] = (d.StepEndCycles[k] - d.StepStartCycles[k], events[k] - 1);
        d2.Run(steps);
        Assert.That(events.Skip(1).Where((_, k) => k % 3 == 0), Has.All.GreaterThan(1), "the steps timed elsewhere had work");
        Assert.That(d2.StepStartCycles, Is.EqualTo(d.StepStartCycles));
        Assert.That(d2.StepEndCycles, Is.EqualTo(d.StepEndCycles));
        Assert.That(s2.Dispatched, Is.EqualTo(s.Dispatched));
        Assert.That(s2.Now, Is.EqualTo(s.Now));
    }

    [Test]
    public void Elapse_refuses_pending_work_a_handler_and_going_back()
    {
        var s = new Scheduler();
        var (_, d, _) = Make();
        Assert.Throws<InvalidOperationException>(() => d.ElapseStep(5, 0), "outside a step's tick");
        var probe = new Probe(s);
        s.Schedule(probe.Id, 10);
        Assert.Throws<InvalidOperationException>(() => s.Elapse(20, 1), "an event is pending");
        s.RunUntilIdle();
        Assert.That(probe.Failure, Is.InstanceOf<InvalidOperationException>(), "from a handler");
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Elapse(9, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Elapse(10, -1));
        s.Elapse(30, 4);
        Assert.That((s.Now, s.Dispatched), Is.EqualTo((30L, 5L)));
    }

    private sealed class Probe : IComponent
    {
        public Probe(Scheduler s) => Id = s.Register(this);
        public int Id { get; }
        public Exception? Failure { get; private set; }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            try
            {
                scheduler.Elapse(ev.Cycle + 5, 0);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }
    }

    /// <summary>Calls <see cref="TimestepDriver.ElapseStep"/> and then fails, on the steps it is armed for.</summary>
    private sealed class FailingAfterElapse : ITimestepListener
    {
        public TimestepDriver Driver = null!;
        public bool Fail;

        public void OnTimestep(int step, Scheduler scheduler)
        {
            if (!Fail) return;
            Driver.ElapseStep(100, 3);
            throw new InvalidOperationException("the listener failed after having its step timed elsewhere");
        }
    }

    [Test]
    public void A_step_that_fails_after_its_elapse_leaves_nothing_for_the_next_step()
    {
        var s = new Scheduler();
        var l = new FailingAfterElapse { Fail = true };
        var d = new TimestepDriver(s, l, cyclesPerStep: 0);
        l.Driver = d;
        Assert.Throws<InvalidOperationException>(() => d.Run(1));
        // The driver reused: the next step schedules nothing, so it ends at its tick with its tick's event only.
        l.Fail = false;
        var (now, dispatched) = (s.Now, s.Dispatched);
        d.Run(1);
        Assert.That(d.StepEndCycles[^1], Is.EqualTo(d.StepStartCycles[^1]));
        Assert.That((s.Now, s.Dispatched), Is.EqualTo((now, dispatched + 1)));
    }
}
