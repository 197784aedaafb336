using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Sim.Builders;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic run [NETWORK.nir] --input RASTER --dt SECONDS [--record-output FILE]</c>:
/// runs a network on an input raster; with no network, runs the built-in example end to end.
/// </summary>
internal static class RunCommand
{
    public static Command Create(Terminal terminal)
    {
        var network = new Argument<string?>("config")
        {
            Description = "A run configuration (.yaml) or run preset (default: rram-lsm-40nm, the RRAM LSM on the built-in event workload), or a NIR graph (.nir) to run on --input.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var example = new Option<bool>("--example") { Description = "Run the small built-in example network (Poisson input, recurrent LIF, leaky readout) instead of a configuration." };
        var workloadPath = new Option<string?>("--workload-path") { Description = "Run configurations: the data folder (e.g. N-MNIST's, holding Train/ and Test/), overriding workload.path." };
        var trace = new Option<string?>("--trace") { Description = "LSM runs: record every population's spikes, the input and the metadata to this trace file (.nmtrace, for neuromorphic replay), or to NIR activity data (.h5: NIRGraphData)." };
        var earlyExit = new Option<double?>("--early-exit") { Description = "Transformer runs: Dynamic Confidence early exit threshold THETA (stop at the first timestep with max softmax(accumulated output / 30) > THETA)." };
        var json = new Option<bool>("--json") { Description = "Print the run's summary (summary.json's content; docs/metrics.md) as one JSON object instead of the table." };
        var input = new Option<string?>("--input") { Description = "Input spike raster: CSV (one row per timestep, one column per input channel, no header) or .npy [T, channels]." };
        var dt = new Option<double?>("--dt") { Description = "Timestep in seconds (required with a NIR graph; NIR stores continuous-time parameters). The built-in example uses 0.001." };
        var recordOutput = new Option<string?>("--record-output") { Description = "Write the output node's activity per timestep to this file (.csv: no header, one row per timestep; or .npy)." };
        var timesteps = new Option<int?>("--timesteps") { Description = "Number of timesteps (default: all rows of the input; 500 for the built-in example)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of every random draw (overrides the configuration's)." };
        var precision = new Option<string>("--precision") { Description = "Arithmetic of the functional model: float32 or float64.", DefaultValueFactory = _ => "float32" };
        precision.AcceptOnlyFromAmong("float32", "float64");
        var integrator = new Option<string>("--integrator-timebase")
        {
            Description = "How NIR I/IF nodes integrate dv/dt = r I: per-step (v += r I, as Sinabs/SpikingJelly/snnTorch export them) or euler (v += dt r I).",
            DefaultValueFactory = _ => "per-step",
        };
        integrator.AcceptOnlyFromAmong("per-step", "euler");
        var semantics = new Option<string?>("--semantics")
        {
            Description = "Whose discretisation the NIR neurons and recurrent edges follow: nir (forward Euler of NIR's equations), snntorch or norse (as each framework's importer runs the graph). Default: what the file's metadata names, else nir.",
        };
        semantics.AcceptOnlyFromAmong("nir", "snntorch", "norse");
        var reset = new Option<string?>("--reset")
        {
            Description = "What a spike does to the membrane: value (set to v_reset; snnTorch's zero) or subtract (lose the threshold; snnTorch's subtract). NIR files cannot store it. Default: the metadata's reset_mechanism, else value.",
        };
        reset.AcceptOnlyFromAmong("value", "zero", "subtract");
        var record = new Option<string?>("--record")
        {
            Description = "Record these nodes' activity (comma-separated node names, e.g. lif1.lif,fc2), written to the --out directory as activity/NODE.csv (or .npy, see --record-format).",
        };
        var recordFormat = new Option<string>("--record-format") { Description = "File format of --record: csv (no header, one row per timestep) or npy.", DefaultValueFactory = _ => "csv" };
        recordFormat.AcceptOnlyFromAmong("csv", "npy");
        var outDir = new Option<string?>("--out") { Description = "The run directory (default for configurations: runs/NAME; the example and NIR runs write one only when given)." };
        var (vcd, vcdNeurons, vcdSamples, vcdWindow) = WaveformRequest.Options();
        var arch = new Option<string?>("--arch") { Description = "NIR runs: run the network on this chip (an architecture preset such as rram-40nm-256kb, or a YAML file) next to the software model; writes energy, latency and agreement per layer." };
        var threads = ThreadsOption.Create();
        threads.Description = $"The most threads kept busy at once (default: all cores, {Environment.ProcessorCount} here; --threads 1: one busy core). "
            + "Run configurations: N generate, read and encode the workload's samples, then N program a layer's macro blocks; chip runs "
            + "(configurations, NIR graphs with --arch) then use up to 2: the chip's function pass on a second thread ahead of its timing. "
            + "Transformers: N fold the RepConvs, then layers are priced in parallel, each mapping on its share (N / layers at once). "
            + "Results are bit-identical for every value.";
        var exportNir = new Option<string?>("--export-nir") { Description = "Write the network that was run as a NIR file (to hand it to other tools)." };

        var command = new Command("run", "Run a configuration (default: the RRAM LSM preset), a NIR graph on an input raster, or the small built-in example.")
        {
            network, input, dt, recordOutput, timesteps, seed, precision, integrator, semantics, reset, record, recordFormat, outDir, exportNir, arch, example,
            workloadPath, json, earlyExit, trace, threads,
            vcd, vcdNeurons, vcdSamples, vcdWindow,
        };
        command.SetAction(parse =>
        {
            var threadCount = ThreadsOption.Check(parse.GetValue(threads));
            ThreadsOption.BoundLibraries(threadCount);
            var target = parse.GetValue(network);
            var isNir = target is not null && (target.EndsWith(".nir", StringComparison.OrdinalIgnoreCase) || target.EndsWith(".h5", StringComparison.OrdinalIgnoreCase)
                || target.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase));
            if ((parse.GetValue(example) || isNir) && parse.GetValue(vcd) is not null) throw new UsageException("--vcd dumps LSM runs on a chip (a run configuration)");
            // An option of the other kind of run was silently ignored (run CONFIG --precision float64, run --example --workload-path DIR).
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            if (!parse.GetValue(example) && !isNir)
            {
                if (new Option[] { input, dt, recordOutput, timesteps, precision, integrator, semantics, reset, record, recordFormat, arch }.FirstOrDefault(Given) is { } networkOnly)
                    throw new UsageException(networkOnly == arch ? "--arch runs a NIR graph on a chip; a run configuration names its chip under architecture:"
                        : $"{networkOnly.Name} applies to NIR graphs and the built-in example, not run configurations"
                        + (networkOnly == semantics || networkOnly == reset ? " (a configuration takes semantics: and reset_mechanism: keys)" : ""));
            }
            else if (new Option[] { workloadPath, earlyExit, trace }.FirstOrDefault(Given) is { } configOnly)
                throw new UsageException($"{configOnly.Name} applies to run configurations, not NIR graphs or the built-in example");
            if (!parse.GetValue(example) && !isNir)
                return ExperimentRun.Execute(terminal, target ?? Neuromorphic.Arch.Runs.RunConfigLoader.DefaultPreset, parse.GetValue(outDir),
                    parse.GetValue(seed), parse.GetValue(workloadPath), parse.GetValue(json), parse.GetValue(earlyExit), parse.GetValue(trace), parse.GetValue(exportNir),
                    WaveformRequest.From(parse.GetValue(vcd), parse.GetValue(vcdNeurons)!, parse.GetValue(vcdSamples)!, parse.GetValue(vcdWindow)),
                    threadCount);
            if (parse.GetValue(arch) is { } architecture)
            {
                if (!isNir) throw new UsageException("--arch runs a NIR graph on a chip: neuromorphic run NET.nir --input RASTER --dt S --arch ARCH");
                // The chip run writes its outputs into its run directory (--out) and runs the neuron core's arithmetic: the
                // software run's outputs and arithmetic options were silently ignored.
                if (new Option[] { recordOutput, exportNir, record, recordFormat, precision, reset }.FirstOrDefault(Given) is { } softwareOnly)
                    throw new UsageException($"{softwareOnly.Name} applies to software runs of a NIR graph, not to --arch (the chip run writes its activity, energy and latency under --out)");
                if (parse.GetValue(semantics) is { } chosen && chosen != "nir")
                    throw new UsageException($"--semantics {chosen}: the chip's neuron core runs NIR's forward-Euler semantics only (--semantics nir)");
                return ChipRun.Execute(terminal, target!, parse.GetValue(input), parse.GetValue(dt), architecture, parse.GetValue(timesteps),
                    parse.GetValue(seed) ?? 1, parse.GetValue(integrator)!, parse.GetValue(outDir), parse.GetValue(json), threadCount);
            }
            return Execute(terminal, new RunRequest(
            parse.GetValue(network), parse.GetValue(input), parse.GetValue(dt), parse.GetValue(recordOutput),
            parse.GetValue(timesteps), parse.GetValue(seed) ?? 1, parse.GetValue(precision)!, parse.GetValue(integrator)!, parse.GetValue(outDir),
            parse.GetValue(exportNir), parse.GetValue(semantics), parse.GetValue(reset), RecordedNodes(parse.GetValue(record)), parse.GetValue(recordFormat)!,
            parse.GetValue(json)));
        });
        return command;
    }

