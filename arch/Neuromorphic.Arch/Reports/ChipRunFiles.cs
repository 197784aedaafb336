using System.Globalization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>
/// The run directory of a network run on the chip: <c>summary.json</c>, <c>energy_breakdown.csv</c>,
/// <c>cost_table.csv</c>, <c>latency_breakdown.csv</c> (per timestep), <c>sparsity.csv</c> (per
/// population and timestep), <c>layers.csv</c> (per node: macros, reads, spikes on chip and in
/// software, spike agreement, energy, latency), <c>utilisation.csv</c> (per unit: busy share, queue
/// occupancy), and the chip's and the software's output activity. Every file is written atomically.
/// </summary>
public static class ChipRunFiles
{
    /// <summary>The summary values (also printed by the CLI), under the metric catalogue's names.</summary>
    /// <param name="program">The mapping.</param>
    /// <param name="r">The run, priced under <paramref name="power"/>'s policy (<see cref="Runs.ChipRunPower.Price"/>).</param>
    /// <param name="network">The network's name.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="dt">The network's timestep.</param>
    /// <param name="power">The policy the account was priced under, its figures added at the end; null: the executor's own account (leakage over the busy time, idle) and no power figures.</param>
    /// <param name="warnings">The run's warnings (default: <see cref="Warnings"/> of <paramref name="r"/>; a labelled run adds its accuracy's).</param>
    public static RunRecord Summary(ChipProgram program, ChipRunResult r, string network, ulong seed, double dt, PowerSummary? power = null,
        IReadOnlyList<string>? warnings = null)
    {
        var perInference = r.Samples == 0 ? 0 : (double)r.TotalCycles / r.Samples;
        var latencyS = perInference / r.BaseClockHz;
        var energyPerInference = r.Samples == 0 ? 0 : r.EnergyJ / r.Samples;
        var populations = r.Layers.Where(l => l.Kind == "population").ToList();
        var either = populations.Sum(l => l.EitherSpiked);
        var golden = populations.Any(l => l.SoftwareSpikes >= 0);
        var record = new RunRecord()
            .Text("tool_version", typeof(ChipRunFiles).Assembly.GetName().Version?.ToString())
            .Text("network", network)
            .Text("architecture", program.Chip.Spec.Name)
            .Text("execution", r.Execution)
            .Text("neuron_placement", Architecture.ArchitectureChoices.NeuronPlacement.Name(program.Chip.Spec.Chip.NeuronPlacement))
            .Text("word_lines", program.Chip.Spec.Mapping.WordLines.ToString().ToLowerInvariant())
            .Text("macro_order", program.Chip.Spec.Mapping.MacroOrderName)
            .Text("one_signed_layers", program.Chip.Spec.Mapping.OneSignedLayersName)
            .Count("seed", seed)
            .Number("technology_nm", program.Chip.Spec.TechnologyNm)
            .Number("base_clock_hz", r.BaseClockHz)
            .Number("timestep_s", dt)
            .Count("samples", r.Samples)
            .Count("timesteps", r.Samples == 0 ? 0 : r.Timesteps / r.Samples)
            .Count("macros", program.MacrosUsed)
            .Count("tiles", program.TilesUsed)
            .Count("neurons", program.Neurons)
            .Number("energy_J", r.EnergyJ)
            .Number("dynamic_energy_J", r.Account.DynamicPj * 1e-12)
            .Number("energy_per_inference_J", energyPerInference)
            // Without a power summary the account is the executor's own, which leaks over the busy time (ChipExecutor.Finish).
            .Text("power_gating", power?.GatingName ?? "idle")
            .Number("latency_cycles", perInference)
            .Number("latency_s", latencyS)
            .Number("latency_per_timestep_cycles", r.LatencyPerTimestepCycles)
            .Number("latency_per_timestep_s", r.LatencyPerTimestepCycles / r.BaseClockHz)
            .Number("max_latency_per_timestep_s", r.StepLatencyCycles.Length == 0 ? 0 : r.StepLatencyCycles.Max() / r.BaseClockHz)
            .Number("step_interval_cycles", r.StepIntervalCycles)
            .Number("throughput_steps_per_s", r.StepIntervalCycles <= 0 ? null : r.ThroughputStepsPerSecond)
            .Number("real_time_factor", r.LatencyPerTimestepCycles / r.BaseClockHz / dt)
            .Number("edp_Js", energyPerInference * latencyS)
            .Count("spikes", r.Spikes)
            .Count("macro_operations", r.Layers.Sum(l => l.Reads))
            .Number("activation_sparsity", 1 - MeanActivity(r))
            .Number("free_running_spike_agreement", !golden || either == 0 ? null : (double)populations.Sum(l => l.BothSpiked) / either)
            .Count("fixed_point_saturations", r.Saturations)
            .List("warnings", warnings ?? Warnings(program, r));
        return power is null ? record : power.AddFigures(record, r.Samples);
    }

    /// <summary>
    /// What the chip run itself shows has gone wrong (the run's <c>warnings</c>): a layer silent on the chip while the
    /// software's fired (<see cref="FailedChipResult.SilentLayers"/>), and fixed-point results the neuron core saturated.
    /// </summary>
    public static List<string> Warnings(ChipProgram program, ChipRunResult r)
    {
        var warnings = new List<string>();
        var populations = program.Plan.Order.Select(i => r.Layers[i]).Where(l => l.Kind == "population");
        if (FailedChipResult.SilentLayers(populations.Select(l => (l.Node, l.ChipSpikes, l.SoftwareSpikes))) is { } silent) warnings.Add(silent);
        if (r.Saturations > 0) warnings.Add($"{r.Saturations} neuron-core results saturated (raise neuron_core.membrane_bits)");
        return warnings;
    }

