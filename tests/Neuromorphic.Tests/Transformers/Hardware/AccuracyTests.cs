using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>
/// A labelled event workload (real N-MNIST recordings, a tiny committed subset): the head is
/// trained, top-1 is reported on the chip and in software, and Dynamic Confidence early exit on
/// the chip saves timesteps and energy.
/// </summary>
public sealed class AccuracyTests
{
    private static string Dataset => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "nmnist-tiny");

    [Test]
    public void Top1_on_chip_and_in_software_and_early_exit_saves_timesteps_and_energy()
    {
        var preset = RunConfigLoader.Load("sdt-v2-nmnist");
        var spec = preset.Transformer! with { Dataset = Dataset, TrainPerClass = 6, Samples = 20, EarlyExit = 0 };
        var full = TransformerExperiment.Run(preset.Architecture, spec, 1);
        Assert.That(full.Outcomes, Has.Count.EqualTo(20));
        Assert.That(full.Outcomes.Select(o => o.Label).Distinct().Count(), Is.EqualTo(10), "the test images cover every digit");
        // Both accuracies are reported; the chip computes (4-bit macros, Q8.8 neurons) and reports where it departs.
        Assert.That(full.Accuracy, Is.InRange(0.0, 1.0));
        Assert.That(full.ChipCompute, Is.EqualTo("hardware"));
        Assert.That(full.Agreement.Count(a => a.Spiking && a.Elements > 0), Is.GreaterThan(50));
        Assert.That(full.MeanTimestepsRun, Is.EqualTo(4));

        var exit = TransformerExperiment.Run(preset.Architecture, spec with { EarlyExit = 0.5, SoftwareReference = false }, 1);
        TestContext.Out.WriteLine($"top-1 chip {full.Accuracy:P0}, software {full.SoftwareAccuracy:P0}, spike agreement {LayerComparison.SpikeAgreement(full.Agreement):P1}; early exit: {exit.MeanTimestepsRun:F2} of 4 steps, "
            + $"top-1 {exit.Accuracy:P0}, energy {exit.EnergyPerInferenceJ * 1e6:F2} uJ vs {full.EnergyPerInferenceJ * 1e6:F2} uJ");
        Assert.That(exit.MeanTimestepsRun, Is.LessThan(4), "timesteps saved");
        Assert.That(exit.EnergyPerInferenceJ, Is.LessThan(full.EnergyPerInferenceJ), "energy saved");
        Assert.That(exit.Accuracy, Is.GreaterThanOrEqualTo(full.Accuracy - 0.1), "accuracy kept (within two of the 20 images)");
        Assert.That(full.SoftwareAccuracy, Is.GreaterThan(0.2), "well above the 10 % of chance: the trained head works on real recordings");
    }
}