    private sealed record RunRequest(string? Network, string? Input, double? Dt, string? RecordOutput, int? Timesteps,
        ulong Seed, string Precision, string Integrator, string? OutDir, string? ExportNir,
        string? Semantics = null, string? Reset = null, IReadOnlyList<string>? Record = null, string RecordFormat = "csv", bool Json = false);

    /// <summary>The node names of <c>--record</c>: comma-separated, blanks ignored, order kept, duplicates dropped.</summary>
    private static IReadOnlyList<string> RecordedNodes(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    private static int Execute(Terminal terminal, RunRequest request)
    {
        OutputPaths.RequireDirectory(request.OutDir, "--out");
        OutputPaths.RequireFile(request.RecordOutput, "--record-output");
        OutputPaths.RequireFile(request.ExportNir, "--export-nir");
        var (network, stimulus, dt, label) = Load(request);
        var outputNode = network.Outputs.FirstOrDefault()
            ?? throw new InputFormatException(request.Network ?? "built-in example", "", "the network has no Output node");
        var recorded = request.Record ?? [];
        CheckRecordedNodes(request, network, recorded);
        var (discretisation, origin) = ResolveSemantics(request, network);
        // The resource guard: delay lines and recordings are sized by values in the file.
        ExecutionMemory.Require(network, dt, stimulus.Timesteps, request.Precision == "float64" ? sizeof(double) : sizeof(float),
            terminal.Limits.Memory, request.Network ?? "built-in example", recorded);
        var watch = Stopwatch.StartNew();
        var record = new RecordRequest(recorded, []);
        var result = request.Precision == "float64"
            ? Simulate<double>(terminal, network, stimulus, dt, discretisation, record)
            : Simulate<float>(terminal, network, stimulus, dt, discretisation, record);
        var elapsed = watch.Elapsed.TotalSeconds;
        var output = result.Outputs[outputNode.Name];

        if (request.RecordOutput is not null) WriteRaster(request.RecordOutput, output);
        if (request.ExportNir is not null) NirWriter.Write(network, request.ExportNir);
        var summary = Summarise(request, label, network, stimulus, dt, result, output, elapsed, discretisation, origin, recorded);
        if (request.OutDir is not null)
        {
            Directory.CreateDirectory(request.OutDir);
            if (recorded.Count > 0) Directory.CreateDirectory(Path.Combine(request.OutDir, "activity"));
            foreach (var node in recorded)
                WriteRaster(Path.Combine(request.OutDir, "activity", ActivityFileName(node, request.RecordFormat)), result.Activity[node]);
            summary.WriteSummary(request.OutDir);
            RasterCsv.Write(Path.Combine(request.OutDir, "outputs.csv"), output);
        }
        if (request.Json)
        {
            terminal.Out.WriteLine(summary.ToJson().ToJsonString());
            return ExitCodes.Ok;
        }
        PrintTable(terminal, summary.ToJson(), request);
        return ExitCodes.Ok;
    }

    /// <summary>The file of a recorded node: its name with path separators and other unsafe characters as '_'.</summary>
    internal static string ActivityFileName(string node, string format)
    {
        var invalid = Path.GetInvalidFileNameChars().Append('/').Append('\\').ToHashSet();
        var safe = new string(node.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
        return $"{safe}.{format}";
    }

    private static void CheckRecordedNodes(RunRequest request, Network network, IReadOnlyList<string> recorded)
    {
        if (recorded.Count == 0) return;
        if (request.OutDir is null) throw new UsageException("--record writes activity/NODE files into the run directory: add --out DIR");
        foreach (var node in recorded)
            if (!network.Contains(node))
                throw new UsageException($"--record: {request.Network ?? "the built-in example"} has no node '{node}' (nodes: {string.Join(", ", network.Nodes.Select(n => n.Name))})");
    }

    /// <summary>The run's discretisation and where it came from: the options, the file's metadata, or NIR's defaults.</summary>
    private static (Discretisation Discretisation, string Origin) ResolveSemantics(RunRequest request, Network network)
    {
        NirSemantics? semantics = null;
        ResetMechanism? reset = null;
        if (request.Semantics is { } s && Discretisation.TryParse(s, out NirSemantics parsed)) semantics = parsed;
        if (request.Reset is { } r && Discretisation.TryParse(r, out ResetMechanism parsedReset)) reset = parsedReset;
        var fromMetadata = NirProvenance.Semantics(network.Metadata);
        var origin = semantics is not null ? "--semantics"
            : fromMetadata is { } m ? $"metadata '{m.Key}'" : "default";
        return (NirProvenance.Resolve(network.Metadata, semantics, reset), origin);
    }

    private static (Network Network, SpikeRaster Stimulus, double Dt, string Label) Load(RunRequest request)
    {
        if (request.Timesteps is <= 0) throw new UsageException($"--timesteps must be positive, found {request.Timesteps}");
        if (request.Dt is { } d && !(d > 0 && double.IsFinite(d))) throw new UsageException($"--dt must be a positive number of seconds, found {d}");
        if (request.Network is null)
        {
            if (request.Input is not null) throw new UsageException("--input needs a network: neuromorphic run NETWORK.nir --input RASTER --dt SECONDS");
            var (example, input) = ExampleNetwork.Build(request.Seed, request.Timesteps ?? 500);
            return (example, input, request.Dt ?? ExampleNetwork.Dt, "built-in example");
        }
        if (request.Input is null) throw new UsageException($"running {request.Network} needs --input RASTER (CSV or .npy, one row per timestep)");
        if (request.Dt is null) throw new UsageException($"running {request.Network} needs --dt SECONDS: NIR graphs hold continuous-time parameters");
        var options = new NirImportOptions
        {
            IntegratorTimeBase = request.Integrator == "euler" ? IntegratorTimeBase.ContinuousEuler : IntegratorTimeBase.PerTimestep,
        };
        var network = NirReader.Read(request.Network, options);
        var stimulus = SpikeRaster.Load(request.Input);
        var width = network.Inputs.Sum(i => Shape.Size(i.Shape));
        if (stimulus.Channels != width)
            throw new InputFormatException(request.Input, "", $"the raster has {stimulus.Channels} channels but the network's input takes {width}");
        if (request.Timesteps is { } t && t < stimulus.Timesteps) stimulus = new SpikeRaster(t, stimulus.Channels, stimulus.Data[..(t * stimulus.Channels)]);
        return (network, stimulus, request.Dt.Value, Path.GetFileName(request.Network));
    }

    private static RunResult Simulate<T>(Terminal terminal, Network network, SpikeRaster stimulus, double dt,
        Discretisation discretisation, RecordRequest record)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var executor = new NetworkExecutor<T>(network, dt, discretisation);
        return terminal.WithProgress("simulating", progress => executor.Run(stimulus, record, progress: progress));
    }

    private static void WriteRaster(string path, SpikeRaster raster)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            Npy.Write(path, raster.Data, [raster.Timesteps, raster.Channels]);
        }
        else RasterCsv.Write(path, raster);
    }

    private static RunRecord Summarise(RunRequest request, string label, Network network, SpikeRaster stimulus, double dt,
        RunResult result, SpikeRaster output, double elapsed, Discretisation discretisation, string origin, IReadOnlyList<string> recorded)
    {
        var neurons = network.NeuronCount;
        // The rate is over the neurons that can spike: the example's 10 leaky integrators never do, and counting them
        // put 13.18 Hz where its 200 LIF neurons fire at 13.84 Hz.
        var spiking = network.Nodes.OfType<NeuronNode>().Where(n => n.Model.Spiking).Sum(n => (long)n.Model.Size);
        var simulated = stimulus.Timesteps * dt;
        var record = new RunRecord()
            .Text("tool_version", typeof(RunCommand).Assembly.GetName().Version?.ToString())
            .Text("network", label)
            .Count("seed", request.Seed)
            .Text("precision", request.Precision)
            .Text("semantics", Discretisation.Name(discretisation.Semantics))
            .Text("reset_mechanism", Discretisation.Name(discretisation.Reset))
            .Text("semantics_from", origin)
            .Number("timestep_s", dt)
            .Count("timesteps", stimulus.Timesteps)
            .Number("duration_s", simulated)
            .Count("neurons", neurons)
            .Count("spiking_neurons", spiking)
            .Count("synapses", network.SynapseCount)
            .Count("input_events", stimulus.CountNonZero())
            .Count("spikes", result.Spikes)
            .Number("firing_rate_Hz", spiking == 0 ? double.NaN : result.Spikes / (spiking * simulated))
            .Count("output_events", output.CountNonZero())
            .Number("wall_s", elapsed)
            .Number("wall_real_time_factor", elapsed / simulated);
        return recorded.Count > 0 ? record.List("recorded_nodes", recorded) : record;
    }

    private static void PrintTable(Terminal terminal, JsonObject summary, RunRequest request)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"run: {summary["network"]}"));
        string F(string key, string format) => ((double)summary[key]!).ToString(format, CultureInfo.InvariantCulture);
        if (request.Network is null) table.AddRow("network", "64 Poisson inputs -> 200 recurrent LIF (80 % excitatory) -> 10 leaky integrators");
        table.AddRow("semantics", Markup.Escape($"{summary["semantics"]}, reset {summary["reset_mechanism"]} ({summary["semantics_from"]})"));
        table.AddRow("timesteps x dt", Markup.Escape($"{summary["timesteps"]} x {F("timestep_s", "G4")} s"));
        table.AddRow("neurons", summary["neurons"]!.ToString());
        table.AddRow("synapses", summary["synapses"]!.ToString());
        table.AddRow("input events", summary["input_events"]!.ToString());
        table.AddRow("spikes", summary["spikes"]!.ToString());
        table.AddRow($"mean rate ({summary["spiking_neurons"]} spiking neurons)", summary["firing_rate_Hz"] is null ? "n/a (no spiking neurons)" : F("firing_rate_Hz", "F2") + " Hz");
        table.AddRow("non-zero outputs", summary["output_events"]!.ToString());
        table.AddRow("wall time", F("wall_s", "F3") + " s");
        table.AddRow("real-time factor (host)", summary["wall_real_time_factor"] is null ? "n/a" : F("wall_real_time_factor", "G3"));
        terminal.Console.Write(table);
        if (request.RecordOutput is not null) terminal.Console.MarkupLine($"output activity written to [bold]{Markup.Escape(request.RecordOutput)}[/]");
        if (request.Record is { Count: > 0 } nodes && request.OutDir is not null)
            terminal.Console.MarkupLine($"activity of {Markup.Escape(string.Join(", ", nodes))} written to [bold]{Markup.Escape(Path.Combine(request.OutDir, "activity"))}[/]");
        if (request.OutDir is not null) terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(request.OutDir)}[/]");
    }
}
