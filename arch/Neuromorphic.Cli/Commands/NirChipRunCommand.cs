using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>A run configuration with <c>network: {nir: FILE}</c>: the classifier on the chip over the labelled workload.</summary>
internal static class NirChipRunCommand
{
    public static int Execute(Terminal terminal, RunConfig config, string outDir, bool json, int threads = 1)
    {
        var run = terminal.WithProgress($"{config.Name}: {Path.GetFileName(config.Network!.Nir)} on {config.Architecture.Name}", p => NirChipExperiment.Run(config, p, threads));
        var r = run.Result;
        var warnings = run.Warnings();
        var summary = ChipRunFiles.Summary(run.Program, r, Path.GetFileName(config.Network.Nir), config.Seed, run.Dt, run.Power, warnings)
            .Text("config", config.Origin)
            .Text("config_hash", config.ConfigHash)
            .Text("name", config.Name)
            .Count("test_samples", run.Samples)
            .Count("input_events", run.InputEvents)
            .Number("accuracy", run.Samples == 0 ? null : run.Accuracy)
            .Number("software_accuracy", run.Samples == 0 ? null : run.SoftwareAccuracy)
            .Number("chip_software_agreement", run.Samples == 0 ? null : run.TopOneAgreement);
        ChipRunFiles.Write(outDir, run.Program, r, Path.GetFileName(config.Network.Nir), config.Seed, run.Dt, summary);
        RunWarnings.Print(terminal, warnings);
        if (json)
        {
            terminal.Out.WriteLine(summary.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        string F(double x, string format = "G4") => x.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"{config.Name}: {Path.GetFileName(config.Network.Nir)} on {config.Architecture.Name}"));
        table.AddRow("samples", run.Samples.ToString(CultureInfo.InvariantCulture));
        table.AddRow("[bold]accuracy on the chip[/]", $"[bold]{F(100 * run.Accuracy, "F1")} %[/]");
        table.AddRow("accuracy in software", F(100 * run.SoftwareAccuracy, "F1") + " %");
        table.AddRow("chip agrees with software (top-1)", $"{F(100 * run.TopOneAgreement, "F1")} % of {run.Samples} samples");
        // Energies and times with SI prefixes, counts with separators (4,501,000 steps/s, not 4.501E+06), as the other tables.
        static string N(double count) => Quantity.Number(count);
        var perSample = (double)r.TotalCycles / Math.Max(1, r.Samples);
        table.AddRow("energy per inference", Quantity.Si(r.EnergyJ / Math.Max(1, r.Samples), "J"));
        table.AddRow("latency per inference", $"{N(Math.Round(perSample))} cycles, {Quantity.Si(perSample / r.BaseClockHz, "s")}");
        table.AddRow("latency per timestep", N(r.LatencyPerTimestepCycles) + " cycles");
        table.AddRow($"throughput ({r.Execution})", $"one step every {N(r.StepIntervalCycles)} cycles, {N(r.ThroughputStepsPerSecond)} steps/s");
        table.AddRow("macros / tiles", $"{run.Program.MacrosUsed} / {run.Program.TilesUsed}");
        terminal.Console.Write(table);
        terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/] (layers.csv: energy, latency and agreement per layer)");
        return ExitCodes.Ok;
    }
}
