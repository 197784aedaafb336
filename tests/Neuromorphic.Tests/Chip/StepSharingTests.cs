using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// Both threads time steps (barrier execution on two threads): steps the producer times in its own engine and the
/// kernel's thread takes over give the run of one thread, file for file (every unit's utilisation, every layer's busy
/// cycles and reads, latencies, energy), kernel event for kernel event; and steps the kernel's thread turns down (forced,
/// or started on another clock phase) are timed once, by it, and counted once.
/// </summary>
public class StepSharingTests
{
    private sealed record Trace(Dictionary<string, byte[]> Files, List<float[]> Outputs, List<string> Ledger, long Events, long Packets, long Shared, long Rejected, long Late);

    private static Trace Run(ChipProgram program, double dt, IReadOnlyList<SpikeRaster> samples, int threads, int shareEvery = 0, int rejectEvery = 0,
        bool golden = true, bool idealCore = false, bool share = true, bool lockStep = false, int lookahead = ChipExecutor.DefaultLookahead,
        bool predict = true, Action<long>? onClaimed = null)
    {
        var executor = new ChipExecutor(program, dt, seed: 1, golden, idealNeuronCore: idealCore, threads: threads, lookahead: lookahead)
        {
            MinimumStepsOnTwoThreads = 0,
            ProducerIdleTimeout = TimeSpan.FromMinutes(1),
            ShareEvery = shareEvery,
            RejectEvery = rejectEvery,
            ShareSteps = share,
            LockStep = lockStep,
            PredictStarts = predict,
            OnClaimed = onClaimed,
        };
        var outputs = new List<float[]>();
        foreach (var sample in samples)
        {
            var result = executor.RunSample(sample);
            foreach (var name in result.Keys.Order(StringComparer.Ordinal)) outputs.Add(result[name].Data.ToArray());
        }
        var ledger = ChipRunSnapshot.Ledger(executor.Ledger);
        var (events, packets) = (executor.KernelEvents, executor.NocPackets);
        var run = executor.Finish();
        var files = ChipRunSnapshot.Files(program, run, dt);
        return new Trace(files, outputs, ledger, events, packets, executor.SharedSteps, executor.RejectedSteps, executor.LateSteps);
    }

    private static void AssertSame(Trace one, Trace two)
    {
        ChipRunSnapshot.AssertSameFiles(one.Files, two.Files);
        Assert.That(two.Outputs, Is.EqualTo(one.Outputs));
        Assert.That(two.Ledger, Is.EqualTo(one.Ledger));
        Assert.That((two.Events, two.Packets), Is.EqualTo((one.Events, one.Packets)), "kernel events and NoC packets");
    }

    private static ChipProgram Map(Sim.Networks.Network network, ArchitectureSpec spec) =>
        NetworkMapper.Map(network, new ChipModel(spec with { Chip = spec.Chip with { Execution = ExecutionMode.Barrier } }), seed: 1);

