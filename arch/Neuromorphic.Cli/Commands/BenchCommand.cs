using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Traces;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic bench cuba</c>: the Vogels-Abbott CUBA benchmark as Brian2's examples/CUBA.py defines it.</summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(Terminal terminal)
    {
        var neurons = new Option<int>("--neurons") { Description = "Neurons (80 % excitatory); 80 synapses per neuron are kept for any N (p = 80/N).", DefaultValueFactory = _ => 4000 };
        var duration = new Option<double>("--duration") { Description = "Simulated time in seconds (dt = 0.1 ms).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the connectivity and the initial membranes.", DefaultValueFactory = _ => 1UL };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (neurons, synapses, spikes, rate_hz, sim_loop_s, real_time_factor, synaptic_events_per_s, bytes_per_synapse, seed, ...)." };
        var rates = new Option<string?>("--rates") { Description = "Write each neuron's firing rate (Hz), one per line, to this file." };
        var outDir = new Option<string?>("--out") { Description = "With --hardware: write summary.json, energy_breakdown.csv and cost_table.csv into this run directory." };
        var hardware = new Option<string?>("--hardware") { Description = "Map the synapses onto the RRAM macros of this architecture (preset name or YAML file) with full cycle and energy accounting." };
        var fixedPoint = new Option<bool>("--fixed-point")
        {
            Description = "With --hardware: run the neuron cores in the architecture's fixed-point format (neuron_core.membrane_bits, fraction_bits) "
                + "instead of an ideal core (IEEE single precision, the functional run's arithmetic).",
        };
        var wordLines = new Option<string?>("--word-lines")
        {
            Description = "With --hardware: lay the synapses on word lines `dense` or `compacted` (per column block only the sources with a synapse there; "
                + "a spike reaches only the macros holding its rows), overriding the architecture's mapping.word_lines.",
        };
        wordLines.AcceptOnlyFromAmong("dense", "compacted");
        var placement = new Option<string?>("--placement")
        {
            Description = "With --hardware: place the neurons on the neuron cores by this chip.neuron_placement policy, overriding the architecture's "
                + "(default near_synapses: each neuron on the tile nearest the macros feeding it, among those holding them, a core taking at most what "
                + "one macro feeds; packed reproduces the "
                + "figures before it). packed, spread, by_layer or near_synapses.",
        };
        placement.AcceptOnlyFromAmong([.. Neuromorphic.Arch.Architecture.ArchitectureChoices.NeuronPlacement.All]);
        var macroOrder = new Option<string?>("--macro-order")
        {
            Description = "With --hardware: lay each projection's blocks on consecutive macros `row_block_major` (a spike reaches few tiles) or "
                + "`column_block_major` (a column block's partial sums are made on few tiles), overriding the architecture's mapping.macro_order.",
        };
        macroOrder.AcceptOnlyFromAmong([.. Neuromorphic.Arch.Architecture.ArchitectureChoices.MacroOrder.All]);
        var oneSigned = new Option<string?>("--one-signed-layers")
        {
            Description = "With --hardware: store projections whose weights share one sign (CUBA's both) `single_cells` (magnitudes on one column per "
                + "weight, the sign applied digitally) or `signed_scheme` (the architecture's macro.signed_weights, e.g. differential pairs: the figures "
                + "before single cells), overriding the architecture's mapping.one_signed_layers.",
        };
        oneSigned.AcceptOnlyFromAmong([.. Neuromorphic.Arch.Architecture.ArchitectureChoices.OneSignedLayers.All]);
        var threads = ThreadsOption.Create();
        var sweep = new Option<string?>("--sweep-neurons")
        {
            Description = "Run these network sizes one after the other (comma-separated, e.g. 4000,40000,400000,4000000) and print a scaling table: "
                + "events/s, bytes per synapse, set-up time, threads. 4,000,000 neurons need about 1.3 GB; keep --duration short there.",
        };
        var cuba = new Command("cuba", "Vogels-Abbott CUBA network (Brette et al. 2007, benchmark 2): 4000 LIF neurons, exact integration, dt 0.1 ms.")
        {
            neurons, duration, seed, json, rates, hardware, outDir, threads, sweep, fixedPoint, wordLines, placement, macroOrder, oneSigned,
        };
        cuba.SetAction(parse =>
        {
            // Options of the other kind of run would be silently ignored: refuse them instead.
            var chipOnly = new (string Name, bool Given)[]
            {
                ("--out", parse.GetValue(outDir) is not null), ("--fixed-point", parse.GetValue(fixedPoint)), ("--word-lines", parse.GetValue(wordLines) is not null),
                ("--placement", parse.GetValue(placement) is not null), ("--macro-order", parse.GetValue(macroOrder) is not null),
                ("--one-signed-layers", parse.GetValue(oneSigned) is not null),
            };
            if (parse.GetValue(hardware) is null && chipOnly.FirstOrDefault(o => o.Given) is { Name: { } name })
                throw new UsageException($"{name} applies to chip runs: add --hardware ARCH");
            if (parse.GetValue(hardware) is not null && parse.GetValue(rates) is not null)
                throw new UsageException("--rates writes the functional run's per-neuron rates; it cannot be combined with --hardware");
            return parse.GetValue(sweep) is { } sizes
            ? RunSweep(terminal, parse.GetValue(hardware), parse.GetValue(rates), sizes, parse.GetValue(duration), parse.GetValue(seed), ThreadsOption.Check(parse.GetValue(threads)), parse.GetValue(json))
            : parse.GetValue(hardware) is { } arch
            ? CubaHardwareBench.Run(terminal, arch, parse.GetValue(neurons), parse.GetValue(duration), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(outDir),
                parse.GetValue(fixedPoint), parse.GetValue(wordLines), parse.GetValue(placement), parse.GetValue(macroOrder), ThreadsOption.Check(parse.GetValue(threads)),
                parse.GetValue(oneSigned))
            : RunCuba(terminal, parse.GetValue(neurons), parse.GetValue(duration), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(rates),
                ThreadsOption.Check(parse.GetValue(threads)));
        });
        return new Command("bench", "Speed benchmarks.") { cuba };
    }

    private static int RunSweep(Terminal terminal, string? hardware, string? rates, string sizes, double duration, ulong seed, int threads, bool json)
    {
        if (hardware is not null) throw new UsageException("--sweep-neurons runs the functional model; run --hardware one size at a time");
        if (rates is not null) throw new UsageException("--rates writes one network's rates; it cannot be combined with --sweep-neurons");
        return CubaSweep.Run(terminal, CubaSweep.ParseSizes(sizes), duration, seed, threads, json, JsonOptions);
    }

    /// <summary>Checks the common options of <c>bench cuba</c>.</summary>
    internal static void CheckOptions(int neurons, double duration)
    {
        if (neurons < 1) throw new UsageException($"--neurons must be >= 1, found {neurons}");
        if (!(duration > 0) || duration > 1e5) throw new UsageException($"--duration must lie in (0, 1e5] seconds, found {duration}");
        try
        {
            new CubaParameters { Neurons = neurons }.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--neurons: {ex.Message}");
        }
    }

    private static int RunCuba(Terminal terminal, int neurons, double duration, ulong seed, bool json, string? ratesPath, int threads)
    {
        CheckOptions(neurons, duration);
        OutputPaths.RequireFile(ratesPath, "--rates");
        var parameters = new CubaParameters { Neurons = neurons };
        var perNeuron = new double[neurons];
        var report = terminal.WithProgress("CUBA", progress => CubaBenchmark.Run(parameters, duration, seed, perNeuron, threads, progress));
        if (ratesPath is not null)
            AtomicFile.WriteText(ratesPath, w => { foreach (var r in perNeuron) w.WriteLine(r.ToString("R", CultureInfo.InvariantCulture)); });
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            return ExitCodes.Ok;
        }
        string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"CUBA, {neurons} neurons, {F(report.DurationSeconds, "G4")} s");
        table.AddRow("synapses", report.Synapses.ToString(CultureInfo.InvariantCulture));
        table.AddRow("spikes", report.Spikes.ToString(CultureInfo.InvariantCulture));
        table.AddRow("mean rate", F(report.RateHz, "F3") + " Hz");
        table.AddRow("per-neuron rate q10/q50/q90", string.Join(" / ", new[] { 0, 2, 4 }.Select(q => F(report.RateQuantilesHz[q], "F1"))) + " Hz");
        table.AddRow("simulation loop", F(report.SimLoopSeconds, "F3") + " s");
        table.AddRow("set-up", F(report.SetupSeconds, "F3") + " s");
        table.AddRow("real-time factor", F(report.RealTimeFactor, "G3"));
        table.AddRow("synaptic events / s", F(report.SynapticEventsPerSecond, "0.000E+00"));
        table.AddRow("bytes per synapse (measured)", F(report.BytesPerSynapse, "F2"));
        table.AddRow("threads (set-up / loop)", $"{report.Threads} / {report.LoopThreads}");
        terminal.Console.Write(table);
        return ExitCodes.Ok;
    }
}
