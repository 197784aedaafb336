using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <see cref="CoreBatch"/>: a population's batches submitted together must finish exactly as batches submitted core by
/// core (<see cref="NeuronCoreUnit.Submit"/>, one completion event each): same cycles, same order among all other events,
/// same statistics, same count of kernel events.
/// </summary>
[TestFixture]
public sealed class CoreBatchTests
{
    /// <summary>A small chip: cores, a client that logs completions (and may submit more work), and timed other events.</summary>
    private sealed class World : IUnitClient, IComponent
    {
        public readonly Scheduler Scheduler = new(16);
        public readonly NeuronCoreUnit[] Cores;
        public readonly List<(string What, long Token, long Cycle)> Log = [];
        private readonly CoreBatch? _batch;
        private readonly int _id;
        private readonly int[] _tiles, _operations, _later;
        private int _reactions;

        public World(bool batched, int cores, long edge, int pipeline, int[] tiles, int[] operations, int[] later, int reactions)
        {
            Cores = Enumerable.Range(0, cores).Select(c => new NeuronCoreUnit(Scheduler, new UnitStatistics($"c{c}", "neuron_core"), 4, pipeline, edge, this)).ToArray();
            if (batched) _batch = new CoreBatch(Scheduler);
            _id = Scheduler.Register(this);
            (_tiles, _operations, _later, _reactions) = (tiles, operations, later, reactions);
        }

        public void Run(int[] busy, int[] noise, long submitAt, int[] wakes)
        {
            // A component holding the scheduler's wake-ups (Scheduler.WakeAt), as the NoC does: a batch's completion is
            // handled inline only if it also precedes the earliest of them.
            var waker = new Waker(Log);
            var id = Scheduler.Register(waker);
            foreach (var w in wakes.Distinct().OrderDescending()) Scheduler.WakeAt(id, w);
            // Work already on some cores, other events around the submission (some at the cycles batches end), the
            // submission itself, and a second one later (two submissions in flight, some cores busy).
            for (var c = 0; c < busy.Length && c < Cores.Length; c++) Cores[c].Submit(Scheduler, busy[c], 1000 + c);
            foreach (var n in noise) Scheduler.ScheduleAt(_id, n, 1, n);
            Scheduler.ScheduleAt(_id, submitAt, 2, 1);
            Scheduler.ScheduleAt(_id, submitAt + 7, 2, 2);
            Scheduler.RunUntilIdle();
        }

