using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Replay;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Recording;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic run [CONFIG.yaml | PRESET]</c>: a run configuration end to end (workload,
/// LSM on the chip, software and raw-input baselines, readout), a table for people and a run
/// directory for scripts.
/// </summary>
internal static class ExperimentRun
{
    public static int Execute(Terminal terminal, string nameOrPath, string? outDir, ulong? seed, string? workloadPath, bool json, double? earlyExit,
        string? trace = null, string? exportNir = null, WaveformRequest? vcd = null, int threads = 1)
    {
        var config = RunConfigLoader.Load(nameOrPath);
        if (earlyExit is { } theta)
        {
            if (config.Transformer is null) throw new UsageException("--early-exit applies to transformer runs");
            if (theta is < 0 or > 1) throw new UsageException($"--early-exit must lie in [0, 1], found {theta}");
            if (config.Transformer.Mode != "functional") throw new UsageException("--early-exit needs a functional run (mode: functional): it reads the model's outputs");
            config = config with { Transformer = config.Transformer with { EarlyExit = theta } };
        }
        if (seed is { } s) config = config with { Seed = s };
        if (workloadPath is not null) config = config with { Workload = config.Workload with { Path = workloadPath } };
        outDir ??= Path.Combine("runs", config.Name);
        OutputPaths.RequireDirectory(outDir, "--out");
        OutputPaths.RequireFile(trace, "--trace");
        OutputPaths.RequireFile(exportNir, "--export-nir");
        OutputPaths.RequireFile(vcd?.Path, "--vcd");
        if (trace is not null && config.Transformer is not null) throw new UsageException("--trace records LSM runs (transformer runs have no per-spike trace yet)");
        if (vcd is not null && config.Transformer is not null) throw new UsageException("--vcd dumps LSM runs (transformer runs have no waveform yet)");
        if (vcd is not null && config.Architecture.Chip.Execution == Neuromorphic.Arch.Architecture.ExecutionMode.Pipelined)
            throw new UsageException($"{nameOrPath}: chip.execution: pipelined overlaps timesteps, but --vcd writes waveforms step by step (use execution: barrier)");
        if (config.Transformer is not null) return TransformerRun(terminal, config, outDir, json, threads);
        if (config.Network is not null)
        {
            if (trace is not null || vcd is not null) throw new UsageException("--trace and --vcd record LSM runs; a network run writes its chip and software outputs to the run directory");
            return NirChipRunCommand.Execute(terminal, config, outDir, json, threads);
        }

        var (samples, result) = terminal.WithProgress($"{config.Name}: workload, chip, readout", progress =>
        {
            var samples = WorkloadLoader.Load(config.Workload, config.Encoding, config.Seed, f => progress(0.2 * f), RunPlan.Check(config, terminal.Limits.Memory), threads);
            DatasetSplit.RequireTrainAndTest(samples, config.Readout, config.Seed, config.Origin);
            LsmResult Run(ILsmChipProbe? probe) =>
                LsmExperiment.Run(config.Architecture, config.Lsm, config.Readout, samples, config.Encoding.TimestepSeconds, config.Seed,
                    f => progress(0.2 + 0.8 * f), probe, config.Semantics, threads);
            if (vcd is not null && vcd.FirstSample >= samples.Count)
                throw new UsageException($"--vcd-samples starts at sample {vcd.FirstSample}, but the workload has {samples.Count}");
            try
            {
                return (samples, vcd is null ? Run(null) : vcd.Record(config.Architecture.BaseClockHz, Run));
            }
            catch (Neuromorphic.Arch.Mapping.MappingException ex)
            {
                // The network does not fit the chip: the configuration's architecture is what to change.
                throw new InputFormatException(config.Origin, "architecture.chip", ex.Message);
            }
        });
        var files = RunDirectory.Write(outDir, config, result);
        RunWarnings.Print(terminal, result.Warnings);
        if (trace is not null && (trace.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || trace.EndsWith(".nir", StringComparison.OrdinalIgnoreCase)))
        {
            // NIR's activity format: every sample one after another in time, per population.
            NirGraphData.Write(trace, new Dictionary<string, SpikeRaster>
            {
                ["input"] = SpikeRaster.Concatenate(samples.Select(s => s.Input).ToList()),
                ["reservoir"] = SpikeRaster.Concatenate(result.ChipSpikes),
            }, result.TimestepSeconds);
        }
        else if (trace is not null) TraceFile.Write(trace, LsmTrace.FromRun(config, samples, result));
        if (exportNir is not null && result.Network is not null) NirWriter.Write(result.Network, exportNir);
        if (json)
        {
            terminal.Out.WriteLine(RunDirectory.Summary(config, result).ToJsonString());
            return ExitCodes.Ok;
        }
        PrintTable(terminal, config, result, outDir, files);
        return ExitCodes.Ok;
    }

    private static int TransformerRun(Terminal terminal, RunConfig config, string outDir, bool json, int threads)
    {
        var r = terminal.WithProgress($"{config.Name}: {config.Transformer!.Model}", progress =>
            Neuromorphic.Arch.Transformers.TransformerExperiment.Run(config.Architecture, config.Transformer, config.Seed, progress, threads));
        TransformerReport.Write(outDir, config, r);
        RunWarnings.Print(terminal, TransformerReport.Warnings(config, r));
        if (json)
        {
            terminal.Out.WriteLine(TransformerReport.Summary(config, r).ToJsonString());
            return ExitCodes.Ok;
        }
        string F(double x, string format = "G4") => x.ToString(format, CultureInfo.InvariantCulture);
        // Energies and times with SI prefixes (a small model's layer is 433.6 nJ, not 0.0004336 mJ); counts with separators.
        static string J(double joules) => Quantity.Si(joules, "J");
        static string S(double seconds) => Quantity.Si(seconds, "s");
        static string N(double count) => Quantity.Number(count);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"{config.Name}: {r.Model} on {config.Architecture.Name}"));
        table.AddRow("model", Markup.Escape($"{r.Parameters / 1e6:F2} M parameters, T = {r.Timesteps}, first conv {N(r.FlopsFirstConv)} FLOPs"));
        table.AddRow("activity", Markup.Escape(config.Transformer.Mode == "rates"
            ? $"firing rates given (uniform {F(config.Transformer.UniformRate)}{(config.Transformer.RatesFile is null ? "" : ", file " + config.Transformer.RatesFile)})"
            : $"measured on {r.Samples} images with {(config.Transformer.Weights is null ? "seeded random weights" : "weights from " + Path.GetFileName(config.Transformer.Weights))}{(config.Transformer.Reparameterise ? " (RepConvs folded)" : "")}; mean timesteps run {F(r.MeanTimestepsRun)}"));
        table.AddRow("[bold]energy per inference (chip)[/]", $"[bold]{J(r.EnergyPerInferenceJ)}[/] ({Markup.Escape(r.Pricing)}, with leakage)");
        if (r.Pricing == "event-driven")
            table.AddRow("dynamic energy: event-driven / rate-based", $"{J(r.Layers.Sum(l => l.EnergyPj) * 1e-12)} / {J(r.RateBasedDynamicEnergyJ)}");
        table.AddRow("theoretical energy (papers' 45 nm MAC/AC)", J(r.TheoreticalEnergyJ));
        if (r.PerTimestep.Count > 0)
            table.AddRow("dynamic energy, latency by timestep t = 1..T", Markup.Escape(string.Join("; ",
                r.PerTimestep.Select((x, i) => $"{i + 1}: {J(x.EnergyJ)}, {S(x.Cycles / r.BaseClockHz)}"))));
        if (!double.IsNaN(r.Accuracy) || !double.IsNaN(r.SoftwareAccuracy))
            table.AddRow("top-1: chip / software", $"{F(r.Accuracy * 100, "F1")} % / {F(r.SoftwareAccuracy * 100, "F1")} %");
        if (!double.IsNaN(r.ChipSoftwareAgreement))
            table.AddRow("chip agrees with software (top-1)", $"{F(r.ChipSoftwareAgreement * 100, "F1")} % of {r.Outcomes.Count} images");
        foreach (var g in r.Layers.OrderByDescending(l => l.EnergyPj).Take(5))
            table.AddRow($"  {Markup.Escape(g.Layer)} ({g.Target})", J(g.EnergyPj * 1e-12));
        table.AddRow("latency per inference", $"{N(r.LatencyCycles)} cycles, {S(r.LatencyCycles / r.BaseClockHz)}");
        table.AddRow("macros", r.Macros.ToString(CultureInfo.InvariantCulture));
        table.AddRow("activation sparsity", F(100 * r.ActivationSparsity, "F1") + " %");
        table.AddRow("synaptic ops: dense / effective ACs / MACs", $"{N(r.DenseSynapticOps)} / {N(r.EffectiveAcs)} / {N(r.EffectiveMacs)}");
        table.AddRow("membrane updates / footprint", $"{N(r.MembraneUpdates)} / {F(r.FootprintBytes / 1e6)} MB");
        table.AddRow("wall time", F(r.WallSeconds, "F1") + " s");
        terminal.Console.Write(table);
        terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/] (summary.json, layers.csv, energy_breakdown.csv, cost_table.csv)");
        return ExitCodes.Ok;
    }


    internal static void PrintTable(Terminal terminal, RunConfig config, LsmResult r, string outDir, IReadOnlyList<string> files)
    {
        string F(double x, string format = "G4") => x.ToString(format, CultureInfo.InvariantCulture);
        string Pct(double x) => F(100 * x, "F1") + " %";
        // Energies, powers and times with SI prefixes (12.35 µJ, not 1.235E+04 nJ), counts with separators, as the other tables.
        static string J(double joules) => Quantity.Si(joules, "J");
        static string S(double seconds) => Quantity.Si(seconds, "s");
        static string N(double count) => Quantity.Number(count);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"{config.Name}: {r.Neurons}-neuron LSM on {config.Architecture.Name}"));
        table.AddRow("workload", Markup.Escape($"{config.Workload.Kind}, {r.Samples} samples of {r.Classes} classes ({r.TrainSamples} train, {r.ValidationSamples} validation, {r.TestSamples} test), {r.Inputs} inputs x {r.Timesteps} steps"));
        string Readout(ReadoutScore s) => $"{s.Name} on {(s.Features.StartsWith("binned_counts_", StringComparison.Ordinal) ? s.Features["binned_counts_".Length..] + "-bin counts" : s.Features)}";
        table.AddRow("readout", Markup.Escape(r.Readouts.Count > 0 ? $"{Readout(r.Readouts[0])} ({r.Readouts[0].Training})" : ""));
        table.AddRow("[bold]test accuracy: RRAM reservoir[/]", "[bold]" + Pct(r.Accuracy) + "[/]");
        table.AddRow("test accuracy: software reservoir", Pct(r.SoftwareAccuracy));
        table.AddRow("test accuracy: raw input, no reservoir", Pct(r.BaselineAccuracy));
        foreach (var other in r.Readouts.Skip(1))
            table.AddRow(Markup.Escape($"{Readout(other)}: RRAM / software / raw"),
                $"{Pct(other.Accuracy)} / {Pct(other.SoftwareAccuracy)} / {Pct(other.BaselineAccuracy)}");
        table.AddRow("chance", Pct(1.0 / r.Classes));
        table.AddRow("[bold]energy per inference[/]", "[bold]" + J(r.EnergyPerInferenceJ) + "[/]");
        foreach (var g in r.Account.Lines.GroupBy(l => l.Component).Select(g => (g.Key, Pj: g.Sum(l => l.DynamicPj + l.LeakagePj)))
                     .OrderByDescending(g => g.Pj).Take(3))
            table.AddRow($"  {Markup.Escape(g.Key)}", $"{J(g.Pj * 1e-12 / r.Samples)} ({F(100 * g.Pj / r.Account.TotalPj, "F1")} %)");
        if (r.Power is { } power)
        {
            var n = Math.Max(1, r.Samples);
            var (label, leakage) = LeakageRow.Of(power, r.Samples);
            table.AddRow(Markup.Escape(label), Markup.Escape(leakage));
            table.AddRow("energy per inference: real time / full throughput", $"{J(power.RealTimeJ / n)} / {J(power.FullThroughputJ / n)}");
            table.AddRow("chip area", $"{F(power.AreaUm2 * 1e-6)} mm^2");
        }
        table.AddRow("latency per inference", $"{N(Math.Round(r.LatencyPerInferenceCycles))} cycles, {S(r.LatencyPerInferenceCycles / r.BaseClockHz)} (readout after the last step: {N(Math.Round(r.ReadoutLatencyCycles))} cycles)");
        table.AddRow("latency per timestep", $"{N(r.LatencyPerTimestepCycles)} cycles, {S(r.LatencyPerTimestepCycles / r.BaseClockHz)}");
        table.AddRow($"throughput ({r.Execution})", $"one step every {N(r.StepIntervalCycles)} cycles, {N(r.StepIntervalCycles <= 0 ? 0 : r.BaseClockHz / r.StepIntervalCycles)} steps/s");
        table.AddRow("real-time factor (hardware step / bin)", Quantity.Plain(r.LatencyPerTimestepCycles / r.BaseClockHz / r.TimestepSeconds));
        table.AddRow("sparsity: input / reservoir", $"{Pct(r.InputSparsity)} / {Pct(r.ReservoirSparsity)}");
        var activity = $"{Pct(r.ReservoirActivity)} (software {Pct(r.SoftwareReservoirActivity)})";
        table.AddRow("reservoir activity (neuron-steps with a spike)",
            r.Warnings.Count > 0 && ReservoirActivity.Warning(r.ReservoirActivity) is not null ? $"[yellow]{activity}[/]" : activity);
        // One row: the lock-step golden model keeps its own state, so it compares what the free-running software reservoir
        // does, and golden_spike_agreement equals free_running_spike_agreement up to the software's rounding (docs/metrics.md).
        table.AddRow("spike agreement with software (Jaccard)", Pct(r.GoldenSpikeAgreement));
        table.AddRow("macros / one-time programming energy", $"{r.Macros} / {J(r.ProgrammingEnergyJ)}");
        table.AddRow("wall time", F(r.WallSeconds, "F1") + " s");
        terminal.Console.Write(table);
        terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/] ({Markup.Escape(string.Join(", ", files))})");
    }
}
