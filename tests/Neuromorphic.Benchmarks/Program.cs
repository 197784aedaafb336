using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Neuromorphic.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release -- --filter '*Queue*'</c> (or scripts/bench/run-microbenchmarks.sh).
/// Without a <c>--job</c> argument every benchmark runs as BenchmarkDotNet's ShortRun (1 launch,
/// 3 warm-up and 3 measured iterations), which keeps a full run to a few minutes; a job given on
/// the command line (<c>--job dry</c>, <c>--job medium</c>, <c>--job default</c>, ...) replaces it.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0].StartsWith("evt3-", StringComparison.Ordinal))
        {
            // Not a BenchmarkDotNet benchmark: a one-shot streaming measurement over a 1 GB file (issue 13).
            Evt3StreamingBenchmark.Run(args);
            return;
        }

        // The default job goes in as a command-line argument rather than into the config: a job in
        // the config would take precedence over the one the user names with --job.
        var namesJob = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        string[] effective = namesJob ? args : [.. args, "--job", "short"];

        // Op/s turns the per-dispatch time of the scheduler benchmark into dispatches per second.
        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.OperationsPerSecond);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(effective, config);
    }
}
