using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A macro works out its queue's statistics from the reads' times (waits summed when queued, the occupancy
/// integral as the summed waits): they must equal those of recording every read's arrival and departure on a
/// queue in time order, as a unit without that shortcut would. Operations come through both doors: <see cref="MacroUnit.Request"/>
/// (the macro's own end event, <see cref="MacroUnit.OnEvent"/>, tells the client) and <see cref="MacroUnit.Reserve"/>
/// (the caller waits on the returned cycle).
/// </summary>
public class MacroUnitStatisticsTests
{
    /// <summary>
    /// Queues the operations' reads on the macro at cycles a gap apart, telling the reference first (which returns
    /// the cycle the operation's last read is done): through Request (token = the operation's index) or Reserve.
    /// </summary>
    private sealed class Driver : IComponent
    {
        private readonly MacroUnit _macro;
        private readonly (int Gap, int Reads, bool Request)[] _ops;
        private readonly Func<long, int, long> _onRequest;
        private readonly int _id;
        private int _next;

        public Driver(Scheduler scheduler, MacroUnit macro, (int Gap, int Reads, bool Request)[] ops, Func<long, int, long> onRequest)
        {
            (_macro, _ops, _onRequest) = (macro, ops, onRequest);
            _id = scheduler.Register(this);
            scheduler.ScheduleAt(_id, 0);
        }

        public void OnEvent(in SimEvent ev, Scheduler s)
        {
            var (_, reads, request) = _ops[_next];
            var done = _onRequest(s.Now, reads);
            if (request)
            {
                _macro.Request(s, reads, token: _next);
                Expected[_next] = done;
            }
            else if (_macro.Reserve(s, reads) != done) Mismatches++;
            _next++;
            if (_next < _ops.Length) s.ScheduleAt(_id, s.Now + _ops[_next].Gap);
        }

        /// <summary>Per operation queued through Request, the cycle the reference says its client hears of it.</summary>
        public Dictionary<long, long> Expected { get; } = [];

        /// <summary>Reserves whose returned cycle differed from the reference's.</summary>
        public int Mismatches { get; private set; }
    }

    [Test]
    public void Queue_statistics_equal_recording_every_read_in_time_order()
    {
        var gen = Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[0, 8], Gen.Int[1, 5],
            Gen.Select(Gen.Frequency((3, Gen.Int[0, 10]), (1, Gen.Int[0, 400])), Gen.Int[0, 7], Gen.Bool).Array[1, 60]);
        gen.Sample((drive, convert, shiftAdd, edge, ops) =>
        {
            var scheduler = new Scheduler();
            var statistics = new UnitStatistics("m", "macro");
            var client = new Client();
            var macro = new MacroUnit(scheduler, statistics, drive, convert, shiftAdd, edge, client);
            // The reference: the same reads' times by the pipeline's recurrence, each departure recorded in time order.
            var reference = new UnitStatistics("r", "macro");
            var pending = new Queue<(long Taken, long Arrived)>();
            long release = 0, converted = 0, end = 0;
            long OnRequest(long now, int reads)
            {
                while (pending.Count > 0 && pending.Peek().Taken <= now) { var (t, a) = pending.Dequeue(); reference.Dequeue(t, a); }
                if (reads <= 0) return now;
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
                return converted + shiftAdd;
            }
            var driver = new Driver(scheduler, macro, ops, OnRequest);
            scheduler.RunUntilIdle();
            end = Math.Max(end, scheduler.Now);
            macro.Close(end);
            while (pending.Count > 0) { var (t, a) = pending.Dequeue(); reference.Dequeue(t, a); }
            reference.Close(end);
            return statistics.BusyCycles == reference.BusyCycles && statistics.Arrivals == reference.Arrivals
                && statistics.QueuedArrivals == reference.QueuedArrivals && statistics.QueueArea == reference.QueueArea
                && statistics.QueueLength == reference.QueueLength && statistics.MaxQueueLength == reference.MaxQueueLength
                && statistics.WaitCycles == reference.WaitCycles
                && driver.Mismatches == 0 && client.Done.Count == driver.Expected.Count
                && client.Done.All(d => driver.Expected.TryGetValue(d.Token, out var at) && at == d.Cycle);
        });
    }

    private sealed class Client : IUnitClient
    {
        public List<(long Token, long Cycle)> Done { get; } = [];

        public void Completed(long token, Scheduler scheduler) => Done.Add((token, scheduler.Now));
    }
}
