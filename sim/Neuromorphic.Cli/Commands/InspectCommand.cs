using System.CommandLine;
using Neuromorphic.Arch.Architecture;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic inspect FILE [--json]</c>: what is in a NIR graph (later: architectures, traces, models).</summary>
internal static class InspectCommand
{
    public static Command Create(Terminal terminal)
    {
        var file = new Argument<string>("file") { Description = "A NIR graph (.nir), an architecture or run configuration (.yaml), a preset name (e.g. rram-40nm-256kb), or model:NAME (e.g. model:meta-spikeformer-8-512)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON object instead of tables." };
        var density = new Option<double?>("--density") { Description = "Architectures: input density (share of word lines active) for the derived figures; default: the preset's." };
        var workload = new Option<string?>("--workload")
        {
            Description = "Architectures: a probe layer, layer:INPUTSxOUTPUTS,inputs=ACTIVE[,seed=N]; prints one subarray read and the whole layer in NeuroSim's rows.",
        };
        var command = new Command("inspect", "Show what a file holds: a NIR graph's nodes, shapes and counts; an architecture's derived macro figures and cost table.")
        {
            file, json, density, workload,
        };
        command.SetAction(parse => Execute(terminal, parse.GetValue(file)!, parse.GetValue(json), parse.GetValue(density), parse.GetValue(workload)));
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
            _ => throw new UsageException($"{path}: cannot inspect '{extension}' files (supported: .nir, .yaml, preset names)"),
        };
    }
}
