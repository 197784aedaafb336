using System.Collections.Frozen;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Neuromorphic.Arch.Architecture;

namespace Neuromorphic.Arch.Execution;

// The two passes on two threads. The timing reads each node's work of a step from the StepWorkQueue,
// never the function's live state, and the function's results never depend on the timing; so the
// function pass of steps t+1, t+2, ... can run on a producer thread while the kernel (the caller's
// thread) times step t. What each thread owns during a sample (checked field by field):
// - producer: the function's live state (_outputs, _inputs, activity lists, crossbar, population and
//   digital runtimes, _recorded rows, _scalars.Step), the read noise (_noise: drawn in step order, as on one
//   thread), the golden model and the comparison counts (_spikeComparison,
//   _maxDiff), the function's statistics (_chipSpikes, _updates, _active,
//   _outputElements, _activityByStep, _digitalWork), the sample's output rasters (row t written at
//   step t), the SpikesOf callback (called on the producer, in step order), and _ledger;
// - kernel: the main timing engine (_engine: the units, the NoC, the step scheduler, the timing's statistics), the
//   driver, the probe, and _timingLedger;
// - shared: the StepWorkQueue's records, handed over by its Captured / Completed counts; and, when both threads time
//   steps (barrier execution), the claims' words (StepClaims; the packs stay the producer's: ChipExecutor.Sharing.cs).
// The caller reads the rest when RunSample returns, after the producer has ended the sample (ParkedProducer.Wait:
// a full fence). The producer is one thread per executor, parked between samples.
// A probe reads the function's outputs at kernel times (the LSM's waveform: OutputOf at each step's
// end), so a run with a probe keeps both passes on one thread.
public sealed partial class ChipExecutor
{
    /// <summary>Steps the function pass may run ahead of the timing with two threads, unless told otherwise (measured: docs/performance.md).</summary>
    public const int DefaultLookahead = 256;

    /// <summary>Memory the ring of step records may take with two threads (it bounds the lookahead of big chips).</summary>
    private const long RingBudgetBytes = 32L << 20;

    // The producer thread, made at the first sample on two threads and parked between samples (ParkedProducer).
    private ParkedProducer? _producer;
    // The sample at hand runs its function pass on the producer (the kernel waits for each step's record).
    private bool _onProducer;
    private long _sampleCaptured;   // Captured's value when the sample began: step t of the sample is record _sampleCaptured + t
    private int _sampleSteps;

    /// <summary>
    /// A sample failed part-way (on either thread): steps of it are left in the ring and on the kernel's agenda, so the
    /// executor cannot run or price anything more.
    /// </summary>
    private bool _faulted;

    /// <summary>Refuses to go on after a failed sample (<see cref="_faulted"/>).</summary>
    private void ThrowIfFaulted()
    {
        if (_faulted) throw new InvalidOperationException("a sample failed part-way on this chip executor: create a new one to run or price more");
    }

    /// <summary>Threads the executor runs on: 1, or 2 (the function pass on a producer thread).</summary>
    public int Threads { get; }

    /// <summary>
    /// With two threads, a sample of fewer steps runs on one thread: handing a few steps over costs more than the overlap
    /// saves. Measured (docs/performance.md, load 6-10, alternated runs, per sample): the hand-over costs 65-90 us with the
    /// parked producer (1-step samples: 98-178 us against 32-47 us on one thread; 0.9-1.4 ms when a thread was started
    /// per sample); at 100 steps two threads gained or tied on every workload tried (medians: Sinabs CNN 45 against
    /// 72 ms, Braille SRNN 4.7 against 5.0 ms with read noise and 4.5 against 5.0 ms ideal, the LSM reservoir 79 against
    /// 86 ms), while at 50 steps the default LSM, whose function pass is 98 % of its loop, still ran a few percent slower
    /// (wall_s 11.5 against 11.2 s at best).
    /// Outputs are the same either way.
    /// </summary>
    public int MinimumStepsOnTwoThreads { get; set; } = DefaultMinimumStepsOnTwoThreads;

    /// <summary>How long the producer thread parks between samples before it ends (tests: longer, to see one thread serve every sample).</summary>
    internal TimeSpan ProducerIdleTimeout { get; init; } = ParkedProducer.DefaultIdleTimeout;

