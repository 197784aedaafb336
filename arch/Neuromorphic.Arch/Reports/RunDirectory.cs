using System.Globalization;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>
/// Writes a run directory (DESIGN.md section 4): <c>summary.json</c>, <c>energy_breakdown.csv</c>,
/// <c>latency_breakdown.csv</c>, <c>sparsity.csv</c>, <c>cost_table.csv</c>, and the chip executor's
/// <c>layers.csv</c> and <c>utilisation.csv</c>. Each file is written
/// atomically. Units are in the names; CSVs use invariant culture.
/// </summary>
public static class RunDirectory
{
    /// <summary>The run record (summary.json; also printed by <c>--json</c>).</summary>
    public static RunRecord Summary(RunConfig config, LsmResult r)
    {
        var record = SummaryWithoutPower(config, r);
        return r.Power is { } power ? power.AddTo(record, r.Samples) : record;
    }

    private static RunRecord SummaryWithoutPower(RunConfig config, LsmResult r)
    {
        var latencyS = r.LatencyPerInferenceCycles / r.BaseClockHz;
        var record = RunIdentity.Start(config)
            .Number("base_clock_hz", r.BaseClockHz)
            .Count("timesteps", r.Timesteps)
            .Number("timestep_s", r.TimestepSeconds)
            .Count("samples", r.Samples)
            .Count("train_samples", r.TrainSamples)
            .Count("validation_samples", r.ValidationSamples)
            .Count("test_samples", r.TestSamples)
            .Count("classes", r.Classes)
            .Count("neurons", r.Neurons)
            .Count("inputs", r.Inputs)
            .Count("macros", r.Macros)
            .Number("chip_area_um2", r.ChipAreaUm2)
            .Number("energy_J", r.EnergyJ)
            .Number("energy_per_inference_J", r.EnergyPerInferenceJ)
            .Number("latency_cycles", r.LatencyPerInferenceCycles)
            .Number("latency_s", latencyS)
            .Number("readout_latency_cycles", r.ReadoutLatencyCycles)
            .Number("latency_per_timestep_cycles", r.LatencyPerTimestepCycles)
            .Number("latency_per_timestep_s", r.LatencyPerTimestepCycles / r.BaseClockHz)
            .Text("execution", r.Execution)
            .Number("step_interval_cycles", r.StepIntervalCycles)
            .Number("throughput_steps_per_s", r.StepIntervalCycles <= 0 ? null : r.BaseClockHz / r.StepIntervalCycles)
            .Number("real_time_factor", r.LatencyPerTimestepCycles / r.BaseClockHz / r.TimestepSeconds)
            .Number("edp_Js", r.EnergyPerInferenceJ * latencyS)
            .Number("energy_per_synaptic_op_pJ", r.SynapticEvents == 0 ? double.NaN : r.EnergyJ * 1e12 / r.SynapticEvents)
            .Count("spikes", r.Spikes)
            .Count("input_events", r.InputEvents)
            .Count("synaptic_events", r.SynapticEvents)
            .Number("activation_sparsity", r.ReservoirSparsity)
            .Number("input_sparsity", r.InputSparsity)
            .Number("reservoir_activity", r.ReservoirActivity)
            .Number("software_reservoir_activity", r.SoftwareReservoirActivity)
            .Text("readout", r.Readouts.Count > 0 ? r.Readouts[0].Name : null)
            .Text("features", r.Readouts.Count > 0 ? r.Readouts[0].Features : null)
            .Number("accuracy", r.Accuracy)
            .Number("train_accuracy", r.TrainAccuracy)
            .Number("software_accuracy", r.SoftwareAccuracy)
            .Number("baseline_accuracy", r.BaselineAccuracy)
            .Number("ridge_lambda", r.Lambda)
            .Number("golden_spike_agreement", r.GoldenSpikeAgreement)
            .Number("free_running_spike_agreement", r.FreeRunningSpikeAgreement)
            .Number("programming_energy_J", r.ProgrammingEnergyJ)
            .Number("wall_s", r.WallSeconds);
        foreach (var score in r.Readouts)
        {
            // Every readout's figures under its own name, the headline's too (sweeps can pick either).
            record.Number($"{score.Name}_accuracy", score.Accuracy)
                .Number($"{score.Name}_train_accuracy", score.TrainAccuracy)
                .Number($"{score.Name}_software_accuracy", score.SoftwareAccuracy)
                .Number($"{score.Name}_baseline_accuracy", score.BaselineAccuracy);
            if (score.Kind == ReadoutKind.Softmax) record.Count("softmax_steps", score.Steps);
        }
        return record.List("warnings", r.Warnings);
    }

    /// <summary>Writes every file of the run directory.</summary>
    /// <returns>The names of the files written, in the order written (what the command line lists).</returns>
    public static IReadOnlyList<string> Write(string directory, RunConfig config, LsmResult r)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string File(string name)
        {
            written.Add(name);
            return Path.Combine(directory, name);
        }
        Summary(config, r).WriteSummary(directory);
        written.Add(RunRecord.SummaryFileName);
        EnergyBreakdownCsv.Write(File("energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(File("cost_table.csv"), r.Costs);
        var ns = 1e9 / r.BaseClockHz;
        AtomicFile.WriteText(File("latency_breakdown.csv"), w =>
        {
            w.Write("timestep,latency_cycles,latency_ns\n");
            for (var t = 0; t < r.LatencyByTimestepCycles.Length; t++)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{t},{r.LatencyByTimestepCycles[t]:R},{r.LatencyByTimestepCycles[t] * ns:R}\n"));
        });
        // The chip executor's files: per node (the golden model's divergence among them) and per unit.
        if (r.Program is not null && r.ChipRun is not null)
        {
            ChipRunFiles.WriteLayers(directory, r.Program, r.ChipRun);
            written.Add(ChipRunFiles.LayersFileName);
            ChipRunFiles.WriteUtilisation(directory, r.ChipRun);
            written.Add(ChipRunFiles.UtilisationFileName);
        }
        // Spike rasters of the first sample (rows = timesteps, columns = neurons, no header) for the report.
        if (r.FirstInput is not null) RasterCsv.Write(File("spikes_input.csv"), r.FirstInput);
        if (r.FirstReservoir is not null) RasterCsv.Write(File("spikes_reservoir.csv"), r.FirstReservoir);
        AtomicFile.WriteText(File("sparsity.csv"), w =>
        {
            w.Write("layer,timestep,activity,sparsity\n");
            foreach (var (layer, activity) in new[] { ("input", r.InputActivityByTimestep), ("reservoir", r.ReservoirActivityByTimestep) })
                for (var t = 0; t < activity.Length; t++)
                    w.Write(string.Create(CultureInfo.InvariantCulture, $"{layer},{t},{activity[t]:R},{1 - activity[t]:R}\n"));
        });
        return written;
    }
}
