namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// The summary metrics a sweep can tabulate or optimise: the numeric keys of an LSM run's and a
/// transformer run's <c>summary.json</c> (<see cref="Reports.RunDirectory.Summary"/>,
/// <see cref="Reports.TransformerReport.Summary"/>). A misspelt name would give an empty column and an
/// empty Pareto front, so the loader refuses names outside this list.
/// </summary>
public static class SweepMetrics
{
    /// <summary>Every metric name.</summary>
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // LSM runs
        "technology_nm", "base_clock_hz", "timesteps", "timestep_s", "samples", "train_samples", "validation_samples", "test_samples",
        "classes", "neurons", "inputs", "macros", "chip_area_um2", "energy_J", "energy_per_inference_J", "latency_cycles", "latency_s",
        "latency_per_timestep_cycles", "latency_per_timestep_s", "real_time_factor", "edp_Js", "energy_per_synaptic_op_pJ", "spikes",
        "input_events", "synaptic_events", "activation_sparsity", "input_sparsity", "accuracy", "train_accuracy", "software_accuracy",
        "baseline_accuracy", "ridge_lambda", "golden_spike_agreement", "free_running_spike_agreement", "programming_energy_J",
        // transformer runs
        "parameters", "flops_first_conv", "mean_timesteps_run", "theoretical_energy_J", "dense_synaptic_ops", "effective_acs",
        "effective_macs", "membrane_updates", "footprint_bytes", "connection_sparsity",
    };

    /// <summary>A hint for a misspelt name: the closest known names.</summary>
    public static string Suggest(string name)
    {
        var close = Known.OrderBy(k => Distance(k.ToLowerInvariant(), name.ToLowerInvariant())).ThenBy(k => k, StringComparer.Ordinal).Take(3);
        return "did you mean " + string.Join(", ", close) + "?";
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
