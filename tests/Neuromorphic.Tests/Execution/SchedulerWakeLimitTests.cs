using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// A wake-up's handler starts with the earliest pending cycle known (the kernel looked at the queue and the next wake-up to
/// pick it), so its first <see cref="Scheduler.TryAdvanceTo"/> takes the fast path. It must answer as the lookup it saves
/// would: the time may move to a cycle exactly when no pending event (queued or wake-up) comes before it.
/// </summary>
public class SchedulerWakeLimitTests
{
    private sealed class Probe(Action<Scheduler> handle) : IComponent
    {
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => handle(scheduler);
    }

    [Test]
    public void A_wake_ups_handler_may_advance_exactly_up_to_the_earliest_pending_event()
    {
        Gen.Select(Gen.Int[0, 60].Array[0, 8], Gen.Int[1, 20].Array[1, 6], Gen.Int[0, 40].Array[6], Gen.Int[0, 3])
            .Sample((queued, gaps, probes, reschedule) =>
            {
                var scheduler = new Scheduler();
                var ok = true;
                var wakes = 0;
                var other = scheduler.Register(new Probe(_ => { }));
                var holder = 0;
                holder = scheduler.Register(new Probe(s =>
                {
                    // Sometimes an event scheduled by the handler itself lowers the limit first.
                    if (wakes % 4 == reschedule) s.ScheduleAt(other, s.Now + 3);
                    var target = s.Now + probes[wakes++ % probes.Length];
                    var expected = !s.TryPeekNext(out var next) || target <= next;
                    if (s.TryAdvanceTo(target) != expected || s.Now != (expected ? target : s.Now)) ok = false;
                }));
                foreach (var cycle in queued) scheduler.ScheduleAt(other, cycle);
                // Wake-ups come earliest first: the last one pushed is the earliest.
                var at = gaps.Sum() + 30L;
                foreach (var gap in gaps)
                {
                    at -= gap;
                    scheduler.WakeAt(holder, at);
                }
                scheduler.RunUntilIdle();
                return ok && wakes == gaps.Length;
            });
    }
}
