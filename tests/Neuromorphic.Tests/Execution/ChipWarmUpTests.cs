using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// The bench's warm-up of the chip loop's code (<see cref="CubaOnChip.WarmUp"/>, as the functional bench warms its own) leaves
/// every simulated figure of the run after it as it is.
/// </summary>
public sealed class ChipWarmUpTests
{
    private static readonly CubaParameters Small = new() { Neurons = 600 };

    [TestCase(1)]
    [TestCase(2)]
    public void A_run_after_the_warm_up_gives_the_figures_of_a_run_without_it(int threads)
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        // 150 steps: two threads run samples of at least 100 steps on the producer.
        var cold = CubaOnChip.Run(spec, Small, 0.015, 5, threads: threads);
        CubaOnChip.WarmUp(spec, Small, 5, threads: threads);
        var warm = CubaOnChip.Run(spec, Small, 0.015, 5, threads: threads);
        Assert.That(cold.Functional.Spikes, Is.GreaterThan(0));
        Assert.That(warm.SpikeTrainHash, Is.EqualTo(cold.SpikeTrainHash));
        Assert.That(warm.EnergyJ, Is.EqualTo(cold.EnergyJ));
        Assert.That(warm.LatencyCycles, Is.EqualTo(cold.LatencyCycles));
        Assert.That(warm.MacroOperations, Is.EqualTo(cold.MacroOperations));
        Assert.That(warm.KernelEventsPerStep, Is.EqualTo(cold.KernelEventsPerStep));
        Assert.That(warm.NocPacketsPerStep, Is.EqualTo(cold.NocPacketsPerStep));
        Assert.That(warm.NocHopsPerStep, Is.EqualTo(cold.NocHopsPerStep));
    }
}
