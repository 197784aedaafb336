using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;
using static Neuromorphic.Tests.Hw.Devices.SampleStatistics;

namespace Neuromorphic.Tests.Hw.Devices;

[TestFixture]
public sealed class RramDeviceTests
{
    private const int Cells = 20_000;

    [Test]
    public void WindowAndLevelsFollowRonAndOnOffRatio()
    {
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2 });
        Assert.Multiple(() =>
        {
            Assert.That(device.GMax, Is.EqualTo(1e-5).Within(1e-18));
            Assert.That(device.GMin, Is.EqualTo(1e-5 / 17).Within(1e-18));
            Assert.That(device.Levels, Is.EqualTo(4));
            Assert.That(device.LevelConductance(0), Is.EqualTo(device.GMin));
            Assert.That(device.LevelConductance(3), Is.EqualTo(device.GMax));
            for (var l = 1; l < 4; l++)
                Assert.That(device.LevelConductance(l) - device.LevelConductance(l - 1), Is.EqualTo(device.LevelSpacing).Within(1e-18));
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => device.LevelConductance(4));
    }

    [Test]
    public void IdealWriteVerifyHitsTheTargetInOnePulse()
    {
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2, PulseSigma = 0 });
        var rng = new DeterministicRandom(1);
        for (var level = 0; level < 4; level++)
        {
            var cell = device.Program(level, rng);
            Assert.That(cell, Is.EqualTo(new ProgrammedCell(device.LevelConductance(level), 1, 1, CellFault.None)));
        }
    }

    [Test]
    public void WriteVerifyResidualMatchesProgrammingSigma()
    {
        const double Sigma = 0.05;
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2, ProgrammingSigma = Sigma });
        var rng = new DeterministicRandom(2);
        var errors = new List<double>(Cells);
        for (var i = 0; i < Cells; i++)
        {
            var level = i % 4;
            var target = device.LevelConductance(level);
            errors.Add((device.Program(level, rng).Conductance - target) / target);
        }
        Assert.That(Math.Abs(Mean(errors)), Is.LessThan(4 * Sigma / Math.Sqrt(Cells)));
        Assert.That(StandardDeviation(errors), Is.EqualTo(Sigma).Within(10).Percent);
    }

    [Test]
    public void PerLevelSigmaTableOverridesTheCommonSigma()
    {
        double[] table = [0, 0.02, 0.04, 0.08];
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2, ProgrammingSigma = 0.5, ProgrammingSigmaPerLevel = table });
        var rng = new DeterministicRandom(3);
        for (var level = 0; level < 4; level++)
        {
            var target = device.LevelConductance(level);
            var errors = Enumerable.Range(0, 5000).Select(_ => (device.Program(level, rng).Conductance - target) / target).ToList();
            if (table[level] == 0) Assert.That(errors, Is.All.EqualTo(0.0));
            else Assert.That(StandardDeviation(errors), Is.EqualTo(table[level]).Within(10).Percent, $"level {level}");
        }
    }

    [Test]
    public void WriteVerifyNeedsMorePulsesForATighterTolerance()
    {
        double MeanPulses(double tolerance)
        {
            var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2, PulseSigma = 0.25, VerifyTolerance = tolerance });
            var rng = new DeterministicRandom(4);
            var cells = Enumerable.Range(0, 5000).Select(i => device.Program(i % 4, rng)).ToList();
            Assert.That(cells.Select(c => c.Pulses), Is.All.GreaterThanOrEqualTo(1));
            Assert.That(cells.Select(c => c.VerifyReads - c.Pulses), Is.All.EqualTo(0));
            return cells.Average(c => c.Pulses);
        }

        var loose = MeanPulses(0.1);
        var tight = MeanPulses(0.01);
        Assert.That(tight, Is.GreaterThan(loose + 0.5));
    }

    [Test]
    public void PulseCountIsGeometricInTheVerifySuccessProbability()
    {
        // Defaults: PulseSigma 0.25, tolerance 5 %, at most 20 pulses. P(success) = P(|N| <= 0.2) for an
        // inner level (at the window edges an overshooting pulse saturates the cell on its target).
        const double Success = 0.158519418878;
        var expected = (1 - Math.Pow(1 - Success, 20)) / Success;
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2 });
        var rng = new DeterministicRandom(14);
        var pulses = Enumerable.Range(0, Cells).Select(i => (double)device.Program(1, rng).Pulses).ToList();
        Assert.That(Mean(pulses), Is.EqualTo(expected).Within(3).Percent);
        Assert.That(pulses.Max(), Is.EqualTo(20));
    }

    [Test]
    public void ACellWhoseWindowCannotReachTheTargetStaysAtItsEdge()
    {
        var device = new RramDevice(new RramDeviceParameters { DeviceToDeviceSigma = 0.3, MaxVerifyIterations = 9 });
        var rng = new DeterministicRandom(15);
        var cells = Enumerable.Range(0, Cells).Select(_ => device.Program(1, rng)).ToList();
        var reached = cells.Where(c => c.Conductance == device.GMax).ToList();
        var short_ = cells.Where(c => c.Conductance != device.GMax).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(short_.Select(c => c.Conductance / device.GMax), Is.All.LessThan(0.95));
            Assert.That(short_.Select(c => c.Pulses), Is.All.EqualTo(9));
            // f < 0.95 with f = 1 + 0.3 N: P(N < -1/6) = 0.4338.
            Assert.That(WithinBinomial(short_.Count, Cells, 0.4338), $"{short_.Count} cells short of the target");
            Assert.That(reached.Count + short_.Count, Is.EqualTo(Cells));
        });
    }

    [Test]
    public void StuckAtRatesStayWithinBinomialBounds()
    {
        const double On = 0.01, Off = 0.03;
        var device = new RramDevice(new RramDeviceParameters { StuckAtOnRate = On, StuckAtOffRate = Off, MaxVerifyIterations = 7 });
        var rng = new DeterministicRandom(5);
        var cells = Enumerable.Range(0, Cells).Select(_ => device.Program(0, rng)).ToList();
        var stuckOn = cells.Where(c => c.Fault == CellFault.StuckOn).ToList();
        var stuckOff = cells.Where(c => c.Fault == CellFault.StuckOff).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(WithinBinomial(stuckOn.Count, Cells, On), $"stuck-on {stuckOn.Count}");
            Assert.That(WithinBinomial(stuckOff.Count, Cells, Off), $"stuck-off {stuckOff.Count}");
            Assert.That(stuckOn.Select(c => c.Conductance), Is.All.EqualTo(device.GMax));
            Assert.That(stuckOff.Select(c => c.Conductance), Is.All.EqualTo(device.GMin));
            // A stuck-on cell never verifies at level 0: the loop spends its whole budget; stuck-off passes at once.
            Assert.That(stuckOn.Select(c => c.Pulses), Is.All.EqualTo(7));
            Assert.That(stuckOff.Select(c => c.Pulses), Is.All.EqualTo(1));
        });
    }

    [Test]
    public void StochasticLogNormalPulseReproducesMedianAndMean()
    {
        var distribution = ConductanceDistribution.LogNormal(3e-6, 0.4);
        var device = new RramDevice(new RramDeviceParameters { Programming = ProgrammingScheme.StochasticPulse, PulseDistribution = distribution });
        var rng = new DeterministicRandom(6);
        var cells = Enumerable.Range(0, Cells).Select(_ => device.ProgramStochastic(rng)).ToList();
        var g = cells.Select(c => c.Conductance).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Median(g), Is.EqualTo(3e-6).Within(3).Percent);
            Assert.That(Mean(g), Is.EqualTo(distribution.MeanWithin(device.GMin, device.GMax)).Within(2).Percent);
            Assert.That(g, Is.All.InRange(device.GMin, device.GMax));
            Assert.That(cells.Select(c => (c.Pulses, c.VerifyReads)), Is.All.EqualTo((1, 0)));
        });
    }

    [Test]
    public void StochasticNormalPulseIsTruncatedToTheWindow()
    {
        var distribution = ConductanceDistribution.Normal(2e-6, 2e-6);
        var device = new RramDevice(new RramDeviceParameters { PulseDistribution = distribution });
        var rng = new DeterministicRandom(7);
        var g = Enumerable.Range(0, Cells).Select(_ => device.ProgramStochastic(rng).Conductance).ToList();
        Assert.That(g, Is.All.InRange(device.GMin, device.GMax));
        // Truncation (not clamping): no pile-up at the lower edge, and the truncated-normal mean.
        Assert.That(g.Count(v => v == device.GMin), Is.EqualTo(0));
        Assert.That(Mean(g), Is.EqualTo(distribution.MeanWithin(device.GMin, device.GMax)).Within(2).Percent);
    }

    [Test]
    public void StochasticUniformPulseReproducesItsMean()
    {
        var device = new RramDevice(new RramDeviceParameters { PulseDistribution = ConductanceDistribution.Uniform(2e-6, 8e-6) });
        var rng = new DeterministicRandom(8);
        var g = Enumerable.Range(0, Cells).Select(_ => device.ProgramStochastic(rng).Conductance).ToList();
        Assert.That(Mean(g), Is.EqualTo(5e-6).Within(1).Percent);
    }

    [Test]
    public void DeviceToDeviceVariationScalesEachCellsWindow()
    {
        // A pulse that always fully SETs a cell shows the cell's own window edge f GMax.
        var device = new RramDevice(new RramDeviceParameters
        {
            PulseDistribution = ConductanceDistribution.Uniform(1e-5, 1e-5),
            DeviceToDeviceSigma = 0.1,
        });
        var rng = new DeterministicRandom(9);
        var factors = Enumerable.Range(0, Cells).Select(_ => device.ProgramStochastic(rng).Conductance / device.GMax).ToList();
        Assert.That(Mean(factors), Is.EqualTo(1).Within(0.005));
        Assert.That(StandardDeviation(factors), Is.EqualTo(0.1).Within(10).Percent);
    }

    [Test]
    public void StochasticProgrammingNeedsADistribution()
    {
        var device = new RramDevice(new RramDeviceParameters());
        Assert.Throws<InvalidOperationException>(() => device.ProgramStochastic(new DeterministicRandom(1)));
    }

    [Test]
    public void DriftFollowsThePowerLawAfterT0()
    {
        var device = new RramDevice(new RramDeviceParameters { DriftNu = 0.05, DriftT0Seconds = 2, ReadTimeSeconds = 3600 });
        Assert.Multiple(() =>
        {
            Assert.That(device.DriftFactor(0), Is.EqualTo(1));
            Assert.That(device.DriftFactor(2), Is.EqualTo(1));
            Assert.That(device.DriftFactor(2000), Is.EqualTo(Math.Pow(1000, -0.05)).Within(1e-15));
            Assert.That(device.ReadDriftFactor, Is.EqualTo(Math.Pow(1800, -0.05)).Within(1e-15));
            Assert.That(device.Read(1e-5, new DeterministicRandom(1)), Is.EqualTo(1e-5 * Math.Pow(1800, -0.05)).Within(1e-20));
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => device.DriftFactor(-1));
    }

    [Test]
    public void ReadNoiseHasTheConfiguredSpread()
    {
        var device = new RramDevice(new RramDeviceParameters { ReadNoiseSigma = 0.03 });
        var rng = new DeterministicRandom(10);
        var reads = Enumerable.Range(0, Cells).Select(_ => device.Read(5e-6, rng) / 5e-6).ToList();
        Assert.That(Mean(reads), Is.EqualTo(1).Within(4 * 0.03 / Math.Sqrt(Cells)));
        Assert.That(StandardDeviation(reads), Is.EqualTo(0.03).Within(10).Percent);
    }

    [Test]
    public void ProgrammingIsReproducibleFromTheSeed()
    {
        var device = new RramDevice(new RramDeviceParameters { ProgrammingSigma = 0.1, DeviceToDeviceSigma = 0.05, StuckAtOnRate = 0.1 });
        ProgrammedCell[] Run()
        {
            var rng = new DeterministicRandom(42);
            return Enumerable.Range(0, 100).Select(i => device.Program(i % 2, rng)).ToArray();
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }
}
