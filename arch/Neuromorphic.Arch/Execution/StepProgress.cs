namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A count one thread advances and another waits on: the steps the function pass has captured (the
/// kernel thread waits for its step's record), or the steps the timing has completed (the producer
/// waits for a free record). One writer, one waiter.
/// </summary>
/// <remarks>
/// The waiter spins briefly (the other thread is usually a few microseconds from the value), then
/// yields, then sleeps on an event until the count reaches a later target (hysteresis: a full ring
/// wakes its producer when half of it is free, not at every step, so a waiting thread costs one
/// wake-up per many steps and never burns the core the other thread needs; this machine has two).
/// The writer pays a full fence per advance and a wake-up only when the waiter sleeps. Either thread
/// can <see cref="Abort"/> (it failed): the waiter then returns false instead of hanging.
/// The count sits on a cache line of its own (<see cref="PaddedLong"/>): the two counts of a ring
/// are written by different threads every step, and must not share a line.
/// </remarks>
internal sealed class StepProgress
{
    // Measured on 2 cores (docs/performance.md): a few microseconds of spinning covers the common handoff.
    private const int SpinRounds = 64, YieldRounds = 16;

    private readonly ManualResetEventSlim _wake = new(false, 0);
    private long _sleepingUntil = long.MaxValue;   // the sleeping waiter's target; MaxValue: nobody sleeps
    private volatile bool _aborted;
    private PaddedLong _value;                     // 64 bytes from every other field, and from the next object

    /// <summary>The count (acquire: what the writer wrote before advancing it is visible).</summary>
    public long Value => Volatile.Read(ref _value.Value);

    /// <summary>True once either thread has given up (<see cref="Abort"/>).</summary>
    public bool Aborted => _aborted;

    /// <summary>Writer: the count is now <paramref name="value"/> (release); wakes a waiter whose target it reaches.</summary>
    public void Advance(long value)
    {
        Volatile.Write(ref _value.Value, value);
        // A full fence: the waiter publishes its target, then reads the count; the writer publishes the count, then
        // reads the target. With a fence on both sides at least one sees the other's write: no lost wake-up.
        Interlocked.MemoryBarrier();
        var target = Volatile.Read(ref _sleepingUntil);
        if (value >= target && Interlocked.CompareExchange(ref _sleepingUntil, long.MaxValue, target) == target) _wake.Set();
    }

    /// <summary>Either thread failed: the waiter stops waiting (now or when it next would).</summary>
    public void Abort()
    {
        _aborted = true;
        _wake.Set();
    }

    /// <summary>Clears an abort before a new run (no thread waits).</summary>
    public void Rearm()
    {
        _aborted = false;
        _wake.Reset();
        Volatile.Write(ref _sleepingUntil, long.MaxValue);
    }

    /// <summary>
    /// Waiter: returns true once the count is at least <paramref name="wanted"/>, false if the run was aborted.
    /// If it has to sleep, it sleeps until the count reaches <paramref name="sleepUntil"/> (at least
    /// <paramref name="wanted"/>, and a value the writer will reach).
    /// </summary>
    public bool WaitFor(long wanted, long sleepUntil)
    {
        if (Value >= wanted) return true;
        for (var k = 0; k < SpinRounds; k++)
        {
            Thread.SpinWait(16);
            if (Value >= wanted) return true;
            if (_aborted) return false;
        }
        for (var k = 0; k < YieldRounds; k++)
        {
            Thread.Yield();
            if (Value >= wanted) return true;
            if (_aborted) return false;
        }
        sleepUntil = Math.Max(sleepUntil, wanted);
        while (true)
        {
            if (_aborted) return false;
            _wake.Reset();
            Volatile.Write(ref _sleepingUntil, sleepUntil);
            Interlocked.MemoryBarrier();
            if (Value >= sleepUntil || _aborted)
            {
                Volatile.Write(ref _sleepingUntil, long.MaxValue);
                return !_aborted;
            }
            _wake.Wait();
            if (Value >= sleepUntil) return true;
        }
    }
}
