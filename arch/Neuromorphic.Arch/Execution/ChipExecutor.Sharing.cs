using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

// Both threads time steps (barrier execution on two threads). Every barrier step starts on an idle chip (no packet in
// flight, no read queued, no batch on a core, every link, macro and core free), so its timing (latency, events, every
// unit's counters) depends only on its records and on its start's phase against the units' clocks: its residue modulo
// _phase, the least common multiple of every clock ratio. So when the producer would wait for room in the ring, it takes
// (StepClaims) a captured step the kernel's thread has not reached (StepChains says which) and times it in a second engine
// of its own (_shared), from a start of the residue the kernel's thread will likely start it on (the end of the step
// before, if the producer timed that one too); the kernel's thread, reaching that step, takes its result over if its own
// start has that residue (its start is the previous step's end: merged statistics, latency and events as if it had
// timed the step itself), and otherwise times the step itself and drops the producer's result (whose counters were the
// step's alone). What each thread owns: the producer, the second engine, the chains, the packs and their totals (added up
// as each taken-over step's slot is reopened; the caller's once the sample has ended, EndSharing); the kernel's thread, the
// main engine. Between them cross only the claims' words, with a published step's latency and events beside.
public sealed partial class ChipExecutor
{
    // The least common multiple of the units' clock ratios (macro, neuron core, NoC): a step started on a multiple of it
    // meets every unit's clock edges where a step started on any other multiple does.
    private readonly long _phase;
    private TimingEngine? _shared;
    // The second engine's ledger: its NoC counts nothing on the executor's paths (the capture counts every packet), so it
    // stays empty; a count there could not be split into the steps taken over and those turned down (CheckSharedLedger).
    private readonly Ledger _sharedLedger = new();
    private StepClaims? _claims;
    // The sample at hand is timed by both threads (set before the producer starts, cleared after it has ended).
    private bool _sharing;
    // Kernel's thread: steps the producer timed that the kernel's thread reached, for RejectEvery.
    private long _offered;

    /// <summary>Both threads time steps in barrier execution on two threads (an internal switch: off, the kernel's thread times every step, as before).</summary>
    internal bool ShareSteps { get; init; } = true;

    /// <summary>Tests: the producer also times a step (<see cref="StepChains"/>) after every k-th step it computes (0: only when it would wait).</summary>
    internal int ShareEvery { get; init; }

    /// <summary>Tests: the kernel's thread turns down every r-th step the producer timed (0: none), and times it itself.</summary>
    internal int RejectEvery { get; init; }

    /// <summary>
    /// Tests: the producer times each step from the residue the kernel's thread will likely start it on (<see cref="StepChains"/>);
    /// off, from a multiple of the clocks' common period (a step is then taken over only where the kernel's start is one).
    /// </summary>
    internal bool PredictStarts { get; init; } = true;

    /// <summary>Tests: called on the producer's thread with each step of the sample it claims, before it times it.</summary>
    internal Action<long>? OnClaimed { get; init; }

    /// <summary>Steps the producer timed that the kernel's thread took over, all samples.</summary>
    internal long SharedSteps { get; private set; }

    /// <summary>Steps the producer timed that the kernel's thread turned down (another start phase, late, or <see cref="RejectEvery"/>), all samples.</summary>
    internal long RejectedSteps { get; private set; }

    /// <summary>Of <see cref="RejectedSteps"/>, those the producer had not published within the kernel's patience (<see cref="Patience"/>).</summary>
    internal long LateSteps { get; private set; }

    /// <summary>Steps of the run whose timing the producer's thread did (taken over by the kernel's): 0 on one thread.</summary>
    public long StepsTimedByProducer => SharedSteps;

    /// <summary>Steps of the run the producer timed that the kernel's thread turned down and timed itself (another clock phase, or the producer late with it; wasted work): 0 on one thread.</summary>
    public long StepsTurnedDown => RejectedSteps;

    /// <summary>Seconds the producer spent timing steps so far, those turned down included (0 unless both threads time steps).</summary>
    public double ProducerTimingSeconds => (double)_scalars.SharedTicks / Stopwatch.Frequency;

    /// <summary>Caller's thread, before the producer starts a sample of <paramref name="steps"/> steps: whether both threads time steps.</summary>
    private void BeginSharing(int steps)
    {
        _sharing = ShareSteps && _engine.Steps.Mode == ExecutionMode.Barrier;
        if (!_sharing) return;
        _claims ??= new StepClaims(_work.Capacity, PackUnits);
        if (_shared is null)
        {
            _shared = new TimingEngine(_shape, _sharedLedger, host: null, prefetch: false);
            _shared.Attach(_work);
        }
        _shared.Steps.BeginSample(steps);
        _scalars.Chains.Begin();
    }

    /// <summary>
    /// Caller's thread, after a sample both threads timed (the producer ended, the kernel's timing done): the counters of
    /// the steps taken over, added up, join the main engine's units (sums and maxima: the same as each step's at its tick).
    /// </summary>
    private void EndSharing()
    {
        if (!_sharing) return;
        _claims!.FoldAccepted();
        _engine.Merge(_claims.Accepted);
        _claims.Accepted.Clear();
    }

    /// <summary>After a sample both threads timed: refuses a count the second engine made (see <see cref="_sharedLedger"/>).</summary>
    private void CheckSharedLedger()
    {
        if (_shared is null || _sharedLedger.Entries().All(e => e.Count == 0)) return;
        _faulted = true;
        throw new InvalidOperationException("the producer's timing engine counted actions in its ledger: they cannot be merged exactly");
    }

