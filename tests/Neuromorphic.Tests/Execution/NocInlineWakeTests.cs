using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// The NoC's drain takes its own stale wake-up at once when it is the kernel's next event (<see cref="Scheduler.TryDispatchWake"/>)
/// instead of returning to the kernel for it. On random traffic (bursts sent by kernel events at random cycles, on and off
/// the NoC clock's edges, deliveries that send more, small buffers) every delivery's time and order, every link's
/// statistics, the kernel's event count and its final time equal those of the same traffic with the wake-ups dispatched
/// by the kernel.
/// </summary>
public class NocInlineWakeTests
{
    /// <summary>Sends a burst of packets at each of its kernel events; a delivery whose token is a multiple of 3 sends one more.</summary>
    private sealed class Traffic : IComponent, IUnitClient
    {
        public readonly List<(long Token, long Cycle)> Done = [];
        private readonly NocUnit _noc;
        private readonly (int From, int To, int Bits, int Delay)[][] _bursts;
        private readonly int _tiles, _id;
        private long _token;

        public Traffic(Scheduler scheduler, NocUnit noc, (int From, int To, int Bits, int Delay)[][] bursts, int tiles)
        {
            (_noc, _bursts, _tiles) = (noc, bursts, tiles);
            _id = scheduler.Register(this);
        }

        public void At(Scheduler scheduler, long cycle, int burst) => scheduler.ScheduleAt(_id, cycle, 0, burst);

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            foreach (var (from, to, bits, delay) in _bursts[ev.Payload])
                _noc.Send(scheduler, from % _tiles, to % _tiles, bits, scheduler.Now + delay, this, _token++, _noc.Handles(""));
        }

        public void Completed(long token, Scheduler scheduler)
        {
            Done.Add((token, scheduler.Now));
            if (token % 3 == 0 && token < 200)
                _noc.Send(scheduler, (int)(token % _tiles), (int)((token * 7 + 3) % _tiles), 1 + (int)(token % 5) * 40, scheduler.Now, this, 1000 + token, _noc.Handles(""));
        }
    }

    private sealed record Outcome(List<(long Token, long Cycle)> Done, long Events, long Now, long Packets, long Flits, List<(long, long, long, double, int, long)> Links, long Inline);

    private static Outcome Run(bool inline, int width, int height, int buffer, double nocHz, (int From, int To, int Bits, int Delay)[][] bursts, (int Cycle, int Burst)[] times)
    {
        var scheduler = new Scheduler();
        var mesh = new MeshNocParameters { Width = width, Height = height, LinkWidthBits = 32, HopLatencyCycles = 1, ClockHz = nocHz, BufferFlits = buffer };
        var noc = new NocUnit(scheduler, mesh, 1e9, new Ledger()) { TakesWakesInline = inline };
        var traffic = new Traffic(scheduler, noc, bursts, width * height);
        foreach (var (cycle, burst) in times) traffic.At(scheduler, cycle, burst % bursts.Length);
        scheduler.RunUntilIdle();
        var links = noc.Links.Select(l => (l.BusyCycles, l.Arrivals, l.QueuedArrivals, l.QueueArea, l.MaxQueueLength, l.WaitCycles)).ToList();
        return new Outcome(traffic.Done, scheduler.Dispatched, scheduler.Now, noc.Packets, noc.Flits, links, noc.WakesTakenInline);
    }

    [Test]
    public void Taking_stale_wake_ups_at_once_changes_no_delivery_statistic_or_event_count()
    {
        long taken = 0;
        var burst = Gen.Select(Gen.Int[0, 15], Gen.Int[0, 15], Gen.Int[1, 300], Gen.Int[0, 7]).Array[1, 6];
        Gen.Select(Gen.Int[2, 4], Gen.Int[1, 3], Gen.Int[1, 6], Gen.Bool, burst.Array[1, 6], Gen.Select(Gen.Int[0, 400], Gen.Int[0, 5]).Array[1, 14])
            .Sample((width, height, buffer, halfClock, bursts, times) =>
            {
                var nocHz = halfClock ? 5e8 : 1e9;
                var reference = Run(false, width, height, buffer, nocHz, bursts, times);
                var fast = Run(true, width, height, buffer, nocHz, bursts, times);
                if (reference.Inline != 0) return false;
                Interlocked.Add(ref taken, fast.Inline);
                return reference.Done.SequenceEqual(fast.Done) && reference.Events == fast.Events && reference.Now == fast.Now
                    && reference.Packets == fast.Packets && reference.Flits == fast.Flits && reference.Links.SequenceEqual(fast.Links);
            }, iter: 400);
        // The traffic must take the path at all (else the comparison shows nothing).
        Assert.That(taken, Is.GreaterThan(50));
    }

    [Test]
    public void Only_the_wake_up_holder_inside_a_handler_takes_one_and_only_when_it_is_next()
    {
        var scheduler = new Scheduler();
        var holder = new Probe();
        var other = new Probe();
        var h = scheduler.Register(holder);
        var o = scheduler.Register(other);
        Assert.Throws<InvalidOperationException>(() => scheduler.TryDispatchWake(h)); // outside a handler
        scheduler.WakeAt(h, 30);
        scheduler.WakeAt(h, 20);
        scheduler.ScheduleAt(o, 25);
        scheduler.ScheduleAt(h, 10, 1);
        // At 10 the holder's handler: the wake-up at 20 precedes the event at 25 (taken); then the one at 30 does not.
        holder.OnHandle = s =>
        {
            Assert.Throws<InvalidOperationException>(() => s.TryDispatchWake(o)); // not the holder
            Assert.That(s.TryDispatchWake(h), Is.True);
            Assert.That((s.Now, s.Dispatched, s.Pending), Is.EqualTo((20L, 2L, 2)));
            Assert.That(s.TryDispatchWake(h), Is.False);
            Assert.That((s.Now, s.Dispatched, s.Pending), Is.EqualTo((20L, 2L, 2)));
        };
        scheduler.Step();
        holder.OnHandle = null;
        // From another component's handler (at 25, before the wake-up at 30): refused, the holder's wake-up stays pending.
        other.OnHandle = s =>
        {
            Assert.Throws<InvalidOperationException>(() => s.TryDispatchWake(h));
            Assert.That(s.Pending, Is.EqualTo(1));
        };
        scheduler.RunUntilIdle();
        Assert.That(other.Cycles, Is.EqualTo(new[] { 25L }));
        Assert.That(holder.Cycles, Is.EqualTo(new[] { 10L, 30L }));
        Assert.That(scheduler.Dispatched, Is.EqualTo(4));
    }

    private sealed class Probe : IComponent
    {
        public readonly List<long> Cycles = [];
        public Action<Scheduler>? OnHandle;

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            Cycles.Add(scheduler.Now);
            OnHandle?.Invoke(scheduler);
        }
    }
}
