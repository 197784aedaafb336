using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

/// <summary>
/// <see cref="Scheduler.ReserveSequence"/>, <see cref="Scheduler.ScheduleReserved"/> and <see cref="Scheduler.TryDispatchInline"/>:
/// an event scheduled later with a number reserved earlier, or handled inline, keeps the place it would have had.
/// </summary>
[TestFixture]
public sealed class SchedulerReservedTests
{
    private sealed class Handler(Action<SimEvent, Scheduler> onEvent) : IComponent
    {
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => onEvent(ev, scheduler);
    }

    [Test]
    public void A_reserved_event_goes_before_events_scheduled_after_the_reservation_at_its_cycle()
    {
        var s = new Scheduler(16);
        var log = new List<long>();
        var id = s.Register(new Handler((ev, _) => log.Add(ev.Payload)));
        s.ScheduleAt(id, 5, payload: 1);
        var reserved = s.ReserveSequence();
        s.ScheduleAt(id, 5, payload: 3);
        s.ScheduleAt(id, 40, payload: 4); // beyond the wheel's window: the heap keeps the order too
        s.ScheduleReserved(id, 5, reserved, payload: 2);
        var far = s.ReserveSequence();
        s.ScheduleAt(id, 40, payload: 6);
        s.ScheduleReserved(id, 40, far, payload: 5);
        s.RunUntilIdle();
        Assert.That(log, Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.ScheduleReserved(id, 50, s.ReserveSequence() + 1));
    }

    [Test]
    public void An_event_is_handled_inline_only_when_it_would_be_dispatched_next()
    {
        var s = new Scheduler(16);
        var results = new List<(bool Inline, long Now)>();
        long early = 0, late = 0;
        var other = s.Register(new Handler((_, _) => { }));
        var id = s.Register(new Handler((ev, sc) =>
        {
            if (ev.Payload != 0) return;
            results.Add((sc.TryDispatchInline(10, late), sc.Now));   // an event at 10 scheduled before it comes first
            results.Add((sc.TryDispatchInline(9, late), sc.Now));    // earlier than everything pending: handled, Now 9
            results.Add((sc.TryDispatchInline(10, early), sc.Now));  // reserved before the event at 10: before it too
        }));
        early = s.ReserveSequence();
        s.ScheduleAt(other, 10);
        late = s.ReserveSequence();
        s.ScheduleAt(id, 2);
        s.RunUntilIdle();
        Assert.That(results, Is.EqualTo(new[] { (false, 2L), (true, 9L), (true, 10L) }));
        // The event at 2, the two handled inline, the event at 10.
        Assert.That(s.Dispatched, Is.EqualTo(4));
        Assert.Throws<InvalidOperationException>(() => s.TryDispatchInline(20, s.ReserveSequence()));
    }
}