    private static (ChipProgram Program, SpikeRaster Input) Braille(ArchitectureSpec spec) =>
        (Map(NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir")), spec), SpikeRaster.Load(ChipTestData.BrailleInput));

    [Test]
    public void Braille_srnn_steps_the_producer_timed_give_the_run_of_one_thread()
    {
        // Recurrent (a deferred crossbar), the preset's read noise, the golden model; three samples in one executor. In
        // lock step the producer times every step but each sample's first (no thread timing decides which).
        var (program, input) = Braille(ArchitectureLoader.Load("rram-40nm-256kb"));
        var samples = new[] { input, input, input };
        var one = Run(program, 1e-4, samples, threads: 1);
        var two = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, lockStep: true);
        Assert.That(one.Shared, Is.Zero);
        Assert.That(two.Shared + two.Rejected, Is.EqualTo(3 * (input.Timesteps - 1)), "the producer timed every step but the first of each sample");
        Assert.That(two.Shared, Is.GreaterThan(0), "the producer timed steps");
        AssertSame(one, two);
        // Not in lock step, every third step: which thread times which step varies from run to run; the results do not.
        AssertSame(one, Run(program, 1e-4, samples, threads: 2, shareEvery: 3));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_taken_over_step_is_read_before_its_slot_is_freed(bool ideal)
    {
        // The smallest ring (two slots): having taken a step over, the kernel's thread waits (lock step) until the producer
        // has captured the step two ahead into the freed slot and timed it into the same pack; a latency or event count
        // read from the pack after freeing the slot would be that step's, and the run's files would differ.
        var (program, input) = Braille(ideal ? ChipTestData.Ideal() : ArchitectureLoader.Load("rram-40nm-256kb"));
        var samples = new[] { input, input };
        var two = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, lockStep: true, lookahead: 1);
        Assert.That(two.Shared, Is.GreaterThan(0), "steps taken over");
        AssertSame(Run(program, 1e-4, samples, threads: 1), two);
    }

    [Test]
    public void The_ring_with_its_step_packs_stays_within_its_memory_budget()
    {
        // A budget of five steps' records and packs: the ring's records and the packs the producer filled (each slot's grows
        // to the most units a step used, never past the chip's units) fit in it, the ring's steps rounded down to a power of
        // two (4). CUBA-1000's packs outweigh its records (1,132 bytes): a ring sized by its records alone overshoots.
        var (program, input, dt) = Cuba1000();
        ChipExecutor Make(long budget) => new(program, dt, seed: 1, golden: false, idealNeuronCore: true, threads: 2, lookahead: ChipExecutor.DefaultLookahead, budget)
        {
            MinimumStepsOnTwoThreads = 0,
            ProducerIdleTimeout = TimeSpan.FromMinutes(1),
            ShareEvery = 1,
            LockStep = true,
        };
        var unbounded = Make(long.MaxValue);
        var budget = 5 * (unbounded.RecordBytesPerStep + StepPack.BytesFor(unbounded.PackUnits));
        var executor = Make(budget);
        executor.RunSample(input);
        var used = executor.RingCapacity * executor.RecordBytesPerStep + executor.PackBytes;
        Assert.That(executor.SharedSteps, Is.GreaterThan(0), "the producer filled packs");
        Assert.That(executor.RingCapacity, Is.EqualTo(4), "the budget limits the ring: 5 steps, rounded down");
        Assert.That(used, Is.LessThanOrEqualTo(budget));
        executor.Finish();
    }

    private static (ChipProgram Program, SpikeRaster Input, double Dt) Cuba1000()
    {
        var parameters = new CubaParameters { Neurons = 1000 };
        var cuba = CubaNetwork.Build(parameters, 3);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, 3));
        return (Map(network, ArchitectureLoader.Load("rram-40nm-256kb")), new SpikeRaster(300, 0), parameters.Dt * 1e-3);
    }

    [Test]
    public void Sinabs_cnn_steps_the_producer_timed_give_the_run_of_one_thread()
    {
        var network = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        var events = EventFile.Read(ChipTestData.Nmnist);
        var input = EventBinning.ToRaster(events, new BinningOptions { BinUs = 1000, CropWidth = 34, CropHeight = 34 });
        input = new SpikeRaster(40, input.Channels, input.Data[..(40 * input.Channels)]);
        var program = Map(network, ArchitectureLoader.Load("rram-40nm-256kb"));
        var two = Run(program, 1e-3, [input], threads: 2, shareEvery: 1, golden: false, lockStep: true);
        Assert.That(two.Shared, Is.GreaterThan(0));
        AssertSame(Run(program, 1e-3, [input], threads: 1, golden: false), two);
    }

    [Test]
    public void Cuba_steps_the_producer_timed_give_the_run_of_one_thread()
    {
        var parameters = new CubaParameters { Neurons = 1000 };
        var cuba = CubaNetwork.Build(parameters, 3);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, 3));
        var program = Map(network, ArchitectureLoader.Load("rram-40nm-256kb"));
        var input = new SpikeRaster(300, 0);
        var two = Run(program, parameters.Dt * 1e-3, [input], threads: 2, shareEvery: 1, golden: false, idealCore: true, lockStep: true);
        Assert.That(two.Shared, Is.GreaterThan(0));
        AssertSame(Run(program, parameters.Dt * 1e-3, [input], threads: 1, golden: false, idealCore: true), two);
    }

    [Test]
    public void A_step_the_kernel_turns_down_is_timed_there_and_counted_once()
    {
        // Every other step the producer timed is turned down: the kernel's thread times it itself and drops the
        // producer's counters of it. Counted twice, busy cycles, reads, arrivals and events would exceed one thread's.
        var (program, input) = Braille(ChipTestData.Ideal());
        var samples = new[] { input, input };
        var two = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, rejectEvery: 2, lockStep: true);
        Assert.That(two.Rejected, Is.GreaterThan(0), "steps turned down");
        Assert.That(two.Shared, Is.GreaterThan(0), "steps taken over");
        AssertSame(Run(program, 1e-4, samples, threads: 1), two);
    }

    /// <summary>The preset (ideal device) with its NoC at 250 MHz (4 base cycles) beside the macros and cores at 200 MHz (5): L = 20.</summary>
    private static ArchitectureSpec TwoClocks()
    {
        var preset = ChipTestData.Ideal();
        return preset with { Noc = preset.Noc with { ClockHz = 250e6 } };
    }

    [Test]
    public void Steps_that_start_on_another_clock_phase_are_timed_by_the_kernel()
    {
        // L = 20: steps end on cycles of either clock, so they start on several residues of the 20-cycle common period.
        // Timed from a multiple of 20 (no prediction), the producer's steps are taken over only where the kernel's start
        // is one too; the others are turned down and timed by the kernel's thread, and counted once.
        var (program, input) = Braille(TwoClocks());
        var samples = new[] { input, input };
        var two = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, lockStep: true, predict: false);
        Assert.That(two.Rejected, Is.GreaterThan(0), "steps started on another phase");
        Assert.That(two.Shared, Is.GreaterThan(0), "steps started on the producer's phase");
        AssertSame(Run(program, 1e-4, samples, threads: 1), two);
    }

    [Test]
    public void Steps_timed_from_the_end_of_the_step_before_are_taken_over_on_any_clock_phase()
    {
        // L = 20, in lock step: the producer times every step of a sample but the first, in order, each from the residue
        // the step before ended on (StepChains); only the first it times starts from a guess. So once the kernel's
        // thread takes one over, it takes every later one of the sample over: at most a few per sample are turned down,
        // where a multiple of 20 as the start turns most down.
        var (program, input) = Braille(TwoClocks());
        var samples = new[] { input, input };
        var one = Run(program, 1e-4, samples, threads: 1);
        var fixedStart = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, lockStep: true, predict: false);
        var chained = Run(program, 1e-4, samples, threads: 2, shareEvery: 1, lockStep: true);
        Assert.That(chained.Shared + chained.Rejected, Is.EqualTo(2 * (input.Timesteps - 1)), "the producer timed every step but the first of each sample");
        // (Measured: 505 of 510 turned down from a multiple of 20, none chained; in lock step which thread times which
        // step, and from which residue, is the same in every run.)
        Assert.That(fixedStart.Rejected, Is.GreaterThan(fixedStart.Shared), "from a multiple of 20, most are turned down");
        Assert.That(chained.Rejected, Is.LessThan(fixedStart.Rejected / 10), "chained, few are");
        AssertSame(one, chained);
        // Not in lock step, every third step or only when the ring is full (the producer then claims what StepChains says):
        // which thread times which step varies from run to run; the results do not.
        AssertSame(one, Run(program, 1e-4, samples, threads: 2, shareEvery: 3));
        AssertSame(one, Run(program, 1e-4, samples, threads: 2, lookahead: 4));
    }

    [Test]
    public void A_producer_stalled_on_a_claimed_step_changes_nothing_in_the_results()
    {
        // The producer stalls 0.5 s after claiming its first step (as if descheduled) before timing it. Whether the kernel's
        // thread meets the unpublished step (it then waits its patience and times the step itself: Late) or reaches it only
        // once it is published (it waits for the function pass's next captures first, behind the stall: taken over) depends
        // on the scheduling, so that is not asserted; the results must be one thread's either way. The patience itself is
        // tested on its own (below). (A run where the kernel's thread keeps up with the function pass, always on the newest
        // step, leaves the producer nothing to claim: then the run is repeated, at most five times.)
        var (program, input) = Braille(ChipTestData.Ideal());
        var stalled = 0;
        void Stall(long t)
        {
            if (Interlocked.Exchange(ref stalled, 1) == 0) Thread.Sleep(500);
        }
        var two = Run(program, 1e-4, [input], threads: 2, shareEvery: 1, onClaimed: Stall);
        for (var attempt = 1; attempt < 5 && stalled == 0; attempt++) two = Run(program, 1e-4, [input], threads: 2, shareEvery: 1, onClaimed: Stall);
        Assert.That(stalled, Is.EqualTo(1), "the producer claimed a step");
        Assert.That(two.Shared + two.Rejected, Is.GreaterThanOrEqualTo(1), "the stalled step was taken over or timed by the kernel's thread");
        Assert.That(two.Rejected, Is.GreaterThanOrEqualTo(two.Late), "a late step is one the kernel's thread timed itself");
        AssertSame(Run(program, 1e-4, [input], threads: 1), two);
    }

    [Test]
    public void A_claimed_step_is_awaited_for_the_patience_given_and_no_longer()
    {
        var claims = new StepClaims(4, units: 8);
        var progress = new StepProgress();
        claims.Open(2);
        Assert.That(claims.TryClaim(2, 0), Is.True);
        var patience = System.Diagnostics.Stopwatch.Frequency / 1000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(claims.AwaitReady(2, progress, patience), Is.EqualTo(ClaimWait.Late), "not published");
        Assert.That(clock.Elapsed.TotalMilliseconds, Is.GreaterThanOrEqualTo(1.0), "waited the patience given");
        claims.Publish(2, latency: 0, events: 1);
        Assert.That(claims.AwaitReady(2, progress, patience), Is.EqualTo(ClaimWait.Ready));
        claims.Open(6);
        Assert.That(claims.TryClaim(6, 0), Is.True);
        progress.Abort();
        Assert.That(claims.AwaitReady(6, progress, long.MaxValue), Is.EqualTo(ClaimWait.Aborted), "the producer failed");
    }

    [Test]
    public void Switched_off_the_kernels_thread_times_every_step()
    {
        var (program, input) = Braille(ChipTestData.Ideal());
        var two = Run(program, 1e-4, [input], threads: 2, shareEvery: 1, share: false);
        Assert.That((two.Shared, two.Rejected), Is.EqualTo((0L, 0L)));
        AssertSame(Run(program, 1e-4, [input], threads: 1), two);
    }

    [Test]
    public void Pipelined_execution_keeps_the_timing_on_one_thread()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var spec = ChipTestData.Ideal();
        var program = NetworkMapper.Map(network, new ChipModel(spec with { Chip = spec.Chip with { Execution = ExecutionMode.Pipelined } }), seed: 1);
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var two = Run(program, 1e-4, [input], threads: 2, shareEvery: 1);
        Assert.That((two.Shared, two.Rejected), Is.EqualTo((0L, 0L)));
        AssertSame(Run(program, 1e-4, [input], threads: 1), two);
    }

    [Test]
    public void A_claim_is_taken_by_one_thread_only_and_never_matches_a_later_step_in_its_slot()
    {
        var claims = new StepClaims(4, units: 8);
        var progress = new StepProgress();
        Assert.That(claims.TryClaim(1, 0), Is.False, "not opened");
        claims.Open(1);
        claims.Open(2);
        Assert.That(claims.TryClaim(1, 3), Is.True);
        Assert.That(claims.TryTake(1), Is.False, "the producer has it");
        Assert.That(claims.StartOf(1), Is.EqualTo(3), "the residue the producer times it from");
        Assert.That(claims.TryTake(2), Is.True);
        Assert.That(claims.TryClaim(2, 0), Is.False, "the kernel has it");
        claims.Publish(1, latency: 17, events: 5);
        Assert.That(claims.AwaitReady(1, progress), Is.True);
        Assert.That(claims.ResultOf(1), Is.EqualTo((17L, 5L)), "the step's latency and events, beside its word");
        // Step 5 shares step 1's slot: the old word is not step 5's.
        Assert.That(claims.TryClaim(5, 0), Is.False);
        claims.Open(5);
        Assert.That(claims.TryClaim(1, 0), Is.False, "a stale step");
        Assert.That(claims.TryClaim(5, 4), Is.True);
        Assert.That(claims.StartOf(5), Is.EqualTo(4));
        progress.Abort();
        Assert.That(claims.AwaitReady(5, progress), Is.False, "the producer failed before publishing");
    }
    [Test]
    public void Only_the_packs_of_steps_taken_over_are_added_up_once_each()
    {
        // A ring of four slots, units 0-9. Step 1 is taken over (its pack counts when the producer opens step 5 in its
        // slot); step 2 is turned down (published, never accepted: its pack never counts); step 3 is timed by the kernel's
        // thread (no pack); step 4 is taken over and its slot never opened again (its pack counts at the sample's end).
        var claims = new StepClaims(4, units: 10);
        QueueCounters Counters(long busy, int longest) => new() { Busy = busy, Area = 2 * busy, Arrivals = 1, Wait = busy / 2, Queued = 1, MaxLength = longest };
        void Time(long step, params (int Unit, long Busy, int Longest, long Extra)[] units)
        {
            claims.Open(step);
            Assert.That(claims.TryClaim(step, 0), Is.True);
            var pack = claims.PackOf(step);
            pack.Clear();
            foreach (var u in units) pack.Add(u.Unit, Counters(u.Busy, u.Longest), u.Extra);
            (pack.Packets, pack.Flits) = (step, 10 * step);
            claims.Publish(step, latency: 100 + step, events: step);
        }
        Time(1, (3, 10, 2, 5), (7, 4, 1, 0));
        Time(2, (3, 1000, 9, 1000));
        claims.Open(3);
        Assert.That(claims.TryTake(3), Is.True);
        Time(4, (3, 20, 1, 1), (9, 6, 3, 2));
        claims.Accept(1);
        claims.Accept(4);
        Assert.That(claims.Accepted.Count, Is.Zero, "nothing counts before the producer opens the slot again");
        claims.Open(5);
        claims.Open(6);
        claims.Open(7);
        Assert.That(claims.Accepted.Units.ToArray(), Is.EqualTo(new[] { 3, 7 }), "step 1's pack, once step 5 opens its slot");
        claims.FoldAccepted();
        claims.FoldAccepted();
        var totals = claims.Accepted;
        Assert.That(totals.Units.ToArray().Order(), Is.EqualTo(new[] { 3, 7, 9 }));
        Assert.That((totals.CountersOf(3).Busy, totals.CountersOf(3).Area, totals.CountersOf(3).Wait, totals.CountersOf(3).Arrivals), Is.EqualTo((30L, 60L, 15L, 2L)),
            "steps 1 and 4, not step 2");
        Assert.That(totals.CountersOf(3).MaxLength, Is.EqualTo(2), "the longer of steps 1 and 4's queues");
        Assert.That((totals.ExtraOf(3), totals.ExtraOf(7), totals.ExtraOf(9)), Is.EqualTo((6L, 0L, 2L)));
        Assert.That((totals.Packets, totals.Flits), Is.EqualTo((5L, 50L)));
        claims.Open(8);
        Assert.That(totals.Count, Is.EqualTo(3), "step 4's slot, closed at the fold, adds nothing when opened again");
        totals.Clear();
        Assert.That((totals.Count, totals.Packets, totals.CountersOf(3).Busy, totals.ExtraOf(9)), Is.EqualTo((0, 0L, 0L, 0L)));
    }

    [Test]
    public void A_pack_grows_to_the_chips_units_and_no_further()
    {
        var pack = new StepPack(units: 40);
        var counters = new QueueCounters { Busy = 3 };
        for (var u = 0; u < 40; u++) pack.Add(u, in counters, u);
        Assert.That(pack.Count, Is.EqualTo(40));
        Assert.That(pack.Bytes, Is.EqualTo(StepPack.BytesFor(40)), "doubling from 16 stops at the units, not at 64");
        Assert.That(() => pack.Add(40, in counters, 0), Throws.InvalidOperationException);
        pack.Clear();
        pack.Add(7, in counters, 1);
        Assert.That(pack.Entries.ToArray().Select(e => (e.Unit, e.Extra)), Is.EqualTo(new[] { (7, 1L) }));
    }

    [Test]
    public void A_refused_test_setting_leaves_the_executor_as_it_was()
    {
        // LockStep without ShareEvery 1 is refused before the sample begins: a later sample is refused the same way (no
        // half-begun sample, no null claims), and the executor has run no sample.
        var (program, input, dt) = Cuba1000();
        var executor = new ChipExecutor(program, dt, seed: 1, golden: false, idealNeuronCore: true, threads: 2)
        {
            MinimumStepsOnTwoThreads = 0,
            ProducerIdleTimeout = TimeSpan.FromMinutes(1),
            LockStep = true,
        };
        for (var k = 0; k < 2; k++)
            Assert.That(() => executor.RunSample(input), Throws.InvalidOperationException.With.Message.Contains("LockStep needs ShareEvery 1"));
        Assert.That(executor.Finish().Samples, Is.EqualTo(0));
    }
}
