using System.CommandLine;
using Neuromorphic.Arch.Reports.Html;
using Neuromorphic.Arch.Reports.Plots;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic report RUN_DIR [--format md|html]</c>: writes the plots (PNG and SVG in
/// <c>RUN_DIR/plots/</c>) and the report (<c>report.html</c>, self-contained, or <c>report.md</c>)
/// from the run directory's files, and prints the report's path.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(Terminal terminal)
    {
        var runDir = new Argument<string>("run-dir") { Description = "A run directory (written by 'neuromorphic run ... --out DIR'): summary.json, energy_breakdown.csv, cost_table.csv and the optional latency, sparsity, layers and spikes_*.csv files." };
        var format = new Option<string>("--format") { Description = "html: one self-contained page with inline SVG figures (report.html); md: Markdown referring to plots/*.png (report.md).", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("md", "html");
        var command = new Command("report", "Write the plots and the energy/latency report of a run directory.")
        {
            runDir, format,
        };
        command.SetAction(parse => Execute(terminal, parse.GetValue(runDir)!, parse.GetValue(format)!));
        return command;
    }

    private static int Execute(Terminal terminal, string directory, string format)
    {
        var run = RunFiles.Load(directory);
        var figures = RunPlots.Build(run);
        RunPlots.Write(run, figures);
        var path = RunReport.Write(run, figures, RunReport.ParseFormat(format));
        terminal.Out.WriteLine(path);
        return ExitCodes.Ok;
    }
}
