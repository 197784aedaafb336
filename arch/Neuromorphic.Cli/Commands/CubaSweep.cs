using System.Globalization;
using System.Text.Json;
using Neuromorphic.Sim.Benchmarks;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>bench cuba --sweep-neurons 4000,40000,...</c>: the CUBA benchmark at several network sizes in
/// one process, one after the other (each network is released before the next is built), ending in
/// a scaling table or, with <c>--json</c>, a JSON array of the per-size reports.
/// </summary>
internal static class CubaSweep
{
    /// <summary>Parses a comma-separated list of network sizes; exit 2 naming the bad entry.</summary>
    public static int[] ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new UsageException($"--sweep-neurons: '{part}' is not a positive whole number of neurons (expected e.g. 4000,40000,400000)");
            sizes.Add(n);
        }
        return [.. sizes];
    }

    public static int Run(Terminal terminal, int[] sizes, double duration, ulong seed, int threads, bool json, JsonSerializerOptions jsonOptions)
    {
        foreach (var n in sizes) BenchCommand.CheckOptions(n, duration);
        var reports = new List<CubaReport>();
        foreach (var n in sizes)
        {
            var parameters = new CubaParameters { Neurons = n };
            reports.Add(terminal.WithProgress($"CUBA {n:N0} neurons", progress => CubaBenchmark.Run(parameters, duration, seed, null, threads, progress)));
            // Let the next size start from an empty heap, so its memory figure is its own.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(reports, jsonOptions));
            return ExitCodes.Ok;
        }
        string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded);
        table.Title = new TableTitle($"CUBA scaling, {F(duration, "G4")} s simulated, seed {seed}");
        foreach (var column in new[] { "neurons", "synapses", "events / s", "bytes / synapse", "set-up (s)", "loop (s)", "threads (loop)", "rate (Hz)" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in reports)
            table.AddRow(r.Neurons.ToString("N0", CultureInfo.InvariantCulture), r.Synapses.ToString("N0", CultureInfo.InvariantCulture),
                F(r.SynapticEventsPerSecond, "0.00E+00"), F(r.BytesPerSynapse, "F2"), F(r.SetupSeconds, "F2"), F(r.SimLoopSeconds, "F2"),
                $"{r.Threads} ({r.LoopThreads})", F(r.RateHz, "F2"));
        terminal.Console.Write(table);
        return ExitCodes.Ok;
    }
}
