namespace Neuromorphic.Tests.Execution;

/// <summary>
/// A <see cref="Neuromorphic.Sim.Execution.ThreadBudget"/>'s test watch (its <c>Around</c>): counts the threads inside
/// watched work at once and the most at once. A thread inside nested watched work (a layer's worker programming one of
/// its blocks) counts once. A thread that starts watched work waits a moment (the first few only) for more company
/// than the bound, so that loops that may run more threads at once than the bound show it even on a small or busy
/// thread pool; within the bound no such company can come, and the count stays at most the bound whatever the load.
/// </summary>
internal sealed class BusyThreads(int bound)
{
    private const int Waiting = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(150);
    private readonly Dictionary<int, int> _depth = [];
    private int _running, _waited;

    /// <summary>The most threads inside watched work at once.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>Pieces of watched work run (at every depth).</summary>
    public int Entries { get; private set; }

    /// <summary>Runs <paramref name="work"/> as watched work on the current thread.</summary>
    public void Around(Action work)
    {
        var thread = Environment.CurrentManagedThreadId;
        bool wait;
        lock (_depth)
        {
            var depth = _depth[thread] = _depth.GetValueOrDefault(thread) + 1;
            Entries++;
            wait = false;
            if (depth == 1)
            {
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                wait = ++_waited <= Waiting;
            }
        }
        try
        {
            if (wait) SpinWait.SpinUntil(() => Volatile.Read(ref _running) > bound, Patience);
            work();
        }
        finally
        {
            lock (_depth)
            {
                if (--_depth[thread] == 0)
                {
                    _depth.Remove(thread);
                    _running--;
                }
            }
        }
    }
}
