using System.Runtime.ExceptionServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One background thread that runs a job per <see cref="Run"/> (a sample's function pass, <see cref="ChipExecutor"/> at
/// two threads) and parks between jobs, so a run of many short samples starts one thread instead of one per sample.
/// One caller: <see cref="Run"/>, then <see cref="Wait"/>, then the next <see cref="Run"/>.
/// </summary>
/// <remarks>
/// The thread is made at the first job, and ends when told to (<see cref="Stop"/>) or when no job has come for
/// the idle timeout (<see cref="DefaultIdleTimeout"/>); the next job then makes a new one. It is a background thread: it never keeps the process
/// alive. The timeout is what ends the thread of an executor that is dropped without being finished (a failed run, a
/// caller that stops early): a parked thread roots its job, and with it the executor and its ring of step records.
/// Restarting costs about a thread start (tens of microseconds), against a gap between jobs of at least the timeout.
/// <para>
/// The hand-over is a full fence both ways: <see cref="Run"/> publishes under the lock the thread takes the job under (what
/// the caller wrote before is visible to the job), and <see cref="Wait"/> returns after the job's last write, with a
/// fence (what the job wrote is visible to the caller, which reads the producer's state after a sample).
/// </para>
/// </remarks>
internal sealed class ParkedProducer(Action<int> job, string name, TimeSpan idleTimeout)
{
    /// <summary>How long the thread parks without a job before it ends, unless told otherwise (the next job starts a new one).</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    // Jobs finished (advanced by the thread after each, whether it failed or not); the caller waits on it.
    private readonly StepProgress _finished = new();
    // Under _gate: the thread (null: none runs or parks), jobs handed over and taken, the next job's argument, a stop asked.
    private Thread? _thread;
    private long _handed, _taken;
    private int _argument;
    private bool _stopping;
    // Caller only: a job was handed over and not yet waited for.
    private bool _unwaited;
    // Written by the thread before it advances _finished, read and cleared by the caller after.
    private ExceptionDispatchInfo? _failure;

    /// <summary>Threads started so far (a new one per idle timeout or stop, otherwise one for every job).</summary>
    public int ThreadsStarted { get; private set; }

    /// <summary>Hands the thread a job (starting one if none runs or parks). The previous job must have been waited for.</summary>
    public void Run(int argument)
    {
        lock (_gate)
        {
            if (_unwaited) throw new InvalidOperationException("the last job has not been waited for");
            if (_thread is null)
            {
                // Started from a local, and recorded and counted only once it runs: a Start that throws (out of memory or
                // threads) leaves no thread claimed and no job handed over. UnsafeStart: the thread outlives this call and
                // serves every later one, so it must not carry the first caller's ExecutionContext (its AsyncLocals).
                // The thread takes the job under _gate, which is held until the hand-over below is complete.
                var thread = new Thread(Loop) { IsBackground = true, Name = name };
                thread.UnsafeStart();
                _thread = thread;
                ThreadsStarted++;
            }
            else Monitor.Pulse(_gate);
            _argument = argument;
            _handed++;
            _stopping = false;
            _unwaited = true;
        }
    }

    /// <summary>
    /// Waits until the job handed over last has ended; returns its failure (null if none). Everything the job wrote is
    /// visible to the caller afterwards.
    /// </summary>
    public ExceptionDispatchInfo? Wait()
    {
        // _handed is written only by the caller (under the lock), so it reads it without. The job always advances
        // _finished (also when it fails), so this returns.
        _finished.WaitFor(_handed, _handed);
        Interlocked.MemoryBarrier();
        _unwaited = false;
        var failure = _failure;
        _failure = null;
        return failure;
    }

    /// <summary>The thread ends (now if it parks, else after its job); a later <see cref="Run"/> starts a new one.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            int argument;
            lock (_gate)
            {
                while (_handed == _taken)
                {
                    // Ending is decided under the lock: a Run that comes later sees no thread and starts one.
                    if (_stopping || !Monitor.Wait(_gate, idleTimeout) && _handed == _taken)
                    {
                        _thread = null;
                        return;
                    }
                }
                argument = _argument;
                _taken++;
            }
            try
            {
                job(argument);
            }
            catch (Exception e)
            {
                // Rethrown on the caller's thread (Wait): an exception that left this thread would end the process.
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            _finished.Advance(_taken);
        }
    }
}
