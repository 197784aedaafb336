using System.Globalization;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Recording;

namespace Neuromorphic.Arch.Replay;

/// <summary>
/// Recording and replaying an LSM run: the trace holds, per sample, the input spikes, the chip
/// reservoir's spikes and the software reservoir's spikes, the labels and splits, and the run
/// configuration, seed, network hash and lock-step agreement counts.
/// </summary>
public static class LsmTrace
{
    /// <summary>Population names in the trace.</summary>
    public const string Input = "input", Reservoir = "reservoir", Software = "software_reservoir";

    /// <summary>The trace of a run.</summary>
    public static SpikeTrace FromRun(RunConfig config, IReadOnlyList<LsmSample> samples, LsmResult result)
    {
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = "lsm",
            ["config"] = config.Text,
            ["config_hash"] = config.ConfigHash,
            ["seed"] = config.Seed.ToString(CultureInfo.InvariantCulture),
            ["network_hash"] = result.NetworkHash,
            ["architecture"] = config.Architecture.Name,
            ["golden_agree"] = result.GoldenCounts.Agree.ToString(CultureInfo.InvariantCulture),
            ["golden_chip_only"] = result.GoldenCounts.ChipOnly.ToString(CultureInfo.InvariantCulture),
            ["golden_golden_only"] = result.GoldenCounts.GoldenOnly.ToString(CultureInfo.InvariantCulture),
            ["splits"] = new string(samples.Select(s => s.Split switch { SampleSplit.Train => 'R', SampleSplit.Test => 'T', _ => 'U' }).ToArray()),
        };
        return new SpikeTrace
        {
            Populations = [new(Input, samples[0].Input.Channels), new(Reservoir, result.Neurons), new(Software, result.Neurons)],
            Timesteps = result.Timesteps,
            Dt = result.TimestepSeconds,
            Samples = samples.Select((s, i) => new TraceSample(s.Label, [s.Input, result.ChipSpikes[i], result.SoftwareSpikes[i]])).ToList(),
            Metadata = metadata,
        };
    }

    /// <summary>The run configuration a trace was recorded with.</summary>
    public static RunConfig Config(SpikeTrace trace, string file)
    {
        if (!trace.Metadata.TryGetValue("config", out var text) || trace.Metadata.GetValueOrDefault("kind") != "lsm")
            throw new InputFormatException(file, "header", "not an LSM trace (no run configuration in its metadata)");
        return RunConfigLoader.Parse(text, $"{file} (recorded configuration)");
    }

    /// <summary>
    /// Replays a trace through <paramref name="config"/>'s architecture (the recorded one, or another), the chip
    /// executor on <paramref name="threads"/> threads (results do not depend on it).
    /// </summary>
    public static LsmResult Replay(SpikeTrace trace, RunConfig config, string file, Action<double>? progress = null,
        Neuromorphic.Arch.Execution.ILsmChipProbe? probe = null, int threads = 1)
    {
        int input = Find(trace, Input, file), reservoir = Find(trace, Reservoir, file), software = Find(trace, Software, file);
        if (trace.Populations[reservoir].Size != config.Lsm.Neurons)
            throw new InputFormatException(file, $"population '{Reservoir}'", $"has {trace.Populations[reservoir].Size} neurons, the configuration's reservoir {config.Lsm.Neurons}");
        if (trace.Samples.Count == 0) throw new InputFormatException(file, "header", "the trace holds no samples");
        if (trace.Populations[input].Size == 0) throw new InputFormatException(file, $"population '{Input}'", "has no channels");
        for (var i = 0; i < trace.Samples.Count; i++)
        {
            // Labels index the readout's classes: one outside the configuration's would invent classes.
            var label = trace.Samples[i].Label;
            if (label < 0 || config.Workload.Kind == "builtin" && label >= config.Workload.Classes)
                throw new InputFormatException(file, $"sample {i}", $"label {label} is outside the recorded configuration's classes [0, {(config.Workload.Kind == "builtin" ? config.Workload.Classes : int.MaxValue)})");
        }
        var splits = trace.Metadata.GetValueOrDefault("splits") ?? "";
        var samples = trace.Samples.Select((s, i) => new LsmSample(s.Populations[input], s.Label,
            i < splits.Length ? splits[i] switch { 'R' => SampleSplit.Train, 'T' => SampleSplit.Test, _ => SampleSplit.Unassigned } : SampleSplit.Unassigned)).ToList();
        long Count(string key) => long.TryParse(trace.Metadata.GetValueOrDefault(key, "0"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new InputFormatException(file, $"header, metadata '{key}'", $"'{trace.Metadata[key]}' is not a count");
        return LsmExperiment.Replay(config.Architecture, config.Lsm, config.Readout, samples,
            trace.Samples.Select(s => s.Populations[reservoir]).ToList(), trace.Samples.Select(s => s.Populations[software]).ToList(),
            (Count("golden_agree"), Count("golden_chip_only"), Count("golden_golden_only")), trace.Dt, config.Seed, progress, probe, threads);
    }

    private static int Find(SpikeTrace trace, string population, string file)
    {
        var index = trace.IndexOf(population);
        return index >= 0 ? index : throw new InputFormatException(file, "header", $"no population '{population}' (it has {string.Join(", ", trace.Populations.Select(p => p.Name))})");
    }
}
