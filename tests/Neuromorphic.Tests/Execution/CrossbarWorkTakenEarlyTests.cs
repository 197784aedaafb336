using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// A crossbar's work of a step is taken for the timing as soon as the node has computed it (<c>StepWorkQueue.TakeCrossbar</c>),
/// not when the whole step is captured. The reference is the same chip taking it at capture (the path before): the same
/// spikes, ledger, per-node figures, step latencies and units' statistics, in barrier and pipelined execution, at one and two
/// threads, on a CUBA whose projections fire many macros a step.
/// </summary>
public sealed class CrossbarWorkTakenEarlyTests
{
    private static readonly CubaParameters Network = new() { Neurons = 600, Leak = -20, Refractory = 0.2, SynapsesPerNeuron = 100 };

    [TestCase(false, 1)]
    [TestCase(false, 2)]
    [TestCase(true, 1)]
    [TestCase(true, 2)]
    public void Taking_a_crossbars_work_early_gives_the_run_of_taking_it_at_capture(bool pipelined, int threads)
    {
        const int Steps = 250;
        var early = Run(Steps, threads, pipelined, early: true);
        var atCapture = Run(Steps, threads, pipelined, early: false);
        Assert.That(early.Spikes.Sum(s => s.Length), Is.GreaterThan(Steps), "the network fires");
        Assert.That(early.Spikes, Is.EqualTo(atCapture.Spikes));
        Assert.That(early.Ledger, Is.EqualTo(atCapture.Ledger));
        Assert.That(early.Result.Layers, Is.EqualTo(atCapture.Result.Layers));
        Assert.That(early.Result.StepLatencyCycles, Is.EqualTo(atCapture.Result.StepLatencyCycles));
        Assert.That(early.Result.TotalCycles, Is.EqualTo(atCapture.Result.TotalCycles));
        Assert.That(early.Result.Units.Select(u => (u.Kind, u.Name, u.Arrivals, u.BusyCycles)),
            Is.EqualTo(atCapture.Result.Units.Select(u => (u.Kind, u.Name, u.Arrivals, u.BusyCycles))));
    }

    private static (List<int[]> Spikes, List<(string, string, string, long)> Ledger, ChipRunResult Result) Run(int steps, int threads, bool pipelined, bool early)
    {
        const ulong Seed = 5;
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        if (pipelined) spec = spec with { Chip = spec.Chip with { Execution = ExecutionMode.Pipelined } };
        var cuba = CubaNetwork.Build(Network, Seed);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, Seed));
        var program = NetworkMapper.Map(network, new ChipModel(spec), Seed);
        var executor = new ChipExecutor(program, Network.Dt * 1e-3, Seed, golden: false, idealNeuronCore: true, threads: threads)
        {
            TakesCrossbarWorkEarly = early,
        };
        var spikes = new List<int[]>();
        executor.SpikesOf = (_, _, fired) => spikes.Add(fired.ToArray());
        executor.RunSample(new SpikeRaster(steps, 0));
        var result = executor.Finish();
        var ledger = executor.Ledger.Entries().Select(e => (e.Key.Unit, e.Key.Layer, e.Key.Action, e.Count)).ToList();
        return (spikes, ledger, result);
    }
}
