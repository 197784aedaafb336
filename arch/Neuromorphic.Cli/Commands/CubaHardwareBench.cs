using System.Globalization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Benchmarks;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>bench cuba --hardware ARCH</c>: the CUBA network on RRAM macros, beside the functional-only run.</summary>
internal static class CubaHardwareBench
{
    public static int Run(Terminal terminal, string architecture, int neurons, double duration, ulong seed, bool json, string? outDir, bool fixedPoint = false,
        string? wordLines = null, string? placement = null, string? macroOrder = null, int threads = 1, string? oneSignedLayers = null)
    {
        BenchCommand.CheckOptions(neurons, duration);
        OutputPaths.RequireDirectory(outDir, "--out");
        var spec = ArchitectureLoader.Load(architecture);
        if (wordLines is not null)
            spec = spec with { Mapping = spec.Mapping with { WordLines = wordLines == "compacted" ? WordLineMapping.Compacted : WordLineMapping.Dense } };
        // The bench places neurons near their synapses unless told otherwise (the architecture's own policy is for its networks).
        spec = spec with { Chip = spec.Chip with { NeuronPlacement = ArchitectureChoices.NeuronPlacement.Parse(placement ?? CubaOnChip.DefaultPlacement) } };
        if (macroOrder is not null)
            spec = spec with { Mapping = spec.Mapping with { MacroOrder = ArchitectureChoices.MacroOrder.Parse(macroOrder) } };
        if (oneSignedLayers is not null)
            spec = spec with { Mapping = spec.Mapping with { OneSignedLayers = ArchitectureChoices.OneSignedLayers.Parse(oneSignedLayers) } };
        var parameters = new CubaParameters { Neurons = neurons };
        var (functional, hardware) = terminal.WithProgress("CUBA on " + spec.Name, progress =>
        {
            // Both runs at the same thread count, for a fair comparison in one process (the functional loop uses one
            // thread per 65,536-neuron block; the chip executor a second thread for its function pass).
            var f = CubaBenchmark.Run(parameters, duration, seed, threads: threads);
            progress(0.3);
            // The chip's code compiled before its loop is timed, as the functional run's is before its own (CubaBenchmark.Run).
            CubaOnChip.WarmUp(spec, parameters, seed, fixedPoint, threads);
            var h = CubaOnChip.Run(spec, parameters, duration, seed, fixedPoint, threads);
            progress(0.9);
            var reference = CubaOnChip.FunctionalSpikeTrainHash(parameters, duration, seed);
            return (f, h with { SpikesIdentical = h.SpikeTrainHash == reference });
        });
        var slowdown = hardware.Functional.SimLoopSeconds / functional.SimLoopSeconds;
        var record = CubaRecord.Hardware(spec, parameters, functional, hardware, slowdown);
        if (outDir is not null)
        {
            record.WriteSummary(outDir);
            EnergyBreakdownCsv.Write(Path.Combine(outDir, "energy_breakdown.csv"), hardware.Account);
            CostTableCsv.Write(Path.Combine(outDir, "cost_table.csv"), hardware.Costs);
        }
        if (json)
        {
            terminal.Out.WriteLine(record.ToJsonString());
            return ExitCodes.Ok;
        }
        string F(double x, string format = "G4") => x.ToString(format, CultureInfo.InvariantCulture);
        // Energies with SI prefixes and counts with separators: CUBA-4M's energy was 1.234E+04 uJ, its pulses 28725459-style runs of digits.
        static string J(double joules) => Neuromorphic.Arch.Reports.Quantity.Si(joules, "J");
        static string N(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"CUBA {neurons} neurons, {F(duration)} s, on {spec.Name}"));
        table.AddRow("spikes (functional / hardware)", $"{functional.Spikes} / {hardware.Functional.Spikes}");
        table.AddRow("spike trains identical", hardware.SpikesIdentical ? "yes" : "no");
        table.AddRow("neuron cores", Markup.Escape(hardware.NeuronCore));
        table.AddRow("macros, tiles", $"{hardware.Macros}, {hardware.Tiles} (word lines {spec.Mapping.WordLines.ToString().ToLowerInvariant()}, {spec.Mapping.MacroOrderName}, "
            + $"one-signed layers {spec.Mapping.OneSignedLayersName})");
        table.AddRow("neuron placement", $"{hardware.NeuronPlacement} ({hardware.NeuronCores} neuron cores)");
        table.AddRow("macro cell utilisation", F(100 * hardware.Utilisation, "F1") + " %");
        table.AddRow("macro operations", N(hardware.MacroOperations));
        table.AddRow("hardware time per step (mean / max)", $"{F(hardware.MeanStepLatencyNs)} / {F(hardware.MaxStepLatencyNs)} ns");
        table.AddRow("hardware real-time factor", F(hardware.HardwareRealTimeFactor));
        table.AddRow($"throughput ({hardware.Execution})", $"one step every {F(hardware.StepIntervalCycles)} cycles");
        table.AddRow("energy (total / dynamic)", $"{J(hardware.EnergyJ)} / {J(hardware.DynamicEnergyJ)}");
        table.AddRow("energy per synaptic event (all energy)", F(hardware.EnergyPerSynapticEventPj) + " pJ");
        table.AddRow("synaptic-path energy per event (dynamic)", F(hardware.SynapticPathEnergyPerEventPj) + " pJ");
        foreach (var g in hardware.Account.Lines.GroupBy(l => l.Component).Select(g => (g.Key, Pj: g.Sum(l => l.DynamicPj + l.LeakagePj)))
                     .OrderByDescending(g => g.Pj).Take(4))
            table.AddRow($"  {Markup.Escape(g.Key)}", $"{J(g.Pj * 1e-12)} ({F(100 * g.Pj / hardware.Account.TotalPj, "F1")} %)");
        table.AddRow("simulation loop (functional / hardware)", $"{F(functional.SimLoopSeconds, "F3")} / {F(hardware.Functional.SimLoopSeconds, "F3")} s ({F(slowdown, "F2")}x)");
        table.AddRow("loop CPU time (functional / hardware)", $"{F(functional.LoopCpuSeconds, "F3")} / {F(hardware.LoopCpuSeconds, "F3")} s ({F(hardware.LoopCpuSeconds / functional.LoopCpuSeconds, "F2")}x)");
        table.AddRow("threads (functional loop / hardware)", $"{functional.LoopThreads} / {hardware.Threads}");
        table.AddRow("function pass busy / timing waited for it", $"{F(hardware.FunctionPassSeconds, "F3")} / {F(hardware.TimingWaitSeconds, "F3")} s");
        table.AddRow("kernel events per step", F(hardware.KernelEventsPerStep, "F1"));
        table.AddRow("NoC packets / hops per step", $"{F(hardware.NocPacketsPerStep, "F1")} / {F(hardware.NocHopsPerStep, "F1")} ({F(100 * hardware.NocQueuedShare, "F0")} % of hops queued)");
        table.AddRow("programming (one-time)", $"{J(hardware.ProgrammingEnergyJ)}, {N(hardware.ProgrammingPulses)} pulses, {N(hardware.VerifyReads)} verify reads");
        table.AddRow("set-up (mapping, programming)", F(hardware.SetupSeconds, "F2") + " s");
        terminal.Console.Write(table);
        if (outDir is not null) terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/] (summary.json, energy_breakdown.csv, cost_table.csv)");
        return ExitCodes.Ok;
    }
}
