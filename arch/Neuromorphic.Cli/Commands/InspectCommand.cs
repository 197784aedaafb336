using System.CommandLine;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Traces.Events.Formats;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic inspect FILE [--json]</c>: what is in a NIR graph, an architecture, a model or an event recording.</summary>
internal static class InspectCommand
{
    public static Command Create(Terminal terminal)
    {
        var file = new Argument<string>("file") { Description = "A NIR graph (.nir), an architecture or run configuration (.yaml), a preset name (e.g. rram-40nm-256kb), or model:NAME (e.g. model:meta-spikeformer-8-512)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON object instead of tables." };
        var density = new Option<double?>("--density") { Description = "Architectures: input density (share of word lines active) for the derived figures; default: the preset's." };
        var workload = new Option<string?>("--workload")
        {
            Description = "Architectures: a probe layer, layer:INPUTSxOUTPUTS,inputs=ACTIVE[,on_cells=P][,seed=N] (weights uniform in [-1, 1], or with on_cells every stored weight bit 1 with probability P); prints one subarray read and the whole layer in NeuroSim's rows.",
        };
        var (plot, stream, layout) = RecordingOptions.ForInspect();
        var arch = new Option<string?>("--arch") { Description = "NIR graphs: map the network onto this chip (preset or YAML) and print the mapping: macros and cores per layer, utilisation, routes." };
        var threads = ThreadsOption.Create();
        threads.Description = $"With --arch: the most threads the mapping keeps busy at once, programming a layer's macro blocks (default: all cores, {Environment.ProcessorCount} here). "
            + "The mapping is the same for every value.";
        var command = new Command("inspect", "Show what a file holds: a NIR graph's nodes, shapes and counts (with --arch: its mapping onto a chip); an architecture's derived macro figures and cost table; an event recording's format, sensor, counts, times and rates.")
        {
            file, json, density, workload, plot, stream, layout, arch, threads,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var extension = Path.GetExtension(path).ToLowerInvariant();
            var isRecording = File.Exists(path) && EventFile.Extensions.Contains(extension);
            var isNir = extension is ".nir" or ".h5" or ".hdf5";
            var isArchitecture = !isRecording && !isNir && !path.StartsWith("model:", StringComparison.Ordinal);
            // An option for another kind of file was silently ignored (--density on a graph) or misread the file
            // (--workload read a .nir as YAML: "not valid UTF-8 text"; --arch read a recording as HDF5).
            if (parse.GetValue(arch) is not null && !isNir) throw new UsageException("--arch applies to NIR graphs (.nir): it maps the graph onto the chip");
            if (parse.GetValue(density) is not null && !isArchitecture) throw new UsageException("--density applies to architectures (a preset or YAML file)");
            if (parse.GetValue(workload) is not null && !isArchitecture) throw new UsageException("--workload applies to architectures (a preset or YAML file)");
            if (parse.GetResult(threads) is { Implicit: false } && parse.GetValue(arch) is null) throw new UsageException("--threads applies to --arch: it bounds the mapping's threads");
            if (parse.GetValue(arch) is { } architecture)
                return ChipProgramInspection.Print(terminal, path, architecture, parse.GetValue(json), threads: ThreadsOption.Check(parse.GetValue(threads)));
            if (isRecording) return RecordingInspection.Print(terminal, path, parse.GetValue(json), parse.GetValue(plot), RecordingOptions.Read(parse, stream, layout));
            if (parse.GetValue(plot) is not null) throw new UsageException("--plot applies to event recordings (" + string.Join(", ", EventFile.Extensions) + ")");
            return Execute(terminal, path, parse.GetValue(json), parse.GetValue(density), parse.GetValue(workload));
        });
        return command;
    }

    private static int Execute(Terminal terminal, string path, bool json, double? density, string? workload)
    {
        if (workload is not null) return LayerWorkloadInspection.Print(terminal, path, workload, json);
        if (path.StartsWith("model:", StringComparison.Ordinal)) return ModelInspection.Print(terminal, path, json);
        if (Neuromorphic.Arch.Runs.RunConfigLoader.IsRunConfig(path))
        {
            // A run configuration: show the chip it runs on (its workload and network are in the file).
            var config = Neuromorphic.Arch.Runs.RunConfigLoader.Load(path);
            return ArchitectureInspection.Print(terminal, config.Architecture, json, density);
        }
        if (!File.Exists(path) && Presets.ArchitectureNames.Contains(path)) return ArchitectureInspection.Print(terminal, path, json, density);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file (presets: {string.Join(", ", Presets.Names)})");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".nir" or ".h5" or ".hdf5" => NirInspection.Print(terminal, path, json),
            ".yaml" or ".yml" => ArchitectureInspection.Print(terminal, path, json, density),
            _ => throw new UsageException($"{path}: cannot inspect '{extension}' files (supported: .nir, .yaml, preset names, event recordings {string.Join(", ", EventFile.Extensions)})"),
        };
    }
}