    /// <summary>Producer threads started so far (one per executor while samples follow each other within the idle timeout).</summary>
    internal int ProducerThreadsStarted => _producer?.ThreadsStarted ?? 0;

    /// <summary>The default of <see cref="MinimumStepsOnTwoThreads"/>.</summary>
    public const int DefaultMinimumStepsOnTwoThreads = 100;

    /// <summary>
    /// Seconds the function pass has been busy so far (the producer's busy time with two threads; with one,
    /// the function's share of the loop), all samples.
    /// </summary>
    public double FunctionPassSeconds => (double)_scalars.FunctionTicks / Stopwatch.Frequency;

    /// <summary>Seconds the kernel's thread has waited for the function pass so far (0 with one thread): the producer bounds the run when large.</summary>
    public double TimingWaitSeconds => (double)_scalars.WaitTicks / Stopwatch.Frequency;

    /// <summary>Runs the sample's steps: the kernel here; with two threads (and no probe) the function pass on a producer.</summary>
    private void RunSteps(int steps)
    {
        _sampleSteps = steps;
        if (Threads == 1 || _probe is not null || steps == 0 || steps < MinimumStepsOnTwoThreads)
        {
            try
            {
                RunKernel(steps);
            }
            catch
            {
                _faulted = true;
                throw;
            }
            MergeTimingLedger();
            return;
        }
        _work.Captured.Rearm();
        _work.Completed.Rearm();
        BeginSharing(steps);
        try
        {
            (_producer ??= new ParkedProducer(Produce, "chip function pass", ProducerIdleTimeout)).Run(steps);
        }
        catch
        {
            // No thread could be started (out of memory or threads): the sample is begun but nothing ran.
            _faulted = true;
            throw;
        }
        _onProducer = true;
        Exception? kernelFailure = null;
        try
        {
            // The first sample on two threads: while the producer computes (and compiles) the first step, this thread
            // compiles the timing's code, until that step is ready (or the producer has failed). Optional: a method the runtime
            // cannot compile ahead is skipped inside, never failing the sample.
            if (!_timingCompiled)
            {
                _timingCompiled = true;
                TimingCode.Prepare(TimingMethods, () => _work.IsCaptured(_sampleCaptured) || _work.Captured.Aborted);
            }
            RunKernel(steps);
        }
        catch (Exception e)
        {
            // The timing failed (or stopped waiting for a producer that failed): the producer must not wait for room forever.
            kernelFailure = e;
            _work.Completed.Abort();
        }
        // A full fence: the caller reads the producer's state (outputs, statistics, the golden model) after the sample.
        var failure = _producer.Wait();
        _onProducer = false;
        _faulted = failure is not null || kernelFailure is not null;
        if (!_faulted) EndSharing();
        _sharing = false;
        // A failed executor runs nothing more: its producer need not park.
        if (_faulted) _producer.Stop();
        // The producer's failure is the cause when both failed: the kernel only stopped waiting for it.
        failure?.Throw();
        if (kernelFailure is not null) ExceptionDispatchInfo.Capture(kernelFailure).Throw();
        CheckSharedLedger();
        MergeTimingLedger();
    }

    // Whether this thread has compiled the timing's code (TimingCode), and the executor's own methods it compiles.
    private bool _timingCompiled;
    private static readonly FrozenSet<string> TimingMethods = new[]
    {
        nameof(OnTimestep), nameof(AwaitStep), nameof(RunKernel), nameof(TakeShared),
        $"{typeof(ITimingHost).FullName}.{nameof(ITimingHost.AdmitNext)}", $"{typeof(ITimingHost).FullName}.{nameof(ITimingHost.StepCompleted)}",
    }.ToFrozenSet();

    private void RunKernel(int steps)
    {
        if (_engine.Steps.Mode == ExecutionMode.Pipelined) _driver.RunOverlapped(steps);
        else
        {
            _driver.Run(steps);
            if (steps > 0) _probe?.StepEnded(steps - 1, _engine.Scheduler.Now);
        }
    }

    /// <summary>The timing's counts of the sample join the function's (two threads); the producer has ended.</summary>
    private void MergeTimingLedger()
    {
        if (ReferenceEquals(_timingLedger, _ledger)) return;
        _ledger.AddFrom(_timingLedger);
        _timingLedger.Reset();
    }

