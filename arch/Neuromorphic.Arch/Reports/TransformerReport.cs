using System.Globalization;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>The run directory of a spike-driven transformer run: summary, per-layer costs, energy breakdown, cost table.</summary>
public static class TransformerReport
{
    /// <summary>The run record (summary.json; also printed by <c>--json</c>).</summary>
    public static RunRecord Summary(RunConfig config, TransformerResult r)
    {
        var record = RunIdentity.Start(config)
            .Number("base_clock_hz", r.BaseClockHz)
            .Text("model", r.Model)
            .Text("mode", config.Transformer!.Mode)
            .Count("parameters", r.Parameters)
            .Number("flops_first_conv", r.FlopsFirstConv)
            .Count("timesteps", r.Timesteps)
            .Number("mean_timesteps_run", r.MeanTimestepsRun)
            .Count("samples", r.Samples)
            .Count("macros", r.Macros)
            .Count("tiles", r.Tiles)
            .Number("chip_area_um2", r.ChipAreaUm2)
            .Text("pricing", r.Pricing)
            .Text("chip_compute", r.ChipCompute)
            .Number("energy_per_inference_J", r.EnergyPerInferenceJ)
            .Number("dynamic_energy_per_inference_J", r.Layers.Sum(l => l.EnergyPj) * 1e-12)
            .Number("rate_based_dynamic_energy_per_inference_J", r.RateBasedDynamicEnergyJ)
            .Map("dynamic_energy_by_timestep_J", r.PerTimestep.Select((x, i) => new KeyValuePair<string, double>((i + 1).ToString(CultureInfo.InvariantCulture), x.EnergyJ)))
            .Number("theoretical_energy_J", r.TheoreticalEnergyJ)
            .Number("latency_cycles", r.LatencyCycles)
            .Number("latency_s", r.LatencyCycles / r.BaseClockHz)
            .Number("edp_Js", r.EnergyPerInferenceJ * r.LatencyCycles / r.BaseClockHz)
            .Number("activation_sparsity", r.ActivationSparsity)
            .Number("dense_synaptic_ops", r.DenseSynapticOps)
            .Number("effective_acs", r.EffectiveAcs)
            .Number("effective_macs", r.EffectiveMacs)
            .Number("membrane_updates", r.MembraneUpdates)
            .Count("footprint_bytes", r.FootprintBytes)
            .Number("connection_sparsity", 0.0)
            .Number("energy_per_synaptic_op_pJ", r.EffectiveAcs + r.EffectiveMacs == 0 ? double.NaN : r.EnergyPerInferenceJ * 1e12 / (r.EffectiveAcs + r.EffectiveMacs))
            .Number("accuracy", r.Accuracy)
            .Number("software_accuracy", r.SoftwareAccuracy)
            .Number("chip_software_agreement", r.ChipSoftwareAgreement)
            .Number("layer_spike_agreement", LayerComparison.SpikeAgreement(r.Agreement))
            .Number("layer_spike_jaccard", LayerComparison.SpikeJaccardOf(r.Agreement))
            .Text("first_diverging_layer", r.Agreement.FirstOrDefault(a => a.Elements > 0 && a.Agreement < 1)?.Layer)
            .Number("wall_s", r.WallSeconds)
            .List("warnings", Warnings(config, r));
        // The power policy's figures (images back to back: the real-time period is the busy time).
        return r.Power is { } power ? power.AddTo(record, r.Samples) : record;
    }

    /// <summary>
    /// The run's warnings: the experiment's own (<see cref="TransformerResult.Warnings"/>: a balanced sample count the
    /// dataset cannot meet), then <see cref="FailedChipResult"/>'s: a spiking layer silent on the chip while the software's
    /// fired, the chip's accuracy at or under chance, its top-1 agreement with software under the bound.
    /// </summary>
    public static List<string> Warnings(RunConfig config, TransformerResult r)
    {
        var warnings = new List<string>(r.Warnings);
        if (FailedChipResult.SilentLayers(r.Agreement.Where(a => a.Spiking && a.Elements > 0).Select(a => (a.Layer, a.ChipSpikes, a.SoftwareSpikes))) is { } silent)
            warnings.Add(silent);
        if (FailedChipResult.AtChance(r.Accuracy, config.Transformer!.Classes) is { } chance) warnings.Add(chance);
        if (FailedChipResult.TopOneDisagreement(r.ChipSoftwareAgreement, r.Outcomes.Count) is { } top1) warnings.Add(top1);
        return warnings;
    }

    /// <summary>Writes summary.json, layers.csv, energy_breakdown.csv and cost_table.csv.</summary>
    public static void Write(string directory, RunConfig config, TransformerResult r)
    {
        Directory.CreateDirectory(directory);
        Summary(config, r).WriteSummary(directory);
        EnergyBreakdownCsv.Write(Path.Combine(directory, "energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(Path.Combine(directory, "cost_table.csv"), r.Costs);
        AtomicFile.WriteText(Path.Combine(directory, "layers.csv"), w =>
        {
            // NeuroBench per layer: dense and effective synaptic operations, membrane updates, footprint;
            // activation sparsity of the layer's input spikes; connection sparsity is 0 (dense random or rate-only weights).
            // energy_pJ / latency_cycles: as priced (event-driven in functional mode); beside them the rate-based
            // estimate from the same firing rates and the papers' theoretical energy (0.9 pJ AC / 4.6 pJ MAC).
            w.Write("layer,kind,target,input_rate,input_sparsity,dense_ops,effective_acs,effective_macs,membrane_updates,parameters,footprint_bytes,connection_sparsity,macros,energy_pJ,latency_cycles,pricing,energy_rate_based_pJ,latency_rate_based_cycles,energy_theoretical_pJ,chip_software_agreement,chip_spikes,software_spikes,max_abs_difference,spike_jaccard\n");
            var rateBased = r.RateBasedLayers.ToDictionary(l => l.Layer);
            var agreement = r.Agreement.ToDictionary(a => a.Layer);
            foreach (var l in r.Layers)
            {
                var rb = rateBased.GetValueOrDefault(l.Layer);
                var a = agreement.GetValueOrDefault(l.Layer);
                var spikes = a is { Spiking: true, Elements: > 0 };
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{l.Layer},{l.Kind},{l.Target},{l.InputRate:R},{1 - l.InputRate:R},{l.DenseOps:R},{l.EffectiveAcs:R},{l.EffectiveMacs:R},{l.MembraneUpdates:R},{l.Parameters},{l.Parameters * 4},0,{l.Macros},{l.EnergyPj:R},{l.LatencyCycles:R},{r.Pricing},{rb?.EnergyPj ?? double.NaN:R},{rb?.LatencyCycles ?? double.NaN:R},{r.TheoreticalLayerPj.GetValueOrDefault(l.Layer):R},{a?.Agreement ?? double.NaN:R},{(spikes ? a!.ChipSpikes.ToString(CultureInfo.InvariantCulture) : "")},{(spikes ? a!.SoftwareSpikes.ToString(CultureInfo.InvariantCulture) : "")},{a?.MaxAbsDifference ?? double.NaN:R},{(spikes && !double.IsNaN(a!.SpikeJaccard) ? a.SpikeJaccard.ToString("R", CultureInfo.InvariantCulture) : "")}\n"));
            }
        });
    }
}
