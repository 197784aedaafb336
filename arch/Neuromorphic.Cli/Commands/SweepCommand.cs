using System.CommandLine;
using System.Globalization;
using Neuromorphic.Arch.Sweeps;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic sweep SWEEP.yaml [--out DIR] [--jobs J] [--threads T] [--shard I/N]</c> and
/// <c>neuromorphic sweep merge DIR... [--out DIR]</c>: design-space sweeps, resumable and shardable.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(Terminal terminal)
    {
        var file = new Argument<string>("sweep") { Description = "The sweep file (YAML): a base configuration, parameters as dotted paths, objectives." };
        var outDir = new Option<string?>("--out") { Description = "Sweep directory (default sweeps/NAME): points/HASH.json per point, then sweep.csv and pareto.csv." };
        // No DefaultValueFactory on either: each one's default follows the other (Concurrency), which a fixed [default: N]
        // in the help would misstate.
        var jobs = new Option<int?>("--jobs")
        {
            Description = $"Points run at once (default: --threads when given, else all cores, {Environment.ProcessorCount} here). "
                + "At most --threads: a point takes at least one thread. Results are identical for every value.",
        };
        var threads = new Option<int?>("--threads")
        {
            Description = $"The most threads the sweep keeps busy at once (default: --jobs when given, else all cores, {Environment.ProcessorCount} here; "
                + "--jobs 1 or --threads 1: one busy core). The points running at once share them: each runs on T / w threads (w: --jobs, or fewer "
                + "points if fewer are left to run), its workload loading, mapping and chip (2 threads: the function pass on a second), transformer "
                + "passes and ridge readout within that share. Results are identical for every value.",
        };
        var shard = new Option<string?>("--shard") { Description = "Run only the points whose index mod N is I (I/N). Default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set, else all." };
        var sweep = new Command("sweep", "Run a design-space sweep (rerunning skips points already done).") { file, outDir, jobs, threads, shard };
        sweep.SetAction(parse =>
        {
            var (j, t) = Concurrency(parse.GetValue(jobs), parse.GetValue(threads));
            return Run(terminal, parse.GetValue(file)!, parse.GetValue(outDir), j, t, parse.GetValue(shard));
        });

        var dirs = new Argument<string[]>("directories") { Description = "Sweep directories (shards or runs of the same sweep).", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<string?>("--out") { Description = "Where sweep.csv, pareto.csv and the Pareto plot go (default: the first directory)." };
        var merge = new Command("merge", "Merge sweep directories into sweep.csv, pareto.csv and a Pareto plot: neuromorphic sweep merge DIR... [--out DIR] (no sweep file; the usage line's <sweep> is the parent command's).") { dirs, mergeOut };
        merge.SetAction(parse => Merge(terminal, parse.GetValue(dirs)!, parse.GetValue(mergeOut)));
        sweep.Subcommands.Add(merge);
        return sweep;
    }

    /// <summary>
    /// The sweep's points at once and thread budget from <c>--jobs</c> and <c>--threads</c> (null: not given): each defaults
    /// to the other, both to all cores; more jobs than threads is refused (a point takes at least one thread).
    /// </summary>
    internal static (int Jobs, int Threads) Concurrency(int? jobs, int? threads)
    {
        if (jobs is < 1) throw new UsageException($"--jobs must be >= 1, found {jobs}");
        // Without --threads, the budget is --jobs: its range is refused by the option the user gave.
        if (threads is null && jobs > ThreadsOption.Max) throw new UsageException($"--jobs must lie in [1, {ThreadsOption.Max}], found {jobs}");
        var t = ThreadsOption.Check(threads ?? jobs ?? Environment.ProcessorCount);
        var j = jobs ?? t;
        if (j > t) throw new UsageException($"--jobs {j} runs more points at once than --threads {t} allows (a point takes at least one thread): lower --jobs or raise --threads");
        return (j, t);
    }

    private static int Run(Terminal terminal, string path, string? outDir, int jobs, int threads, string? shardText)
    {
        var (shard, shards) = Shard(shardText, Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_COUNT"));
        var spec = SweepLoader.Load(path, terminal.Limits.MaxPoints);
        outDir ??= Path.Combine("sweeps", spec.Name);
        OutputPaths.RequireDirectory(outDir, "--out");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = terminal.WithProgress($"sweep {spec.Name}", progress => SweepRunner.Run(spec, outDir, jobs, shard, shards, progress, terminal.Limits.Memory,
            new Neuromorphic.Sim.Execution.ThreadBudget(threads), each => ThreadsOption.BoundLibraries(each.Threads)));
        terminal.Console.MarkupLine(Markup.Escape(
            $"{spec.Name}: {Counted(outcome.Points, "point")}; shard {shard}/{shards}: {Counted(outcome.InShard, "point")}, {outcome.Done} run now, {outcome.Skipped} already done "
            + $"({watch.Elapsed.TotalSeconds:F1} s, {Counted(jobs, "job")}, {Counted(threads, "thread")})"));
        if (shards == 1) return Report(terminal, [outDir], outDir);
        terminal.Console.MarkupLine(Markup.Escape($"merge the shards with: neuromorphic sweep merge {outDir} ..."));
        return ExitCodes.Ok;
    }

    private static int Merge(Terminal terminal, string[] directories, string? output)
    {
        OutputPaths.RequireDirectory(output, "--out");
        return Report(terminal, directories, output ?? directories[0]);
    }

    private static int Report(Terminal terminal, IReadOnlyList<string> directories, string output)
    {
        var merged = SweepMerge.Merge(directories, output);
        ParetoPlot.Write(merged, output);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("index");
        // Full dotted paths do not fit a terminal (the columns came out as "architecture.mac…", indistinguishable):
        // each parameter is headed by the shortest end of its path that no other parameter shares (sweep.csv has the full paths).
        foreach (var p in ShortLabels(merged.Parameters)) table.AddColumn(new TableColumn(new Text(p) { Overflow = Overflow.Fold }));
        foreach (var o in merged.Objectives) table.AddColumn(new TableColumn(new Text(o.Metric) { Overflow = Overflow.Fold }).RightAligned());
        table.Title = new TableTitle($"Pareto front: {merged.Pareto.Count} of {Counted(merged.Rows.Count, "point")} ({merged.Expected} in the sweep)");
        var metricIndex = merged.Objectives.Select(o => merged.Metrics.ToList().IndexOf(o.Metric)).ToList();
        foreach (var row in merged.Rows.Where(r => merged.Pareto.Contains(r.Index)))
            table.AddRow(new[] { row.Index.ToString(CultureInfo.InvariantCulture) }.Concat(row.Values.Select(Markup.Escape))
                .Concat(metricIndex.Select(i => row.Metrics[i].ToString("G4", CultureInfo.InvariantCulture))).ToArray());
        if (merged.Objectives.Count > 0) terminal.Console.Write(table);
        if (merged.Rows.Count < merged.Expected)
        {
            var missing = merged.Expected - merged.Rows.Count;
            terminal.Console.MarkupLine(Markup.Escape($"note: {Counted(missing, "point")} {(missing == 1 ? "is" : "are")} not done yet (run the missing shards, or rerun the sweep)"));
        }
        if (merged.SharedConfigurations.Count > 0)
        {
            // Their rows carry different labels but one run's metrics: say so, or a user reads a knob's effect into them.
            var first = merged.SharedConfigurations[0];
            var more = merged.SharedConfigurations.Count - 1;
            terminal.Console.MarkupLine(Markup.Escape(
                $"note: points {string.Join(", ", first)} have the same configuration (a swept value was overwritten by a later write, " +
                $"so they ran once and share their metrics){(more > 0 ? $"; {Counted(more, "more group")} like them" : "")}"));
        }
        terminal.Console.MarkupLine(Markup.Escape(
            $"wrote {Path.Combine(output, "sweep.csv")}, {Path.Combine(output, "pareto.csv")} and the Pareto plot {Path.Combine(output, "pareto.png")} (and .svg)"));
        return ExitCodes.Ok;
    }

    /// <summary><paramref name="count"/> and the noun, plural unless the count is one ("1 point", "8 points", "1 job, 2 threads").</summary>
    internal static string Counted(long count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>
    /// For each dotted path, its shortest ending (whole segments) that is not also the ending of another
    /// path: <c>architecture.macro.adc.bits</c> and <c>architecture.macro.device.read_noise_sigma</c> give
    /// <c>bits</c> and <c>read_noise_sigma</c>; <c>a.x.bits</c> and <c>b.y.bits</c> give <c>x.bits</c> and <c>y.bits</c>.
    /// </summary>
    internal static IReadOnlyList<string> ShortLabels(IReadOnlyList<string> paths)
    {
        var segments = paths.Select(p => p.Split('.')).ToArray();
        static string Ending(string[] parts, int count) => string.Join('.', parts[^Math.Min(count, parts.Length)..]);
        return segments.Select((parts, i) =>
        {
            for (var count = 1; count < parts.Length; count++)
            {
                var label = Ending(parts, count);
                if (!segments.Where((_, j) => j != i).Any(other => Ending(other, count) == label)) return label;
            }
            return paths[i];
        }).ToArray();
    }

    /// <summary>
    /// The shard I/N to run: <c>--shard</c>, else Slurm's array task id and count (<paramref name="slurmId"/>,
    /// <paramref name="slurmCount"/>: the environment's <c>SLURM_ARRAY_TASK_ID</c>, <c>SLURM_ARRAY_TASK_COUNT</c>), else all points.
    /// </summary>
    internal static (int Shard, int Shards) Shard(string? text, string? slurmId, string? slurmCount)
    {
        var fromSlurm = false;
        if (text is null)
        {
            var (id, count) = (slurmId, slurmCount);
            if (id is null || count is null) return (0, 1);
            (text, fromSlurm) = ($"{id}/{count}", true);
        }
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var i) || !int.TryParse(parts[1], out var n) || n < 1 || i < 0 || i >= n)
            // Without --shard the user never typed the value: say where it came from (an array numbered from 1, --array=1-4, gives 4/4).
            throw new UsageException(fromSlurm
                ? $"SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT give the shard '{text}', but it must be I/N with 0 <= I < N (number the array from 0: --array=0-3 for 4 shards; or pass --shard)"
                : $"--shard must be I/N with 0 <= I < N, found '{text}'");
        return (i, n);
    }
}