    /// <summary>
    /// Producer: claims a captured step the kernel's thread has not reached (<see cref="StepChains"/> says which, and from
    /// which start residue) and times it in the second engine. False when there is none to claim.
    /// </summary>
    private bool TimeAhead()
    {
        ref var chains = ref _scalars.Chains;
        // A claim the kernel's thread beat ends its chain; the next proposal is another (bounded: a proposal each time).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // The kernel's thread is on step `kernel` (it may take that one or any later one at any moment).
            if (!chains.Next(_work.Completed.Value, _work.Captured.Value - 1, out var step, out var start)) return false;
            if (!PredictStarts) start = 0;
            if (!_claims!.TryClaim(step, start))
            {
                chains.Refused();
                continue;
            }
            OnClaimed?.Invoke(step - _sampleCaptured);
            var begin = Stopwatch.GetTimestamp();
            var pack = _claims.PackOf(step);
            _shared!.TimeShared(step, (int)(step - _sampleCaptured), pack, _phase, start);
            // The residue the step ends on (the next step's start, if this one is taken over). The pack stays the producer's
            // (StepClaims.Open adds it up once the step's fate is known); the kernel's thread reads the latency and events
            // Publish writes beside the claim's word.
            var end = (start + pack.Latency) % _phase;
            _claims.Publish(step, pack.Latency, pack.Events);
            chains.Timed(step, end);
            _scalars.SharedTicks += Stopwatch.GetTimestamp() - begin;
            _scalars.TimedSteps++;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Kernel's thread, at step <paramref name="t"/>'s tick: true if the producer timed the step and its result is taken
    /// over (the step ends its latency after the tick, with its events and counters); false if this thread times it.
    /// </summary>
    private bool TakeShared(int t, Scheduler scheduler)
    {
        var step = _sampleCaptured + t;
        // Tests (LockStep): every step the ring lets the producer capture is timed by it before this thread goes on.
        if (LockStep) AwaitProducerTimed(Math.Min(step + _work.Capacity - 1, _sampleCaptured + _sampleSteps - 1), above: step);
        if (_claims!.TryTake(step)) return false;
        // The producer claimed the step and times it from a start of a given residue modulo the clocks' common period: only
        // a start of that residue here gives the same timing. Otherwise this thread times the step itself at once, without
        // waiting for the producer's result:
        // it reads the step's records, which the producer only reads too, and completes the slot, which the producer
        // reuses only once it has returned from timing this step (one thread: it captures nothing while it times), and the
        // producer's pack, published later, is never added up (the step is not marked taken over).
        if (scheduler.Now % _phase != _claims.StartOf(step))
        {
            RejectedSteps++;
            return false;
        }
        // The patience reads two of the producer's counters (lines its core writes at every step it times): only when the
        // step is not published already.
        switch (_claims.IsReady(step) ? ClaimWait.Ready : _claims.AwaitReady(step, _work.Captured, Patience()))
        {
            case ClaimWait.Aborted:
                throw new OperationCanceledException($"the function pass stopped before step {t}");
            case ClaimWait.Late:
                // The producer has not finished the step in several times its usual time (descheduled, mostly: another
                // process took its core): this thread times it itself, as for a step turned down above, rather than spin
                // until the producer runs again.
                LateSteps++;
                RejectedSteps++;
                return false;
        }
        if (RejectEvery > 0 && ++_offered % RejectEvery == 0)
        {
            RejectedSteps++;
            return false;
        }
        // The step's result is read, and the step accepted, before Complete(): completing the step frees its slot, records
        // and claim alike, and the producer may at once capture the slot's next step (adding this step's pack to the
        // accepted totals as it opens it: the units' counters join this engine's at the sample's end, EndSharing).
        var (latency, events) = _claims.ResultOf(step);
        _claims.Accept(step);
        _engine.Skip(t);
        _work.Complete();
        // Tests (LockStep): the producer reuses the slot (and its claim's word, adding the step's pack up) before this thread goes on.
        if (LockStep) AwaitProducerTimed(step + _work.Capacity, above: step);
        _driver.ElapseStep(latency, events - 1);
        SharedSteps++;
        return true;
    }

    /// <summary>
    /// Kernel's thread: how long it waits for a claimed step the producer has not published before timing it itself, in
    /// stopwatch ticks: four times the producer's mean time per step timed so far (0.1 ms before it has timed one), at
    /// least 10 us. A running producer publishes within about one step's time; one that waits longer was descheduled.
    /// </summary>
    private long Patience()
    {
        var timed = _scalars.TimedSteps;
        var mean = timed == 0 ? Stopwatch.Frequency / 40_000 : _scalars.SharedTicks / timed;
        return Math.Max(Stopwatch.Frequency / 100_000, 4 * mean);
    }

    /// <summary>
    /// Tests: with <see cref="ShareEvery"/> 1 (the producer claims each step it captures that this thread has not reached),
    /// this thread waits before each step until the producer has timed every step the ring lets it capture, and, having
    /// taken a step over, until the producer has timed the step captured into the freed slot. Which thread times which
    /// step, and when a slot is reused, then no longer depend on the threads' timing (the producer, waiting for room,
    /// wakes at the first free slot: see <see cref="Produce"/>).
    /// </summary>
    internal bool LockStep { get; init; }

    /// <summary>LockStep: waits until the producer has published step <paramref name="step"/> (if in the sample and above <paramref name="above"/>).</summary>
    private void AwaitProducerTimed(long step, long above)
    {
        if (step <= above || step >= _sampleCaptured + _sampleSteps) return;
        if (!_claims!.AwaitReady(step, _work.Captured)) throw new OperationCanceledException($"the function pass stopped before step {step - _sampleCaptured}");
    }
}
