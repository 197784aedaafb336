using System.CommandLine;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Replay;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Traces.Recording;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic replay TRACE [--arch ARCH] [--out DIR]</c>: drives a chip with recorded
/// activity (the recorded spikes standing in for the neurons' output) and writes the same run directory as <c>run</c>.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(Terminal terminal)
    {
        var trace = new Argument<string>("trace") { Description = "A trace recorded with neuromorphic run --trace FILE." };
        var arch = new Option<string?>("--arch") { Description = "Architecture to replay through: an architecture file or preset, or a run configuration (its architecture). Default: the one recorded." };
        var outDir = new Option<string?>("--out") { Description = "Run directory (default runs/NAME-replay)." };
        var json = new Option<bool>("--json") { Description = "Print summary.json's content instead of the table." };
        var network = new Option<string?>("--network") { Description = "External activity (.npy raster or NIRGraphData .h5): the NIR graph it was recorded on." };
        var population = new Option<string?>("--population") { Description = "A .npy raster's population (node name); default: the graph's first Input node." };
        var dt = new Option<double>("--dt") { Description = "NIRGraphData event times are binned at this timestep (seconds).", DefaultValueFactory = _ => 1e-3 };
        var threads = ThreadsOption.Create();
        var command = new Command("replay", "Replay recorded activity through an architecture: its energy, latency and sparsity, the recorded spikes standing in for the neurons' output (the chip still does and times all their work).")
        {
            trace, arch, outDir, json, network, population, dt, threads,
        };
        var (vcd, vcdNeurons, vcdSamples, vcdWindow) = WaveformRequest.Options();
        foreach (var option in new Option[] { vcd, vcdNeurons, vcdSamples, vcdWindow }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(trace)!;
            var threadCount = ThreadsOption.Check(parse.GetValue(threads));
            ThreadsOption.BoundLibraries(threadCount);
            var waveform = WaveformRequest.From(parse.GetValue(vcd), parse.GetValue(vcdNeurons)!, parse.GetValue(vcdSamples)!, parse.GetValue(vcdWindow));
            if (waveform is not null && parse.GetValue(network) is not null) throw new UsageException("--vcd replays .nmtrace recordings of LSM runs (not external activity)");
            return parse.GetValue(network) is { } net
                ? ExternalReplay.Execute(terminal, path, net, parse.GetValue(arch), parse.GetValue(population), parse.GetValue(dt), parse.GetValue(outDir), parse.GetValue(json),
                    threadCount)
                : Execute(terminal, path, parse.GetValue(arch), parse.GetValue(outDir), parse.GetValue(json), waveform, threadCount);
        });
        return command;
    }

    private static int Execute(Terminal terminal, string path, string? arch, string? outDir, bool json, WaveformRequest? vcd, int threads)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
        if (!path.EndsWith(".nmtrace", StringComparison.OrdinalIgnoreCase) && (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nir", StringComparison.OrdinalIgnoreCase)))
            throw new UsageException($"{path}: external activity needs --network NET.nir (the graph it was recorded on)");
        var recorded = TraceFile.Read(path, terminal.Limits.Memory);
        var config = LsmTrace.Config(recorded, path);
        if (arch is not null)
        {
            var architecture = RunConfigLoader.IsRunConfig(arch) ? RunConfigLoader.Load(arch).Architecture : ArchitectureLoader.Load(arch);
            config = config with { Architecture = architecture };
        }
        if (config.Architecture.Macro.Device.PulseDistribution is null)
            throw new UsageException($"{arch ?? path}: its cells have no pulse_distribution, so it cannot hold the LSM's stochastically programmed weights (an LSM run preset's architecture can: --arch rram-lsm-40nm)");
        if (vcd is not null && config.Architecture.Chip.Execution == Neuromorphic.Arch.Architecture.ExecutionMode.Pipelined)
            throw new UsageException($"{arch ?? path}: chip.execution: pipelined overlaps timesteps, but --vcd writes waveforms step by step (use execution: barrier)");
        outDir ??= Path.Combine("runs", config.Name + "-replay");
        OutputPaths.RequireDirectory(outDir, "--out");
        OutputPaths.RequireFile(vcd?.Path, "--vcd");
        var result = terminal.WithProgress($"replay {Path.GetFileName(path)} on {config.Architecture.Name}", progress =>
        {
            if (vcd is not null && vcd.FirstSample >= recorded.Samples.Count)
                throw new UsageException($"--vcd-samples starts at sample {vcd.FirstSample}, but the trace has {recorded.Samples.Count}");
            try
            {
                return vcd is null ? LsmTrace.Replay(recorded, config, path, progress, threads: threads)
                    : vcd.Record(config.Architecture.BaseClockHz, probe => LsmTrace.Replay(recorded, config, path, progress, probe, threads));
            }
            catch (Neuromorphic.Arch.Mapping.MappingException ex)
            {
                throw new Neuromorphic.Traces.InputFormatException(arch ?? path, "chip", ex.Message);
            }
        });
        if (arch is null && recorded.Metadata.TryGetValue("network_hash", out var hash) && hash != result.NetworkHash)
            terminal.Error.WriteLine($"warning: the network rebuilt from the recorded configuration differs from the recorded one (hash {result.NetworkHash}, recorded {hash})");
        var files = RunDirectory.Write(outDir, config, result);
        if (json)
        {
            terminal.Out.WriteLine(RunDirectory.Summary(config, result).ToJsonString());
            return ExitCodes.Ok;
        }
        ExperimentRun.PrintTable(terminal, config, result, outDir, files);
        terminal.Console.MarkupLine(Markup.Escape($"replayed {recorded.Samples.Count} samples of {path}: the recorded reservoir spikes stood in for the neurons' output; software accuracy and golden agreement are the recorded ones"));
        return ExitCodes.Ok;
    }
}
