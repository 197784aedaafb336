using System.CommandLine;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>--threads N</c>: the most threads a command keeps busy at once (<see cref="Neuromorphic.Sim.Execution.ThreadBudget"/>:
/// phases one after another each take N, parallel loops nested in each other split it); results never depend on it.
/// </summary>
internal static class ThreadsOption
{
    /// <summary>Most threads accepted (far beyond any machine this runs on; guards typos).</summary>
    public const int Max = 1024;

    public static Option<int> Create() => new("--threads")
    {
        Description = $"The most threads kept busy at once (default: all cores, {Environment.ProcessorCount} here; --threads 1: one busy core). "
            + "Results are bit-identical for every value. Mapping programs a layer's macro blocks on up to N at once; "
            // The threshold is the executor's own (it was quoted as 500 here after it had become 100).
            + $"chip runs use up to 2 (the function pass on a second thread ahead of the timing, for samples of {Neuromorphic.Arch.Execution.ChipExecutor.DefaultMinimumStepsOnTwoThreads} steps or more).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>
    /// Bounds the threads of the libraries whose parallel loops the project does not write: MathNet.Numerics' managed
    /// linear algebra (the LSM's ridge readout: its Gram products and eigendecomposition) runs its loops on every core
    /// unless told, and its setting is process-wide (<c>Control.MaxDegreeOfParallelism</c>), so a command sets it once,
    /// before its work, to what each of its concurrent tasks may use (a run: --threads; a sweep: a point's share), and
    /// <see cref="CliApp"/> puts it back after the command (<see cref="UnboundLibraries"/>: in-process callers such as the
    /// tests do not inherit it). Its loops give each output element to one thread in a fixed order: the results do not depend on it.
    /// </summary>
    public static void BoundLibraries(int threadsPerTask) => MathNet.Numerics.Control.MaxDegreeOfParallelism = Math.Max(1, threadsPerTask);

    /// <summary>MathNet's own setting before any command bounded it.</summary>
    internal static readonly int LibraryDefault;

    // An explicit static constructor (not a field initialiser, which may run late): LibraryDefault is read before this
    // class's first use, so before any BoundLibraries.
    static ThreadsOption() => LibraryDefault = MathNet.Numerics.Control.MaxDegreeOfParallelism;

    /// <summary>Puts back what <see cref="BoundLibraries"/> changed.</summary>
    public static void UnboundLibraries() => MathNet.Numerics.Control.MaxDegreeOfParallelism = LibraryDefault;

    /// <summary>Checks a <c>--threads</c> value; exit 2 with one line if it is out of range.</summary>
    public static int Check(int threads) =>
        threads is >= 1 and <= Max ? threads : throw new UsageException($"--threads must lie in [1, {Max}], found {threads}");
}
