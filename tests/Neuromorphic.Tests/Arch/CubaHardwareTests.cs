using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>The CUBA network on RRAM macros: same spikes as the functional model, and energy that adds up.</summary>
public sealed class CubaHardwareTests
{
    private static readonly CubaParameters Small = new() { Neurons = 1000 };

    [Test]
    public void IdealMacrosReproduceTheFunctionalSpikes()
    {
        var functional = CubaBenchmark.Run(Small, 0.05, 3);
        var hardware = CubaOnChip.Run(ArchitectureLoader.Load("rram-40nm-256kb"), Small, 0.05, 3);
        Assert.That(functional.Spikes, Is.GreaterThan(0));
        Assert.That(hardware.Functional.Spikes, Is.EqualTo(functional.Spikes));
        Assert.That(hardware.SpikeTrainHash, Is.EqualTo(CubaOnChip.FunctionalSpikeTrainHash(Small, 0.05, 3)),
            "the chip's spike train (every neuron, every step) is the functional run's");
        Assert.That(hardware.MacroOperations, Is.GreaterThan(0));
        Assert.That(hardware.MeanStepLatencyNs, Is.GreaterThan(0));
    }

    [Test]
    public void AFixedPointCoreRunsTheSameNetworkWithItsOwnRounding()
    {
        // 16-bit membranes with 8 fractional bits cannot hold CUBA's small per-step increments: the spikes
        // differ from the functional run's, but the network still runs on the chip and reports it.
        var ideal = CubaOnChip.Run(ArchitectureLoader.Load("rram-40nm-256kb"), Small, 0.02, 3);
        var fixedPoint = CubaOnChip.Run(ArchitectureLoader.Load("rram-40nm-256kb"), Small, 0.02, 3, fixedPoint: true);
        Assert.That(fixedPoint.SpikeTrainHash, Is.Not.EqualTo(ideal.SpikeTrainHash));
        Assert.That(fixedPoint.NeuronCore, Does.Contain("16 bits"));
        Assert.That(fixedPoint.MacroOperations, Is.GreaterThan(0));
    }

    [Test]
    public void EnergyIsLedgerCountsTimesCostsPlusLeakageToTheFemtojoule()
    {
        // Always on: every instance leaks over the simulated 0.02 s (the other policies: PowerPolicyTests).
        var spec = ArchitectureLoader.Load("rram-40nm-256kb") with { Power = Neuromorphic.Hw.Costs.PowerGating.None };
        var report = CubaOnChip.Run(spec, Small, 0.02, 4);
        var chip = new ChipModel(spec with { Chip = spec.Chip with { Tiles = report.Tiles } });
        // Independent recomputation from the breakdown rows: count x the table's energy, plus leakage.
        double dynamic = 0, leakage = 0;
        foreach (var line in report.Account.Lines)
        {
            if (line.Action == "leakage")
            {
                var instance = chip.Costs.InstanceOf(line.Component)!;
                leakage += line.Count * instance.LeakageUw * 1e-6 * 0.02 * 1e12;
                continue;
            }
            Assert.That(line.EnergyPerActionPj, Is.EqualTo(chip.Costs.Get(line.Component, line.Action).EnergyPj), line.Component + "." + line.Action);
            dynamic += line.Count * chip.Costs.Get(line.Component, line.Action).EnergyPj;
        }
        Assert.That(report.DynamicEnergyJ * 1e12, Is.EqualTo(dynamic).Within(1e-3));
        Assert.That(report.EnergyJ * 1e12, Is.EqualTo(dynamic + leakage).Within(1e-3));
        Assert.That(report.Account.Lines.Any(l => l.Component == "sar_adc" && l.Count > 0));
    }
}
