using Neuromorphic.Hw.Devices;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Devices;

[TestFixture]
public sealed class RramDeviceParametersTests
{
    private static IEnumerable<TestCaseData> Invalid()
    {
        var d = new RramDeviceParameters();
        yield return new TestCaseData(d with { RonOhm = -1 }, "RonOhm", "-1");
        yield return new TestCaseData(d with { RonOhm = double.NaN }, "RonOhm", "NaN");
        yield return new TestCaseData(d with { OnOffRatio = 1 }, "OnOffRatio", "1");
        yield return new TestCaseData(d with { BitsPerCell = 0 }, "BitsPerCell", "0");
        yield return new TestCaseData(d with { BitsPerCell = 9 }, "BitsPerCell", "9");
        yield return new TestCaseData(d with { ReadVoltage = 0 }, "ReadVoltage", "0");
        yield return new TestCaseData(d with { ProgrammingSigma = -0.1 }, "ProgrammingSigma", "-0.1");
        yield return new TestCaseData(d with { ProgrammingSigmaPerLevel = [0.1] }, "ProgrammingSigmaPerLevel", "1 entries");
        yield return new TestCaseData(d with { ProgrammingSigmaPerLevel = [0.1, -2] }, "ProgrammingSigmaPerLevel[1]", "-2");
        yield return new TestCaseData(d with { PulseSigma = -1 }, "PulseSigma", "-1");
        yield return new TestCaseData(d with { VerifyTolerance = -0.5 }, "VerifyTolerance", "-0.5");
        yield return new TestCaseData(d with { MaxVerifyIterations = 0 }, "MaxVerifyIterations", "0");
        yield return new TestCaseData(d with { Programming = ProgrammingScheme.StochasticPulse }, "PulseDistribution", "null");
        yield return new TestCaseData(d with { PulseDistribution = ConductanceDistribution.LogNormal(-1, 0.2) }, "PulseDistribution", "-1");
        yield return new TestCaseData(d with { PulseDistribution = ConductanceDistribution.Uniform(2e-6, 1e-6) }, "PulseDistribution", "1E-06");
        yield return new TestCaseData(d with { DeviceToDeviceSigma = -0.01 }, "DeviceToDeviceSigma", "-0.01");
        yield return new TestCaseData(d with { ReadNoiseSigma = double.NaN }, "ReadNoiseSigma", "NaN");
        yield return new TestCaseData(d with { StuckAtOnRate = 1.5 }, "StuckAtOnRate", "1.5");
        yield return new TestCaseData(d with { StuckAtOffRate = -0.1 }, "StuckAtOffRate", "-0.1");
        yield return new TestCaseData(d with { StuckAtOnRate = 0.6, StuckAtOffRate = 0.6 }, "StuckAtOffRate", "0.6");
        yield return new TestCaseData(d with { DriftNu = -0.1 }, "DriftNu", "-0.1");
        yield return new TestCaseData(d with { DriftT0Seconds = 0 }, "DriftT0Seconds", "0");
        yield return new TestCaseData(d with { ReadTimeSeconds = -1 }, "ReadTimeSeconds", "-1");
    }

    [TestCaseSource(nameof(Invalid))]
    public void InvalidParametersThrowNamingTheFieldAndValue(RramDeviceParameters parameters, string field, string value)
    {
        var e = Assert.Throws<ArgumentException>(parameters.Validate)!;
        Assert.That(e.ParamName, Is.EqualTo(field));
        Assert.That(e.Message, Does.Contain(field).And.Contain(value));
        Assert.Throws<ArgumentException>(() => _ = new RramDevice(parameters));
    }

    [Test]
    public void DefaultsAreValidAndNeuroSimLike()
    {
        var p = new RramDeviceParameters();
        Assert.DoesNotThrow(p.Validate);
        Assert.Multiple(() =>
        {
            Assert.That(p.RonOhm, Is.EqualTo(100e3));
            Assert.That(p.OnOffRatio, Is.EqualTo(17));
            Assert.That(p.Levels, Is.EqualTo(2));
        });
    }

    [Test]
    public void TheDeviceKeepsItsOwnCopyOfThePerLevelTable()
    {
        double[] table = [0.1, 0.2];
        var device = new RramDevice(new RramDeviceParameters { ProgrammingSigmaPerLevel = table });
        table[0] = 9;
        Assert.That(device.LevelSigma(0), Is.EqualTo(0.1));
    }
}
