using System.CommandLine;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic inspect FILE [--json]</c>: what is in a NIR graph (later: architectures, traces, models).</summary>
internal static class InspectCommand
{
    public static Command Create(Terminal terminal)
    {
        var file = new Argument<string>("file") { Description = "A NIR graph (.nir)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON object instead of tables." };
        var command = new Command("inspect", "Show what a file holds: for a NIR graph its nodes, types, shapes, parameter and synapse counts.") { file, json };
        command.SetAction(parse => Execute(terminal, parse.GetValue(file)!, parse.GetValue(json)));
        return command;
    }

    private static int Execute(Terminal terminal, string path, bool json)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".nir" or ".h5" or ".hdf5" => NirInspection.Print(terminal, path, json),
            _ => throw new UsageException($"{path}: cannot inspect '{extension}' files (supported: .nir)"),
        };
    }
}
