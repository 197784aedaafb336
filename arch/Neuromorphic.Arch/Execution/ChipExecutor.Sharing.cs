using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

// Both threads time steps (barrier execution on two threads). Every barrier step starts on an idle chip (no packet in
// flight, no read queued, no batch on a core, every link, macro and core free), so its timing (latency, events, every
// unit's counters) depends only on its records and on its start's phase against the units' clocks. So when the
// producer would wait for room in the ring, it takes (StepClaims) the newest captured step the kernel's thread has not
// reached and times it in a second engine of its own (_shared), from a start on a multiple of every clock ratio
// (_phase); the kernel's thread, reaching that step, takes its result over if the step starts on such a cycle there too
// (its start is the previous step's end: merged statistics, latency and events as if it had timed the step itself),
// and otherwise times the step itself and drops the producer's result (whose counters were the step's alone). What each
// thread owns: the producer, the second engine and its packs until published; the kernel's thread, the main engine.
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

    /// <summary>Tests: the producer also times the newest captured step after every k-th step it computes (0: only when it would wait).</summary>
    internal int ShareEvery { get; init; }

    /// <summary>Tests: the kernel's thread turns down every r-th step the producer timed (0: none), and times it itself.</summary>
    internal int RejectEvery { get; init; }

    /// <summary>Steps the producer timed that the kernel's thread took over, all samples.</summary>
    internal long SharedSteps { get; private set; }

    /// <summary>Steps the producer timed that the kernel's thread turned down (another start phase, or <see cref="RejectEvery"/>), all samples.</summary>
    internal long RejectedSteps { get; private set; }

    /// <summary>Steps of the run whose timing the producer's thread did (taken over by the kernel's): 0 on one thread.</summary>
    public long StepsTimedByProducer => SharedSteps;

    /// <summary>Steps of the run the producer timed that the kernel's thread turned down and timed itself (another clock phase; wasted work): 0 on one thread.</summary>
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
        (_scalars.ClaimTop, _scalars.ClaimBottom) = (long.MinValue, long.MinValue);
    }

    /// <summary>After a sample both threads timed: refuses a count the second engine made (see <see cref="_sharedLedger"/>).</summary>
    private void CheckSharedLedger()
    {
        if (_shared is null || _sharedLedger.Entries().All(e => e.Count == 0)) return;
        _faulted = true;
        throw new InvalidOperationException("the producer's timing engine counted actions in its ledger: they cannot be merged exactly");
    }

    /// <summary>
    /// Producer: claims the newest captured step the kernel's thread has not reached (or, that one claimed already, the
    /// one below the last it claimed) and times it in the second engine. False when there is none to claim.
    /// </summary>
    private bool TimeNewest()
    {
        var newest = _work.Captured.Value - 1;
        var fresh = newest > _scalars.ClaimTop;
        var step = fresh ? newest : _scalars.ClaimBottom - 1;
        // Not the step the kernel's thread is on (nor one before it): it would wait for it.
        if (step <= _work.Completed.Value || !_claims!.TryClaim(step)) return false;
        if (fresh) _scalars.ClaimTop = step;
        _scalars.ClaimBottom = step;
        var begin = Stopwatch.GetTimestamp();
        _shared!.TimeShared(step, (int)(step - _sampleCaptured), _claims.PackOf(step), _phase);
        _claims.Publish(step);
        _scalars.SharedTicks += Stopwatch.GetTimestamp() - begin;
        return true;
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
        // The producer claimed the step and starts it on a multiple of the phase: only a start on one here gives the same
        // timing. Off the phase this thread times the step itself at once, without waiting for the producer's result:
        // it reads the step's records, which the producer only reads too, and completes the slot, which the producer
        // reuses only once it has returned from timing this step (one thread: it captures nothing while it times), and the
        // producer's pack, published later, is read by no one (the slot's next step reopens its word first).
        if (scheduler.Now % _phase != 0)
        {
            RejectedSteps++;
            return false;
        }
        if (!_claims.AwaitReady(step, _work.Captured)) throw new OperationCanceledException($"the function pass stopped before step {t}");
        if (RejectEvery > 0 && ++_offered % RejectEvery == 0)
        {
            RejectedSteps++;
            return false;
        }
        // Everything of the pack is read before Complete(): completing the step frees its slot, records and pack alike,
        // and the producer may at once capture the slot's next step, claim it, and clear and refill this pack.
        var pack = _claims.PackOf(step);
        var (latency, events) = (pack.Latency, pack.Events);
        _engine.Merge(pack);
        _engine.Skip(t);
        _work.Complete();
        // Tests (LockStep): the producer reuses the slot (and its pack) before this thread goes on.
        if (LockStep) AwaitProducerTimed(step + _work.Capacity, above: step);
        _driver.ElapseStep(latency, events - 1);
        SharedSteps++;
        return true;
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
