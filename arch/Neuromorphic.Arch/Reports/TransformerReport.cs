using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>The run directory of a spike-driven transformer run: summary, per-layer costs, energy breakdown, cost table.</summary>
public static class TransformerReport
{
    /// <summary>The summary object.</summary>
    public static JsonObject Summary(RunConfig config, TransformerResult r) => new()
    {
        ["tool_version"] = typeof(TransformerReport).Assembly.GetName().Version?.ToString(),
        ["config"] = config.Origin,
        ["config_hash"] = config.ConfigHash,
        ["name"] = config.Name,
        ["seed"] = config.Seed,
        ["architecture"] = config.Architecture.Name,
        ["technology_nm"] = config.Architecture.TechnologyNm,
        ["base_clock_hz"] = r.BaseClockHz,
        ["model"] = r.Model,
        ["mode"] = config.Transformer!.Mode,
        ["parameters"] = r.Parameters,
        ["flops_first_conv"] = r.FlopsFirstConv,
        ["timesteps"] = r.Timesteps,
        ["mean_timesteps_run"] = r.MeanTimestepsRun,
        ["samples"] = r.Samples,
        ["macros"] = r.Macros,
        ["energy_per_inference_J"] = r.EnergyPerInferenceJ,
        ["theoretical_energy_J"] = r.TheoreticalEnergyJ,
        ["latency_cycles"] = r.LatencyCycles,
        ["latency_s"] = r.LatencyCycles / r.BaseClockHz,
        ["edp_Js"] = r.EnergyPerInferenceJ * r.LatencyCycles / r.BaseClockHz,
        ["activation_sparsity"] = r.ActivationSparsity,
        ["dense_synaptic_ops"] = r.DenseSynapticOps,
        ["effective_acs"] = r.EffectiveAcs,
        ["effective_macs"] = r.EffectiveMacs,
        ["membrane_updates"] = r.MembraneUpdates,
        ["footprint_bytes"] = r.FootprintBytes,
        ["connection_sparsity"] = 0.0,
        ["energy_per_synaptic_op_pJ"] = r.EffectiveAcs + r.EffectiveMacs == 0 ? 0 : r.EnergyPerInferenceJ * 1e12 / (r.EffectiveAcs + r.EffectiveMacs),
        ["accuracy"] = double.IsNaN(r.Accuracy) ? null : r.Accuracy,
        ["wall_s"] = r.WallSeconds,
    };

    /// <summary>Writes summary.json, layers.csv, energy_breakdown.csv and cost_table.csv.</summary>
    public static void Write(string directory, RunConfig config, TransformerResult r)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteText(Path.Combine(directory, "summary.json"),
            w => w.Write(Summary(config, r).ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        EnergyBreakdownCsv.Write(Path.Combine(directory, "energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(Path.Combine(directory, "cost_table.csv"), r.Costs);
        AtomicFile.WriteText(Path.Combine(directory, "layers.csv"), w =>
        {
            // NeuroBench per layer: dense and effective synaptic operations, membrane updates, footprint;
            // activation sparsity of the layer's input spikes; connection sparsity is 0 (dense random or rate-only weights).
            w.Write("layer,kind,target,input_rate,input_sparsity,dense_ops,effective_acs,effective_macs,membrane_updates,parameters,footprint_bytes,connection_sparsity,macros,energy_pJ,latency_cycles\n");
            foreach (var l in r.Layers)
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{l.Layer},{l.Kind},{l.Target},{l.InputRate:R},{1 - l.InputRate:R},{l.DenseOps:R},{l.EffectiveAcs:R},{l.EffectiveMacs:R},{l.MembraneUpdates:R},{l.Parameters},{l.Parameters * 4},0,{l.Macros},{l.EnergyPj:R},{l.LatencyCycles:R}\n"));
        });
    }
}