    private static double MeanActivity(ChipRunResult r)
    {
        var populations = r.Layers.Where(l => l.Kind == "population").ToList();
        return populations.Count == 0 ? 0 : populations.Average(l => l.Activity);
    }

    /// <summary>Writes the directory.</summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="program">The mapping.</param>
    /// <param name="r">The run.</param>
    /// <param name="network">The network's name.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="dt">The network's timestep.</param>
    /// <param name="summary">The summary to write (default: <see cref="Summary"/>; experiments add their metrics to it).</param>
    public static void Write(string directory, ChipProgram program, ChipRunResult r, string network, ulong seed, double dt, RunRecord? summary = null)
    {
        Directory.CreateDirectory(directory);
        (summary ?? Summary(program, r, network, seed, dt)).WriteSummary(directory);
        EnergyBreakdownCsv.Write(Path.Combine(directory, "energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(Path.Combine(directory, "cost_table.csv"), r.Costs);
        var ns = 1e9 / r.BaseClockHz;
        AtomicFile.WriteText(Path.Combine(directory, "latency_breakdown.csv"), w =>
        {
            w.Write("timestep,latency_cycles,latency_ns\n");
            for (var t = 0; t < r.StepLatencyCycles.Length; t++)
                w.Write(F($"{t},{r.StepLatencyCycles[t]},{r.StepLatencyCycles[t] * ns:R}\n"));
        });
        AtomicFile.WriteText(Path.Combine(directory, "sparsity.csv"), w =>
        {
            w.Write("layer,timestep,activity,sparsity\n");
            foreach (var (layer, activity) in r.ActivityByStep.OrderBy(p => program.Network.IndexOf(p.Key)))
                for (var t = 0; t < activity.Count; t++) w.Write(F($"{layer},{t},{activity[t]:R},{1 - activity[t]:R}\n"));
        });
        WriteLayers(directory, program, r);
        WriteUtilisation(directory, r);
        foreach (var (name, raster) in r.ChipOutputs) RasterCsv.Write(Path.Combine(directory, $"output_chip_{name}.csv"), raster);
        foreach (var (name, raster) in r.SoftwareOutputs) RasterCsv.Write(Path.Combine(directory, $"output_software_{name}.csv"), raster);
    }

    /// <summary>The file <see cref="WriteLayers"/> writes.</summary>
    public const string LayersFileName = "layers.csv";

    /// <summary>The file <see cref="WriteUtilisation"/> writes.</summary>
    public const string UtilisationFileName = "utilisation.csv";

    /// <summary>
    /// Writes <c>layers.csv</c> (per node in evaluation order: macros, reads, spikes on the chip and in the
    /// golden model, the cells' and the spikes' agreement, energy, latency) and nothing else.
    /// </summary>
    public static void WriteLayers(string directory, ChipProgram program, ChipRunResult r)
    {
        AtomicFile.WriteText(Path.Combine(directory, LayersFileName), w =>
        {
            w.Write("layer,kind,target,macros,row_group_reads,chip_spikes,software_spikes,cell_agreement,spike_jaccard,max_abs_difference,neuron_updates,activity,energy_pJ,latency_cycles\n");
            foreach (var l in program.Plan.Order.Select(i => r.Layers[i]))
            {
                var target = l.Kind switch { "crossbar" => "rram", "population" or "digital" => "neuron_core", _ => "" };
                var agreement = double.IsNaN(l.CellAgreement) ? "" : l.CellAgreement.ToString("R", CultureInfo.InvariantCulture);
                var software = l.SoftwareSpikes < 0 ? "" : l.SoftwareSpikes.ToString(CultureInfo.InvariantCulture);
                w.Write(F($"{Csv(l.Node)},{l.Kind},{target},{l.Macros},{l.Reads},{l.ChipSpikes},{software},{agreement},{(double.IsNaN(l.SpikeJaccard) ? "" : l.SpikeJaccard.ToString("R", CultureInfo.InvariantCulture))},{l.MaxAbsDifference:R},{l.NeuronUpdates},{l.Activity:R},{l.EnergyPj:R},{l.BusyCycles}\n"));
            }
        });
    }

    /// <summary>Writes <c>utilisation.csv</c> (per unit: busy share, queue occupancy, waits).</summary>
    public static void WriteUtilisation(string directory, ChipRunResult r)
    {
        AtomicFile.WriteText(Path.Combine(directory, UtilisationFileName), w =>
        {
            w.Write("unit,kind,busy_cycles,busy_share,arrivals,mean_queue_occupancy,max_queue_occupancy,mean_wait_cycles\n");
            foreach (var u in r.Units)
            {
                var total = Math.Max(1, r.TotalCycles);
                w.Write(F($"{u.Name},{u.Kind},{u.BusyCycles},{(double)u.BusyCycles / total:R},{u.Arrivals},{u.QueueArea / total:R},{u.MaxQueueLength},{(u.Arrivals == 0 ? 0 : (double)u.WaitCycles / u.Arrivals):R}\n"));
            }
        });
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
