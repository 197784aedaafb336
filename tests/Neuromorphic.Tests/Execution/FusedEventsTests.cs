using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// CUBA's projections add their events straight into the ideal neuron core's conductances (<c>CrossbarRuntime.FuseInto</c>)
/// instead of writing event counts for the core to turn back into additions of the weight. The reference is the same chip
/// with every crossbar writing its output (the path before the fusion): the same spikes step by step and the same counts in
/// the ledger, at one and two threads, in a quiet network (single events, a few rows per block) and a busy one (many events
/// per neuron and step, and groups of rows past the ADC's exact range, whose steps are not fused).
/// </summary>
public sealed class FusedEventsTests
{
    private static readonly CubaParameters Quiet = new() { Neurons = 600 };

    // Leak far above the threshold, a short refractory period and strong excitation: the neurons fire in bursts, many of a
    // row group at once.
    private static readonly CubaParameters Busy = new() { Neurons = 600, Leak = -20, Refractory = 0.2, SynapsesPerNeuron = 300, WeightExcitatory = 10, WeightInhibitory = -1 };

    [TestCase(false, 1)]
    [TestCase(false, 2)]
    [TestCase(true, 1)]
    [TestCase(true, 2)]
    public void Fused_reads_give_the_spikes_and_counts_of_written_outputs(bool busy, int threads)
    {
        var parameters = busy ? Busy : Quiet;
        const int Steps = 300;
        var (fused, fusedSteps, unfusedSteps, fusedLedger, fusedResult) = Run(parameters, Steps, threads, fuse: true);
        var (written, _, stepsOfWritten, writtenLedger, writtenResult) = Run(parameters, Steps, threads, fuse: false);

        Assert.That(fused.Sum(s => s.Length), Is.GreaterThan(Steps / 3), "the network fires");
        Assert.That(fusedSteps, Is.GreaterThan(0), "steps were fused");
        Assert.That(stepsOfWritten, Is.GreaterThan(0));
        if (busy && threads == 1) Assert.That(unfusedSteps, Is.GreaterThan(0), "some steps fill a group past the ADC's exact range");
        Assert.That(fused.Count, Is.EqualTo(Steps));
        for (var t = 0; t < Steps; t++) Assert.That(fused[t], Is.EqualTo(written[t]), $"step {t}");
        Assert.That(fusedLedger, Is.EqualTo(writtenLedger));
        // Per node (the crossbars' activity included: each fused output listed got at least one event), and the timing.
        Assert.That(fusedResult.Layers, Is.EqualTo(writtenResult.Layers));
        Assert.That(fusedResult.StepLatencyCycles, Is.EqualTo(writtenResult.StepLatencyCycles));
        Assert.That(fusedResult.TotalCycles, Is.EqualTo(writtenResult.TotalCycles));
    }

    private static (List<int[]> Spikes, int Fused, int NotFused, List<(string, string, string, long)> Ledger, ChipRunResult Result) Run(
        CubaParameters parameters, int steps, int threads, bool fuse)
    {
        const ulong Seed = 7;
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var cuba = CubaNetwork.Build(parameters, Seed);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, Seed));
        var program = NetworkMapper.Map(network, new ChipModel(spec), Seed);
        var executor = new ChipExecutor(program, parameters.Dt * 1e-3, Seed, golden: false, idealNeuronCore: true, threads: threads);
        var crossbars = executor.FusedCrossbars.ToArray();
        Assert.That(crossbars, Has.Length.EqualTo(2), "both projections fuse into the neurons");
        if (!fuse) executor.UnfuseEvents();
        var spikes = new List<int[]>();
        int fusedSteps = 0, notFused = 0;
        executor.SpikesOf = (_, _, fired) =>
        {
            spikes.Add(fired.ToArray());
            // One thread: the crossbars' last step is this one (two threads: the producer's, read on its thread as well).
            foreach (var c in crossbars)
                if (executor.CrossbarOf(c)!.Fused) fusedSteps++;
                else notFused++;
        };
        executor.RunSample(new SpikeRaster(steps, 0));
        var result = executor.Finish();
        var ledger = executor.Ledger.Entries().Select(e => (e.Key.Unit, e.Key.Layer, e.Key.Action, e.Count)).ToList();
        return (spikes, fusedSteps, notFused, ledger, result);
    }
}
