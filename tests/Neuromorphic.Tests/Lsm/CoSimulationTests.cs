using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Lsm;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>The LSM on the chip executor and its lock-step golden model (free-running software reservoir with exact weights).</summary>
public sealed class CoSimulationTests
{
    /// <summary>
    /// The reservoir on the chip executor (mapped by the one mapper, the golden model in lock-step):
    /// the reservoir's spike agreement with the golden model (both / either).
    /// </summary>
    private static double Agreement(double readNoise, int adcBits, int fractionBits = 8, int membraneBits = 16, int? fullScale = null)
    {
        var arch = LsmTestData.Architecture(readNoise, adcBits);
        arch = arch with
        {
            Macro = arch.Macro with { AdcFullScaleLevels = fullScale ?? arch.Macro.AdcFullScaleLevels },
            NeuronCore = arch.NeuronCore with { MembraneBits = membraneBits, FractionBits = fractionBits },
        };
        var chip = new ChipModel(arch);
        var reservoir = LsmReservoir.Draw(LsmTestData.Preset.Lsm, 256, chip.Device, 3);
        var (network, cells) = reservoir.ChipNetwork(1e-3);
        var executor = new ChipExecutor(NetworkMapper.Map(network, chip, 3, cells), 1e-3, 3);
        foreach (var sample in LsmTestData.PoissonSamples(4, 3, 256, 50, 9)) executor.RunSample(sample.Input);
        var layer = executor.Finish().Layers.Single(l => l.Node == "reservoir");
        Assert.That(layer.BothSpiked, Is.GreaterThan(100), "the reservoir must be active for the check to mean anything");
        return layer.SpikeJaccard;
    }

    /// <summary>No read noise, a 16-bit ADC, a 32-bit neuron core with 20 fraction bits.</summary>
    private const int ExactAdc = 16, ExactFraction = 20, ExactMembrane = 32;

    [Test]
    public void An_exact_chip_spikes_exactly_as_the_software_reservoir()
    {
        // Through the experiment itself: its chip path is the executor's, and with ideal reads and a wide
        // fixed point the chip's reservoir is the software reservoir (exact weights, double precision).
        var arch = LsmTestData.Architecture(0, ExactAdc);
        arch = arch with { NeuronCore = arch.NeuronCore with { MembraneBits = ExactMembrane, FractionBits = ExactFraction } };
        var samples = LsmTestData.PoissonSamples(4, 3, 256, 50, 9);
        var r = LsmExperiment.Run(arch, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout, samples, 1e-3, 3);
        Assert.That(r.ChipRun, Is.Not.Null);
        Assert.That(r.ChipRun!.Layers.Select(l => l.Node), Is.EquivalentTo(new[] { "input", "w_in", "reservoir", "w_rec_exc", "w_rec_inh", "output" }));
        Assert.That(r.Spikes, Is.GreaterThan(1000));
        for (var s = 0; s < samples.Count; s++)
            for (var t = 0; t < 50; t++)
                Assert.That(r.ChipSpikes[s].Row(t).ToArray(), Is.EqualTo(r.SoftwareSpikes[s].Row(t).ToArray()), $"sample {s}, step {t}");
        Assert.That((r.GoldenSpikeAgreement, r.FreeRunningSpikeAgreement), Is.EqualTo((1.0, 1.0)));
        Assert.That(r.GoldenCounts.Agree, Is.EqualTo(r.Spikes));
    }

    [Test]
    public void AgreementFallsAsNoiseRises()
    {
        var quiet = Agreement(0.0, ExactAdc, ExactFraction, ExactMembrane);
        var some = Agreement(0.05, ExactAdc, ExactFraction, ExactMembrane);
        var loud = Agreement(0.2, ExactAdc, ExactFraction, ExactMembrane);
        Assert.That(quiet, Is.EqualTo(1.0));
        Assert.That(some, Is.LessThan(quiet));
        Assert.That(loud, Is.LessThan(some));
    }

    [Test]
    public void FewerAdcBitsLowerAgreement() =>
        Assert.That(Agreement(0, 4, ExactFraction, ExactMembrane), Is.LessThan(Agreement(0, ExactAdc, ExactFraction, ExactMembrane)));

    [Test]
    public void The_cores_fixed_point_moves_the_reservoir()
    {
        // 8 fraction bits store the decay 0.9 as 230/256: the golden model, running on its own, parts from it.
        var narrow = Agreement(0, ExactAdc);
        Assert.That(narrow, Is.LessThan(0.95));
        Assert.That(narrow, Is.GreaterThan(0.3), "the same reservoir, not another one");
    }

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