    /// <summary>
    /// The producer: the function pass of every step of the sample, in order, as far ahead as the ring allows. A failure
    /// stops the kernel's wait for the next step, and reaches the caller through <see cref="ParkedProducer.Wait"/>.
    /// </summary>
    private void Produce(int steps)
    {
        try
        {
            var capacity = _work.Capacity;
            for (var t = 0; t < steps; t++)
            {
                // The timing failed: nothing more to compute.
                if (_work.Completed.Aborted) return;
                while (!_work.HasRoom)
                {
                    // Both threads time steps: rather than wait, time a step the kernel's thread has not reached.
                    if (_sharing && TimeAhead()) continue;
                    // Record t's slot is free once step t - capacity has completed; sleeping, wait until half the ring is free
                    // (LockStep: the first free slot, which the kernel's thread waits for the producer to fill).
                    var wanted = _sampleCaptured + t - capacity + 1;
                    if (!_work.Completed.WaitFor(wanted, LockStep ? wanted : wanted + capacity / 2)) return;
                }
                var begin = Stopwatch.GetTimestamp();
                Record(FunctionOf(t), t);
                _scalars.FunctionTicks += Stopwatch.GetTimestamp() - begin;
                if (_sharing && ShareEvery > 0 && (t + 1) % ShareEvery == 0) TimeAhead();
            }
            // The function pass is done: time steps the kernel's thread has not reached (StepChains) until they meet.
            while (_sharing && !_work.Completed.Aborted && TimeAhead())
            {
            }
        }
        catch
        {
            _work.Captured.Abort();
            throw;
        }
    }

    /// <summary>Kernel thread: waits until the producer has captured step <paramref name="t"/> of the sample.</summary>
    private void AwaitStep(int t)
    {
        var wanted = _sampleCaptured + t + 1;
        if (_work.IsCaptured(wanted - 1)) return;
        var begin = Stopwatch.GetTimestamp();
        // The producer can capture this step only once step t - capacity has completed, which needs nothing of this step;
        // the ring is sized so that it always has (a pipelined run's lag is bounded), and this says so if it ever did not.
        if (wanted - 1 - _work.Completed.Value >= _work.Capacity)
            throw new InvalidOperationException($"step {t} waits for its work, but {_work.Capacity} steps are still in flight: the ring is too small");
        // Sleeping, wait until the producer is a quarter of the ring ahead, or half way to the sample's end if that is
        // nearer (or as far as it can go while this thread completes nothing: the kernel owns the completed count, so that
        // bound is exact). Half way, not to the end: the steps timed after the producer has ended the sample are not
        // overlapped, and a sample shorter than the quarter ring would otherwise be timed entirely after its function pass
        // (a producer slower than the timing: waits at about log2 of the steps left, the last of them one step).
        var end = _sampleCaptured + _sampleSteps;
        var sleepUntil = Math.Min(Math.Min(wanted + _work.Capacity / 4, wanted + (end - wanted) / 2), _work.Completed.Value + _work.Capacity);
        if (!_work.Captured.WaitFor(wanted, sleepUntil))
            throw new OperationCanceledException($"the function pass stopped before step {t}");
        _scalars.WaitTicks += Stopwatch.GetTimestamp() - begin;
    }

    /// <summary>The function pass of step <paramref name="t"/> of the sample; returns the step's input row.</summary>
    private ReadOnlySpan<float> FunctionOf(int t)
    {
        _scalars.Step = t;
        var row = _stimulus!.Row(t);
        Function(row);
        return row;
    }

    /// <summary>What the function pass leaves of step <paramref name="t"/>: the golden comparison, the output rows, the timing's work.</summary>
    private void Record(ReadOnlySpan<float> row, int t)
    {
        if (_golden is not null) Compare(row, t);
        foreach (var (name, raster) in _current.Chip)
        {
            var target = raster.MutableRow(t);
            var output = _outputs[_network.IndexOf(name)];
            for (var k = 0; k < output.Length; k++) target[k] = (float)output[k];
        }
        // Timing: the step's work is left for the nodes, which start it when the step scheduler says (either thread may
        // take it when both time steps: its claim is open before the capture is published).
        if (_sharing) _claims!.Open(_work.Captured.Value);
        _work.Capture();
    }
}
