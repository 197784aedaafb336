using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A macro works out its queue's statistics from the reads' times (waits summed when queued, the occupancy
/// integral as the summed waits): they must equal those of recording every read's arrival and departure on a
/// queue in time order, as a unit without that shortcut would.
/// </summary>
public class MacroUnitStatisticsTests
{
    /// <summary>Queues the operations' reads on the macro at cycles a gap apart, telling the reference first.</summary>
    private sealed class Driver : IComponent
    {
        private readonly MacroUnit _macro;
        private readonly (int Gap, int Reads)[] _ops;
        private readonly Action<long, int> _onRequest;
        private readonly int _id;
        private int _next;

        public Driver(Scheduler scheduler, MacroUnit macro, (int Gap, int Reads)[] ops, Action<long, int> onRequest)
        {
            (_macro, _ops, _onRequest) = (macro, ops, onRequest);
            _id = scheduler.Register(this);
            scheduler.ScheduleAt(_id, 0);
        }

        public void OnEvent(in SimEvent ev, Scheduler s)
        {
            var reads = _ops[_next++].Reads;
            _onRequest(s.Now, reads);
            _macro.Reserve(s, reads);
            if (_next < _ops.Length) s.ScheduleAt(_id, s.Now + _ops[_next].Gap);
        }
    }

    [Test]
    public void Queue_statistics_equal_recording_every_read_in_time_order()
    {
        var gen = Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[0, 8], Gen.Int[1, 5],
            Gen.Select(Gen.Frequency((3, Gen.Int[0, 10]), (1, Gen.Int[0, 400])), Gen.Int[0, 7]).Array[1, 60]);
        gen.Sample((drive, convert, shiftAdd, edge, ops) =>
        {
            var scheduler = new Scheduler();
            var statistics = new UnitStatistics("m", "macro");
            var macro = new MacroUnit(scheduler, statistics, drive, convert, shiftAdd, edge, new NoClient());
            // The reference: the same reads' times by the pipeline's recurrence, each departure recorded in time order.
            var reference = new UnitStatistics("r", "macro");
            var pending = new Queue<(long Taken, long Arrived)>();
            long release = 0, converted = 0, end = 0;
            void OnRequest(long now, int reads)
            {
                while (pending.Count > 0 && pending.Peek().Taken <= now) { var (t, a) = pending.Dequeue(); reference.Dequeue(t, a); }
                if (reads <= 0) return;
                reference.Enqueue(now, reads);
                for (var i = 0; i < reads; i++)
                {
                    var taken = Math.Max(now, release);
                    var driveAt = (taken + edge - 1) / edge * edge;
                    var sample = Math.Max(driveAt + drive, converted);
                    pending.Enqueue((taken, now));
                    reference.Busy(sample - taken);
                    release = sample;
                    converted = sample + convert;
                }
                end = Math.Max(end, converted + shiftAdd);
            }
            _ = new Driver(scheduler, macro, ops, OnRequest);
            scheduler.RunUntilIdle();
            end = Math.Max(end, scheduler.Now);
            macro.Close(end);
            while (pending.Count > 0) { var (t, a) = pending.Dequeue(); reference.Dequeue(t, a); }
            reference.Close(end);
            return statistics.BusyCycles == reference.BusyCycles && statistics.Arrivals == reference.Arrivals
                && statistics.QueuedArrivals == reference.QueuedArrivals && statistics.QueueArea == reference.QueueArea
                && statistics.QueueLength == reference.QueueLength && statistics.MaxQueueLength == reference.MaxQueueLength
                && statistics.WaitCycles == reference.WaitCycles;
        });
    }

    private sealed class NoClient : IUnitClient
    {
        public void Completed(long token, Scheduler scheduler) { }
    }
}