        public void Completed(long token, Scheduler scheduler)
        {
            Log.Add(("done", token, scheduler.Now));
            // Some completions hand a core more work (it may be one of a batch still running).
            if (_reactions > 0 && token % 3 == 0)
            {
                _reactions--;
                Cores[(int)(token % Cores.Length)].Submit(scheduler, 9, token + 10);
            }
        }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            Log.Add((ev.Kind == 1 ? "other" : "submit", ev.Payload, scheduler.Now));
            if (ev.Kind != 2) return;
            var operations = ev.Payload == 1 ? _operations : _later;
            if (_batch is { } batch) batch.Submit(scheduler, Cores, _tiles, operations, 3 * ev.Payload);
            else
                for (var k = 0; k < _tiles.Length; k++) Cores[_tiles[k]].Submit(scheduler, operations[k], 3 * ev.Payload);
            // Work submitted after the batch in the same handler: its events come after the batch's in sequence.
            scheduler.ScheduleAt(_id, scheduler.Now + 4, 1, -ev.Payload);
        }
    }

    /// <summary>Holds wake-ups (a stack: each set before the pending ones) and logs them as they come.</summary>
    private sealed class Waker(List<(string What, long Token, long Cycle)> log) : IComponent
    {
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => log.Add(("wake", ev.Payload, scheduler.Now));
    }

    [Test]
    public void A_batch_finishes_as_its_cores_one_by_one_on_random_work()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[0, 2], Gen.Int[0, 40].Array[0, 5], Gen.Int[0, 60].Array[0, 12], Gen.Int[0, 20], Gen.Int[0, 4])
            .SelectMany((cores, edge, pipeline, busy, noise, submitAt, reactions) =>
                Gen.Select(Gen.Int[0, cores - 1].Array[1, 8], Gen.Int[0, 30].Array[8], Gen.Int[0, 30].Array[8], Gen.Int[0, 90].Array[0, 4])
                    .Select((tiles, ops, later, wakes) => (cores, edge, pipeline, busy, noise, submitAt, reactions, tiles, ops, later, wakes)))
            .Sample(c =>
            {
                var ops = c.ops[..c.tiles.Length];
                var later = c.later[..c.tiles.Length];
                var one = new World(false, c.cores, c.edge, c.pipeline, c.tiles, ops, later, c.reactions);
                var batch = new World(true, c.cores, c.edge, c.pipeline, c.tiles, ops, later, c.reactions);
                one.Run(c.busy, c.noise, c.submitAt, c.wakes);
                batch.Run(c.busy, c.noise, c.submitAt, c.wakes);
                Assert.That(batch.Log, Is.EqualTo(one.Log));
                Assert.That(batch.Scheduler.Dispatched, Is.EqualTo(one.Scheduler.Dispatched));
                Assert.That(batch.Scheduler.Now, Is.EqualTo(one.Scheduler.Now));
                for (var k = 0; k < c.cores; k++)
                {
                    var (a, b) = (one.Cores[k].Statistics, batch.Cores[k].Statistics);
                    a.Close(one.Scheduler.Now);
                    b.Close(batch.Scheduler.Now);
                    Assert.That((b.BusyCycles, b.Arrivals, b.QueuedArrivals, b.QueueArea, b.WaitCycles, b.MaxQueueLength),
                        Is.EqualTo((a.BusyCycles, a.Arrivals, a.QueuedArrivals, a.QueueArea, a.WaitCycles, a.MaxQueueLength)));
                }
            }, iter: 3000);
    }

    [Test]
    public void A_batch_of_three_cores_against_a_hand_count()
    {
        // 16 lanes, a pipeline of 2, a core cycle of 5 base cycles; submitted at cycle 3, so every batch starts at 5.
        var scheduler = new Scheduler();
        var done = new List<(long Token, long Cycle)>();
        var client = new Client(done);
        var cores = Enumerable.Range(0, 3).Select(c => new NeuronCoreUnit(scheduler, new UnitStatistics($"c{c}", "neuron_core"), 16, 2, 5, client)).ToArray();
        var batch = new CoreBatch(scheduler);
        var starter = new Starter((s) => batch.Submit(s, cores, [0, 1, 2], [40, 0, 100], 7));
        scheduler.ScheduleAt(scheduler.Register(starter), 3);
        scheduler.RunUntilIdle();
        // Core 1 has no work: told at once. Core 0: ceil(40/16) + 2 = 5 core cycles, 25 base cycles from 5. Core 2: 7 + 2 = 9, 45.
        Assert.That(done, Is.EqualTo(new[] { (7L, 3L), (7L, 30L), (7L, 50L) }));
        Assert.That(cores.Select(c => c.Statistics.BusyCycles), Is.EqualTo(new[] { 27L, 0L, 47L }));
        Assert.That(cores.Select(c => c.Statistics.Arrivals), Is.EqualTo(new[] { 1L, 0L, 1L }));
        Assert.That(cores.Select(c => c.Statistics.WaitCycles), Is.EqualTo(new[] { 0L, 0L, 0L }));
        // The starter's event and the two completions, one of them handled inline.
        Assert.That(scheduler.Dispatched, Is.EqualTo(3));
    }

    private sealed class Client(List<(long Token, long Cycle)> done) : IUnitClient
    {
        public void Completed(long token, Scheduler scheduler) => done.Add((token, scheduler.Now));
    }

    private sealed class Starter(Action<Scheduler> start) : IComponent
    {
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => start(scheduler);
    }
}
