using Neuromorphic.Arch.Lsm;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>The reservoir's activity is measured, and a silent or saturated reservoir is named.</summary>
public sealed class ReservoirActivityTests
{
    private static LsmResult Run(LsmParameters lsm)
    {
        var samples = LsmTestData.PoissonSamples(2, 6, 64, 20, 3);
        var readout = LsmTestData.Preset.Readout with { FeatureBins = 2, Readouts = [ReadoutKind.Ridge] };
        return LsmExperiment.Run(LsmTestData.Preset.Architecture, lsm, readout, samples, 0.006, 1);
    }

    [Test]
    public void SaturatedReservoirTriggersTheWarning()
    {
        // Strong positive input and a low threshold: nearly every neuron fires at every step.
        var r = Run(LsmTestData.Preset.Lsm with { Neurons = 40, InputFanIn = 32, InputGain = 1.0, Threshold = 0.5 });
        Assert.That(r.ReservoirActivity, Is.GreaterThan(ReservoirActivity.High));
        Assert.That(r.ReservoirActivity, Is.EqualTo(1 - r.ReservoirSparsity).Within(1e-12));
        Assert.That(r.Warnings, Has.One.Contains("saturated"));
    }

    [Test]
    public void SilentReservoirTriggersTheWarningAndAHealthyOneDoesNot()
    {
        var silent = Run(LsmTestData.Preset.Lsm with { Neurons = 40, InputGain = 0 });
        Assert.That(silent.ReservoirActivity, Is.EqualTo(0));
        Assert.That(silent.Warnings, Has.One.Contains("silent"));
        var healthy = Run(LsmTestData.Preset.Lsm with { Neurons = 40, InputFanIn = 16, InputGain = 0.07 });
        Assert.That(healthy.ReservoirActivity, Is.InRange(ReservoirActivity.Low, ReservoirActivity.High));
        Assert.That(healthy.Warnings, Is.Empty);
    }

    [Test]
    public void ThresholdsAreTheIssuesOnePercentAndFiftyPercent()
    {
        Assert.That(ReservoirActivity.Warning(0.0099), Does.Contain("silent"));
        Assert.That(ReservoirActivity.Warning(0.01), Is.Null);
        Assert.That(ReservoirActivity.Warning(0.5), Is.Null);
        Assert.That(ReservoirActivity.Warning(0.501), Does.Contain("saturated").And.Contain("50.1 %"));
    }
}
