namespace Neuromorphic.Sim.Execution;

/// <summary>
/// The threads a piece of work may keep busy at once (a command's <c>--threads</c>), and the one rule that keeps
/// parallel loops inside it, however they nest:
/// <list type="bullet">
/// <item>a parallel loop with nothing parallel inside it runs on up to <see cref="Threads"/> workers (<see cref="Options"/>);</item>
/// <item>a parallel loop whose items run parallel work of their own (layers that each map their blocks in parallel,
/// sweep points that each run a chip) splits the budget (<see cref="Split"/>): at most <c>w</c> = min(workers asked,
/// <see cref="Threads"/>) workers, and each item's inner work gets <see cref="Threads"/> / <c>w</c> threads (at least 1),
/// so the workers of every depth together stay within <see cref="Threads"/>;</item>
/// <item>phases that run one after another each take the whole budget.</item>
/// </list>
/// The split is fixed when a loop starts (a layer left alone at the end keeps its share): simple, and the concurrency
/// cannot overshoot. Every parallel loop in the project draws each item from its own seeded stream and keeps results
/// in item order, so no result depends on the budget.
/// </summary>
public sealed class ThreadBudget
{
    /// <summary>A budget of <paramref name="threads"/> threads (at least 1).</summary>
    public ThreadBudget(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
    }

    /// <summary>One thread: everything runs on the caller's.</summary>
    public static ThreadBudget Serial { get; } = new(1);

    /// <summary>Threads the work may keep busy at once.</summary>
    public int Threads { get; }

    /// <summary>Options of a parallel loop whose items run nothing in parallel: up to <see cref="Threads"/> workers.</summary>
    public ParallelOptions Options => new() { MaxDegreeOfParallelism = Threads };

    /// <summary>
    /// Splits the budget over a parallel loop of up to <paramref name="workers"/> workers (the caller's own bound on them,
    /// such as the items or a sweep's <c>--jobs</c>) whose items run parallel work of their own: the loop's options
    /// (min(<paramref name="workers"/>, <see cref="Threads"/>) workers, <c>w</c>) and the budget of each item's work
    /// (<see cref="Threads"/> / <c>w</c>, at least 1), so that w x share &lt;= <see cref="Threads"/>.
    /// </summary>
    public (ParallelOptions Options, ThreadBudget Each) Split(int workers)
    {
        var w = Math.Clamp(workers, 1, Threads);
        return (new ParallelOptions { MaxDegreeOfParallelism = w }, new ThreadBudget(Threads / w) { Around = Around });
    }

    /// <summary>Runs one item of a parallel loop under this budget (through the tests' <see cref="Around"/>, if any).</summary>
    public void Run(Action work)
    {
        if (Around is { } around) around(work);
        else work();
    }

    /// <summary>
    /// Tests: runs around every item that <see cref="Run"/> runs, in this budget and the shares split from it (to count the
    /// threads at work at once); null: none.
    /// </summary>
    internal Action<Action>? Around { get; init; }
}
