using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>The lock-step golden-model check of the LSM on RRAM macros.</summary>
public sealed class CoSimulationTests
{
    private static double Agreement(double readNoise, int adcBits)
    {
        var arch = LsmTestData.Architecture(readNoise, adcBits);
        var chip = new ChipModel(arch);
        var reservoir = LsmReservoir.Draw(LsmTestData.Preset.Lsm, 256, chip.Device, 3);
        var onChip = new LsmOnChip(chip, reservoir, new Ledger(), 3);
        long agree = 0, differ = 0;
        foreach (var sample in LsmTestData.PoissonSamples(4, 3, 256, 50, 9))
        {
            var run = onChip.Run(sample.Input, lockStep: true);
            agree += run.AgreeingSpikes;
            differ += run.ChipOnlySpikes + run.GoldenOnlySpikes;
        }
        Assert.That(agree, Is.GreaterThan(100), "the reservoir must be active for the check to mean anything");
        return agree / (double)(agree + differ);
    }

    [Test]
    public void NoiseOffAndHighAdcPrecisionAgreeWithTheGoldenModel() =>
        Assert.That(Agreement(readNoise: 0, adcBits: 14), Is.GreaterThanOrEqualTo(0.999));

    [Test]
    public void AgreementFallsAsNoiseRises()
    {
        var quiet = Agreement(0.0, 14);
        var some = Agreement(0.05, 14);
        var loud = Agreement(0.2, 14);
        Assert.That(some, Is.LessThan(quiet));
        Assert.That(loud, Is.LessThan(some));
    }

    [Test]
    public void FewerAdcBitsLowerAgreement() =>
        Assert.That(Agreement(0, 4), Is.LessThan(Agreement(0, 14)));

    [Test]
    public void ReservoirWeightsAreTheProgrammedConductances()
    {
        var chip = new ChipModel(LsmTestData.Architecture(0, 8));
        var p = LsmTestData.Preset.Lsm;
        var reservoir = LsmReservoir.Draw(p, 64, chip.Device, 5);
        var gmin = chip.Device.GMin;
        var connected = reservoir.InputPositive.Where(g => g > gmin).ToArray();
        // Fan-in synapses per neuron, each a stochastic pulse's conductance: log-normal with the preset's median.
        Assert.That(connected.Length, Is.EqualTo(p.Neurons * p.InputFanIn));
        var median = connected.Order().ElementAt(connected.Length / 2);
        Assert.That(median, Is.EqualTo(chip.Device.Parameters.PulseDistribution!.Median).Within(0.1 * 20e-6));
        Assert.That(reservoir.Stats.Pulses, Is.GreaterThanOrEqualTo(connected.Length));
    }
}
