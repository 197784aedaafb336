using CsCheck;
using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

/// <summary>
/// The vectorised round trip of a read's column currents must equal, bit for bit, the scalar composition it replaced:
/// level sum, <see cref="Adc.Quantise"/>, <see cref="Adc.Dequantise"/>, back to current.
/// </summary>
[TestFixture]
public sealed class AdcRoundTripTests
{
    private static double Scalar(Adc adc, double current, double floor, double spacing, double voltage, double fullScale) =>
        (adc.Dequantise(adc.Quantise((current / voltage - floor) / spacing, fullScale), fullScale) * spacing + floor) * voltage;

    private static void AssertSame(int bits, double[] currents, double floor, double spacing, double voltage, double fullScale)
    {
        var adc = new Adc(new AdcParameters { Bits = bits, TechnologyNm = 40, ReadVoltage = voltage });
        var values = new double[currents.Length];
        AdcRoundTrip.Convert(currents, values, floor, spacing, voltage, fullScale, adc.MaxCode);
        for (var c = 0; c < currents.Length; c++)
            Assert.That(BitConverter.DoubleToInt64Bits(values[c]), Is.EqualTo(BitConverter.DoubleToInt64Bits(Scalar(adc, currents[c], floor, spacing, voltage, fullScale))),
                $"column {c}: current {currents[c]:R}");
    }

    [Test]
    public void Random_reads_convert_exactly_as_the_scalar_adc_does()
    {
        var gen = from bits in Gen.Int[1, 10]
                  from rows in Gen.Int[0, 40]
                  from fullScale in Gen.Int[1, 2000]
                  from currents in Gen.Double[-1e-5, 2e-4].Array[0, 70]
                  select (bits, rows, fullScale, currents);
        gen.Sample(t =>
        {
            const double gMin = 1e-6, spacing = 9.9e-5, voltage = 0.2;
            AssertSame(t.bits, t.currents, t.rows * gMin, spacing, voltage, t.fullScale);
        }, iter: 300);
    }

    [Test]
    public void Edge_currents_convert_exactly_as_the_scalar_adc_does()
    {
        const double gMin = 1e-6, spacing = 1e-5, voltage = 0.2;
        const int fullScale = 255;
        var floor = 3 * gMin;
        // Exactly at the floor, at half a code, at full scale and beyond, negative, NaN and infinities, on a vector's lanes and its tail.
        double Level(double levels) => (levels * spacing + floor) * voltage;
        var currents = new[]
        {
            Level(0), Level(0.5), Level(0.5 - 1e-12), Level(1), Level(254.5), Level(255), Level(255.000001), Level(1e6),
            -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, Level(127.49999999), Level(127.5),
            Level(3), double.Epsilon,
        };
        AssertSame(8, currents, floor, spacing, voltage, fullScale);
    }
}
