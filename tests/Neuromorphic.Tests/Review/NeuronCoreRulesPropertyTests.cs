using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// The neuron core against its documented rules (<see cref="NeuronCoreUnit"/>'s summary, docs/architecture.md) on random
/// queued work: batches sent by kernel events at random cycles (on and off the core's clock edges, several at one cycle),
/// completions that submit more, empty batches. The checker, written from the rules, replays each core's batches in the
/// order they were submitted: a batch of n &gt; 0 operations is taken when the core finishes the batch before it (at once
/// if it is idle), starts on the first core clock edge from then and ends ceil(n / lanes) + pipeline core cycles later,
/// where its client hears of it; an empty batch is done at once. Its statistics: each batch an arrival that waits from its
/// submission until the core takes it, the queue's area the summed waits (Little's law, the queue empty at the end), the
/// longest queue within the trace's bounds, and busy cycles from each batch's taking to its end (so the wait for a clock
/// edge counts as busy, as a macro counts its drive's).
/// </summary>
public sealed class NeuronCoreRulesPropertyTests
{
    private readonly record struct Batch(int Core, long Token, long Operations, long Submitted);

    /// <summary>Submits a burst of batches at each of its kernel events; a completion whose token is a multiple of 3 submits one more.</summary>
    private sealed class Work : IComponent, IUnitClient
    {
        public readonly List<Batch> Submitted = [];
        public readonly List<(long Token, long Cycle)> Done = [];
        public NeuronCoreUnit[] Cores = [];
        private readonly (int Core, int Operations)[][] _bursts;
        private readonly int[] _followUps;
        private readonly int _id;
        private long _token;

        public Work(Scheduler scheduler, (int Core, int Operations)[][] bursts, int[] followUps)
        {
            (_bursts, _followUps) = (bursts, followUps);
            _id = scheduler.Register(this);
        }

        public void At(Scheduler scheduler, long cycle, int burst) => scheduler.ScheduleAt(_id, cycle, 0, burst);

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            foreach (var (core, operations) in _bursts[ev.Payload]) Submit(scheduler, core % Cores.Length, operations);
        }

        public void Completed(long token, Scheduler scheduler)
        {
            Done.Add((token, scheduler.Now));
            if (_followUps.Length > 0 && token % 3 == 0 && _token < 200)
                Submit(scheduler, (int)(token % Cores.Length), _followUps[(int)(token / 3 % _followUps.Length)]);
        }

        private void Submit(Scheduler scheduler, int core, long operations)
        {
            var token = _token++;
            Submitted.Add(new Batch(core, token, operations, scheduler.Now));
            Cores[core].Submit(scheduler, operations, token);
        }
    }

    /// <summary>The first broken rule, or null.</summary>
    private static string? Check(Work work, int lanes, int pipeline, long edge, NeuronCoreUnit[] cores, ref long waited)
    {
        var done = new Dictionary<long, long>();
        foreach (var (token, cycle) in work.Done)
            if (!done.TryAdd(token, cycle)) return $"batch {token} done twice";
        if (done.Count != work.Submitted.Count) return $"{done.Count} batches done of {work.Submitted.Count} submitted";
        for (var c = 0; c < cores.Length; c++)
        {
            long end = 0, busy = 0, waits = 0, arrivals = 0;
            var spans = new List<(long Submitted, long Taken)>();
            foreach (var b in work.Submitted.Where(b => b.Core == c))
            {
                if (b.Operations <= 0)
                {
                    if (done[b.Token] != b.Submitted) return $"empty batch {b.Token} done at {done[b.Token]}, submitted at {b.Submitted}";
                    continue;
                }
                var taken = Math.Max(b.Submitted, end);
                var start = (taken + edge - 1) / edge * edge;
                end = start + ((b.Operations + lanes - 1) / lanes + pipeline) * edge;
                if (done[b.Token] != end)
                    return $"core {c}: batch {b.Token} ({b.Operations} operations, submitted {b.Submitted}, taken {taken}) done at {done[b.Token]}, expected {end}";
                arrivals++;
                waits += taken - b.Submitted;
                busy += end - taken;
                spans.Add((b.Submitted, taken));
                if (taken > b.Submitted) waited++;
            }
            var s = cores[c].Statistics;
            s.Close(end);
            var atLeast = spans.Count == 0 ? 0 : Math.Max(1, spans.Max(t => spans.Count(v => v.Submitted <= t.Submitted && t.Submitted < v.Taken)));
            var atMost = spans.Count == 0 ? 0 : spans.Max(t => spans.Count(v => v.Submitted <= t.Submitted && t.Submitted <= v.Taken));
            if (s.Arrivals != arrivals) return $"core {c}: {s.Arrivals} arrivals, {arrivals} batches";
            if (s.BusyCycles != busy) return $"core {c}: busy {s.BusyCycles}, the batches make {busy}";
            if (s.WaitCycles != waits) return $"core {c}: waits {s.WaitCycles}, the batches waited {waits}";
            if (s.QueueArea != waits) return $"core {c}: queue area {s.QueueArea}, the batches waited {waits}";
            if (s.MaxQueueLength < atLeast || s.MaxQueueLength > atMost) return $"core {c}: longest queue {s.MaxQueueLength}, outside [{atLeast}, {atMost}]";
            if (s.QueueLength != 0) return $"core {c}: {s.QueueLength} batches still queued";
        }
        return null;
    }

    [Test]
    public void Random_queued_batches_keep_the_cores_documented_rules()
    {
        long waited = 0;
        var burst = Gen.Select(Gen.Int[0, 3], Gen.Frequency((1, Gen.Const(0)), (6, Gen.Int[1, 100]))).Array[1, 6];
        var unit = Gen.Select(Gen.Int[1, 3], Gen.Int[1, 16], Gen.Int[0, 4], Gen.Int[1, 5]);
        var work = Gen.Select(burst.Array[1, 4], Gen.Int[0, 60].Array[0, 5], Gen.Select(Gen.Int[0, 120], Gen.Int[0, 3]).Array[1, 10]);
        Gen.Select(unit, work).Sample(((int Cores, int Lanes, int Pipeline, int Edge) u, ((int, int)[][] Bursts, int[] FollowUps, (int, int)[] Times) w) =>
        {
            var scheduler = new Scheduler();
            var traffic = new Work(scheduler, w.Bursts, w.FollowUps);
            var cores = Enumerable.Range(0, u.Cores)
                .Select(c => new NeuronCoreUnit(scheduler, new UnitStatistics($"c{c}", "neuron_core"), u.Lanes, u.Pipeline, u.Edge, traffic)).ToArray();
            traffic.Cores = cores;
            foreach (var (cycle, b) in w.Times) traffic.At(scheduler, cycle, b % w.Bursts.Length);
            scheduler.RunUntilIdle();
            long seen = 0;
            var error = Check(traffic, u.Lanes, u.Pipeline, u.Edge, cores, ref seen);
            if (error is not null) throw new AssertionException(error);
            Interlocked.Add(ref waited, seen);
        }, iter: 500);
        // The work must queue (else first come, first served is checked on nothing).
        Assert.That(waited, Is.GreaterThan(1000));
    }
}
