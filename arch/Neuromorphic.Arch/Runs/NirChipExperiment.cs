using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Runs;

/// <summary>What a NIR network on the chip did over a labelled workload.</summary>
/// <param name="Program">The mapping.</param>
/// <param name="Result">The chip run (every sample scored), priced under the architecture's power policy (<see cref="ChipRunPower"/>).</param>
/// <param name="Accuracy">Share of samples whose chip output's most-spiking class is the label.</param>
/// <param name="SoftwareAccuracy">The same for the software model run in lock-step.</param>
/// <param name="Samples">Samples scored.</param>
/// <param name="Dt">The network's timestep, seconds.</param>
/// <param name="InputEvents">Active input channel-steps over the samples.</param>
/// <param name="Power">The power policy's summary of the run.</param>
/// <param name="Classes">Classes the network tells apart (its output width).</param>
/// <param name="TopOneAgreement">Share of samples whose chip class (the most-spiking output neuron) equals the software's.</param>
public sealed record NirChipRun(ChipProgram Program, ChipRunResult Result, double Accuracy, double SoftwareAccuracy, int Samples, double Dt, long InputEvents,
    PowerSummary Power, int Classes, double TopOneAgreement)
{
    /// <summary>
    /// The run's warnings: the chip run's own (<see cref="Reports.ChipRunFiles.Warnings"/>), then the chip's accuracy at or
    /// under chance and its top-1 agreement with software under <see cref="FailedChipResult.TopOneAgreementBound"/>.
    /// </summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = Reports.ChipRunFiles.Warnings(Program, Result);
        if (Samples == 0) return warnings;
        if (FailedChipResult.AtChance(Accuracy, Classes) is { } chance) warnings.Add(chance);
        if (FailedChipResult.TopOneDisagreement(TopOneAgreement, Samples) is { } top1) warnings.Add(top1);
        return warnings;
    }
}

/// <summary>
/// A pre-trained NIR classifier on the chip (a run configuration with <c>network: {nir: FILE}</c>):
/// the workload's samples (its test split when it has one, else every sample) run one after
/// another through the chip executor with the software model in lock-step; each side's class is the
/// output neuron with the most spikes (ties: the lowest index).
/// </summary>
public static class NirChipExperiment
{
    /// <summary>
    /// Runs <paramref name="config"/>; <paramref name="progress"/> hears the finished fraction; <paramref name="threads"/> load the
    /// workload, then run the chip executor (2: its function pass on a producer thread); results do not depend on it.
    /// </summary>
    public static NirChipRun Run(RunConfig config, Action<double>? progress = null, int threads = 1)
    {
        var spec = config.Network ?? throw new ArgumentException("the configuration has no network section");
        var network = NirReader.Read(spec.Nir);
        var output = network.Outputs.FirstOrDefault()?.Name ?? throw new InputFormatException(spec.Nir, "", "the network has no Output node");
        var samples = WorkloadLoader.Load(config.Workload, config.Encoding, config.Seed, f => progress?.Invoke(0.1 * f), threads: threads);
        if (samples.Any(s => s.Split == SampleSplit.Test)) samples = samples.Where(s => s.Split == SampleSplit.Test).ToList();
        var width = network.Inputs.Sum(i => Shape.Size(i.Shape));
        if (samples.Count > 0 && samples[0].Input.Channels != width)
            throw new InputFormatException(config.Origin, "encoding", $"the encoding gives {samples[0].Input.Channels} input channels but {Path.GetFileName(spec.Nir)} takes {width} (set crop, downsample and polarity to match)");
        var dt = spec.Dt ?? config.Encoding.TimestepSeconds;
        var program = NetworkMapper.Map(network, new ChipModel(config.Architecture), config.Seed, threads: threads);
        var executor = new ChipExecutor(program, dt, config.Seed, threads: threads);
        int chipRight = 0, softwareRight = 0, same = 0;
        long events = 0;
        for (var k = 0; k < samples.Count; k++)
        {
            var sample = samples[k];
            events += sample.Input.CountNonZero();
            var chip = ArgMaxOfCounts(executor.RunSample(sample.Input)[output]);
            var software = ArgMaxOfCounts(executor.LastSoftwareOutputs[output]);
            if (chip == sample.Label) chipRight++;
            if (software == sample.Label) softwareRight++;
            if (chip == software) same++;
            progress?.Invoke(0.1 + 0.9 * (k + 1) / samples.Count);
        }
        var n = Math.Max(1, samples.Count);
        var (result, power) = ChipRunPower.Price(program, executor, executor.Finish(), dt);
        var classes = network.Outputs.Sum(o => Shape.Size(o.Shape));
        return new NirChipRun(program, result, (double)chipRight / n, (double)softwareRight / n, samples.Count, dt, events, power, classes, (double)same / n);
    }

    /// <summary>The output channel with the most spikes over the sample (the first on ties; -1 if none spiked).</summary>
    public static int ArgMaxOfCounts(SpikeRaster output)
    {
        var counts = new double[output.Channels];
        for (var t = 0; t < output.Timesteps; t++)
        {
            var row = output.Row(t);
            for (var c = 0; c < counts.Length; c++) counts[c] += row[c];
        }
        var best = -1;
        var max = 0.0;
        for (var c = 0; c < counts.Length; c++)
            if (counts[c] > max) (best, max) = (c, counts[c]);
        return best;
    }
}
