using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>
/// Writes a run directory (DESIGN.md section 4): <c>summary.json</c>, <c>energy_breakdown.csv</c>,
/// <c>latency_breakdown.csv</c>, <c>sparsity.csv</c>, <c>cost_table.csv</c>. Each file is written
/// atomically. Units are in the names; CSVs use invariant culture.
/// </summary>
public static class RunDirectory
{
    /// <summary>The summary object (also printed by <c>--json</c>).</summary>
    public static JsonObject Summary(RunConfig config, LsmResult r)
    {
        var latencyS = r.LatencyPerInferenceCycles / r.BaseClockHz;
        return new JsonObject
        {
            ["tool_version"] = typeof(RunDirectory).Assembly.GetName().Version?.ToString(),
            ["config"] = config.Origin,
            ["config_hash"] = config.ConfigHash,
            ["name"] = config.Name,
            ["seed"] = config.Seed,
            ["architecture"] = config.Architecture.Name,
            ["technology_nm"] = config.Architecture.TechnologyNm,
            ["base_clock_hz"] = r.BaseClockHz,
            ["timesteps"] = r.Timesteps,
            ["timestep_s"] = r.TimestepSeconds,
            ["samples"] = r.Samples,
            ["train_samples"] = r.TrainSamples,
            ["validation_samples"] = r.ValidationSamples,
            ["test_samples"] = r.TestSamples,
            ["classes"] = r.Classes,
            ["neurons"] = r.Neurons,
            ["inputs"] = r.Inputs,
            ["macros"] = r.Macros,
            ["chip_area_um2"] = r.ChipAreaUm2,
            ["energy_J"] = r.EnergyJ,
            ["energy_per_inference_J"] = r.EnergyPerInferenceJ,
            ["latency_cycles"] = r.LatencyPerInferenceCycles,
            ["latency_s"] = latencyS,
            ["latency_per_timestep_cycles"] = r.LatencyPerTimestepCycles,
            ["latency_per_timestep_s"] = r.LatencyPerTimestepCycles / r.BaseClockHz,
            ["real_time_factor"] = r.LatencyPerTimestepCycles / r.BaseClockHz / r.TimestepSeconds,
            ["edp_Js"] = r.EnergyPerInferenceJ * latencyS,
            ["energy_per_synaptic_op_pJ"] = r.SynapticEvents == 0 ? 0 : r.EnergyJ * 1e12 / r.SynapticEvents,
            ["spikes"] = r.Spikes,
            ["input_events"] = r.InputEvents,
            ["synaptic_events"] = r.SynapticEvents,
            ["activation_sparsity"] = r.ReservoirSparsity,
            ["input_sparsity"] = r.InputSparsity,
            ["accuracy"] = r.Accuracy,
            ["train_accuracy"] = r.TrainAccuracy,
            ["software_accuracy"] = r.SoftwareAccuracy,
            ["baseline_accuracy"] = r.BaselineAccuracy,
            ["ridge_lambda"] = r.Lambda,
            ["golden_spike_agreement"] = r.GoldenSpikeAgreement,
            ["free_running_spike_agreement"] = r.FreeRunningSpikeAgreement,
            ["programming_energy_J"] = r.ProgrammingEnergyJ,
            ["wall_s"] = r.WallSeconds,
        };
    }

    /// <summary>Writes every file of the run directory.</summary>
    public static void Write(string directory, RunConfig config, LsmResult r)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteText(Path.Combine(directory, "summary.json"),
            w => w.Write(Summary(config, r).ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        EnergyBreakdownCsv.Write(Path.Combine(directory, "energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(Path.Combine(directory, "cost_table.csv"), r.Costs);
        var ns = 1e9 / r.BaseClockHz;
        AtomicFile.WriteText(Path.Combine(directory, "latency_breakdown.csv"), w =>
        {
            w.Write("timestep,latency_cycles,latency_ns\n");
            for (var t = 0; t < r.LatencyByTimestepCycles.Length; t++)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{t},{r.LatencyByTimestepCycles[t]:R},{r.LatencyByTimestepCycles[t] * ns:R}\n"));
        });
        // Spike rasters of the first sample (rows = timesteps, columns = neurons, no header) for the report.
        if (r.FirstInput is not null) RasterCsv.Write(Path.Combine(directory, "spikes_input.csv"), r.FirstInput);
        if (r.FirstReservoir is not null) RasterCsv.Write(Path.Combine(directory, "spikes_reservoir.csv"), r.FirstReservoir);
        AtomicFile.WriteText(Path.Combine(directory, "sparsity.csv"), w =>
        {
            w.Write("layer,timestep,activity,sparsity\n");
            foreach (var (layer, activity) in new[] { ("input", r.InputActivityByTimestep), ("reservoir", r.ReservoirActivityByTimestep) })
                for (var t = 0; t < activity.Length; t++)
                    w.Write(string.Create(CultureInfo.InvariantCulture, $"{layer},{t},{activity[t]:R},{1 - activity[t]:R}\n"));
        });
    }
}
