using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

[TestFixture]
public sealed class AdcTests
{
    private const double Ron = 100e3;
    private const double Roff = 1.7e6; // on/off 17
    private const int Rows = 128;

    // Column conductance of a 128-row read with all rows driven and a fraction of the cells in the LRS.
    private static double ColumnConductance(double lrsFraction)
    {
        double lrs = Rows * lrsFraction;
        return lrs / Ron + (Rows - lrs) / Roff;
    }

    private static Adc NeuroSimSar() => new(new AdcParameters { Kind = AdcKind.Sar, Bits = 5, TechnologyNm = 32, ClockHz = 1e9 });

    [Test]
    public void NeuroSim32nmLogicAloneIsAbout87fJ()
    {
        Adc adc = NeuroSimSar();
        Assert.That(adc.ConversionEnergyFj(0), Is.EqualTo(87).Within(15).Percent);
        // (1.1294 x 5 + 8.8998) uW x 6 ns exactly.
        Assert.That(adc.LogicEnergyFj, Is.EqualTo((1.1294 * 5 + 8.8998) * 6).Within(1e-9));
    }

    [Test]
    public void NeuroSim32nmTenPercentLrsIsAbout185fJ()
    {
        double g = ColumnConductance(0.10);
        Assert.That(1 / g, Is.EqualTo(5.1e3).Within(2).Percent, "R_col");
        Assert.That(NeuroSimSar().ConversionEnergyFj(g), Is.EqualTo(185).Within(15).Percent);
    }

    [Test]
    public void NeuroSim32nmFiftyPercentLrsIsAbout423fJ()
    {
        double g = ColumnConductance(0.50);
        Assert.That(1 / g, Is.EqualTo(1.5e3).Within(2).Percent, "R_col");
        Assert.That(NeuroSimSar().ConversionEnergyFj(g), Is.EqualTo(423).Within(15).Percent);
    }

    [Test]
    public void CountsTimesPerActionEnergyReproducesTheConversionEnergy()
    {
        Adc adc = NeuroSimSar();
        Assert.That(adc.ColumnLoadEnergyPjPerUnit, Is.EqualTo(0.079449e-6).Within(1e-15), "c V^2 x 1 nS x 1 ns in pJ");
        foreach (double fraction in new[] { 0.0, 0.01, 0.1, 0.25, 0.5, 1.0 })
        {
            double g = ColumnConductance(fraction);
            double fromCounts = adc.LogicEnergyFj + adc.ColumnLoadUnits(g) * adc.ColumnLoadEnergyPjPerUnit * 1e3;
            Assert.That(fromCounts, Is.EqualTo(adc.ConversionEnergyFj(g)).Within(1e-4), $"LRS fraction {fraction}");
        }
        // 10 % LRS: G = 195.76 uS -> 195_765 nS x 6 ns.
        Assert.That(adc.ColumnLoadUnits(ColumnConductance(0.1)), Is.EqualTo(1_174_588).Within(1));
    }

    [Test]
    public void ZeroConductanceHasNoColumnTermAndEnergyRisesWithActiveLrsCells()
    {
        Adc adc = NeuroSimSar();
        Assert.That(adc.ColumnLoadUnits(0), Is.Zero);
        Assert.That(adc.ColumnEnergyFj(0), Is.Zero);
        double previous = adc.ConversionEnergyFj(0);
        for (int lrs = 1; lrs <= Rows; lrs++)
        {
            double e = adc.ConversionEnergyFj(lrs / Ron);
            Assert.That(e, Is.GreaterThan(previous));
            previous = e;
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => adc.ConversionEnergyFj(-1e-6));
    }

    [Test]
    public void ConversionTiming()
    {
        Adc sar = NeuroSimSar();
        Assert.That(sar.ConversionCycles, Is.EqualTo(6));
        Assert.That(sar.ConversionLatencyNs, Is.EqualTo(6).Within(1e-12));
        Adc slowSar = new(new AdcParameters { Bits = 8, ClockHz = 500e6 });
        Assert.That(slowSar.ConversionCycles, Is.EqualTo(9));
        Assert.That(slowSar.ConversionLatencyNs, Is.EqualTo(18).Within(1e-12));
        Adc flash = new(new AdcParameters { Kind = AdcKind.Flash, Bits = 4 });
        Assert.That(flash.ConversionCycles, Is.EqualTo(1));
        Assert.That(flash.ConversionLatencyNs, Is.EqualTo(1).Within(1e-12));
        Adc sense = new(AdcParameters.SenseAmp(40));
        Assert.That(sense.ConversionCycles, Is.EqualTo(1));
    }

    [Test]
    public void QuantiseClampsAndRoundsToTheNearestCode()
    {
        Adc adc = NeuroSimSar(); // 31 = max code
        Assert.That(adc.MaxCode, Is.EqualTo(31));
        Assert.That(adc.Quantise(-5, 31), Is.Zero);
        Assert.That(adc.Quantise(double.NaN, 31), Is.Zero);
        Assert.That(adc.Quantise(0, 31), Is.Zero);
        Assert.That(adc.Quantise(0.49, 31), Is.Zero);
        Assert.That(adc.Quantise(0.5, 31), Is.EqualTo(1), "ties round up");
        Assert.That(adc.Quantise(12.6, 31), Is.EqualTo(13));
        Assert.That(adc.Quantise(31, 31), Is.EqualTo(31));
        Assert.That(adc.Quantise(1e9, 31), Is.EqualTo(31));
        Assert.Throws<ArgumentOutOfRangeException>(() => adc.Quantise(1, 0));
    }

    [Test]
    public void DequantiseOfQuantiseIsWithinHalfAnLsb()
    {
        var rng = new Random(1234);
        foreach (int bits in new[] { 1, 3, 5, 8, 12 })
        {
            Adc adc = new(new AdcParameters { Bits = bits });
            const double fullScale = 2.5e-5;
            double lsb = fullScale / adc.MaxCode;
            for (int i = 0; i < 2000; i++)
            {
                double x = rng.NextDouble() * fullScale;
                double y = adc.Dequantise(adc.Quantise(x, fullScale), fullScale);
                Assert.That(Math.Abs(y - x), Is.LessThanOrEqualTo(lsb / 2 * (1 + 1e-12)), $"{bits} bits, x = {x}");
            }
        }
    }

    [Test]
    public void SenseAmpComparesAgainstItsThreshold()
    {
        Adc sa = new(AdcParameters.SenseAmp(32) with { SenseThresholdFraction = 0.25 });
        Assert.That(sa.Component, Is.EqualTo(Adc.SenseAmpComponent));
        Assert.That(sa.Quantise(0.249, 1), Is.Zero);
        Assert.That(sa.Quantise(0.25, 1), Is.EqualTo(1));
        Assert.That(sa.Quantise(3, 1), Is.EqualTo(1));
        Assert.That(sa.Dequantise(1, 2), Is.EqualTo(2));
        Assert.That(sa.LogicEnergyFj, Is.GreaterThan(0).And.LessThan(10), "a few fJ");
    }

    [Test]
    public void FlashCostsOneComparatorPerLevel()
    {
        Adc flash3 = new(new AdcParameters { Kind = AdcKind.Flash, Bits = 3, TechnologyNm = 45 });
        Adc flash4 = new(new AdcParameters { Kind = AdcKind.Flash, Bits = 4, TechnologyNm = 45 });
        double encoderPerBit = 0.1e3 / 32; // fJ
        Assert.That(flash3.LogicEnergyFj, Is.EqualTo(7 * Adc.ComparatorEnergyFjAt45Nm + 3 * encoderPerBit).Within(1e-9));
        Assert.That(flash4.LogicEnergyFj, Is.EqualTo(15 * Adc.ComparatorEnergyFjAt45Nm + 4 * encoderPerBit).Within(1e-9));
    }

    [Test]
    public void SarFitIsNeuroSimsAtItsNodesAndInterpolatedBetween()
    {
        Assert.That(SarAdcFit.ForNode(45), Is.EqualTo(SarAdcFit.Nm45));
        Assert.That(SarAdcFit.ForNode(22).A, Is.EqualTo(0.538));
        Assert.That(SarAdcFit.ForNode(32).Source, Does.Not.StartWith("assumed"));

        SarAdcFit at40 = SarAdcFit.ForNode(40);
        double t = 8.0 / 13;
        Assert.That(at40.A, Is.EqualTo(1.1294 + t * (2.1691 - 1.1294)).Within(1e-12));
        Assert.That(at40.B, Is.EqualTo(8.8998 + t * (16.693 - 8.8998)).Within(1e-12));
        Assert.That(at40.Source, Does.StartWith("assumed: linear interpolation of NeuroSim's 32/45 nm fits"));
        Assert.That(SarAdcFit.ForNode(27).Source, Does.StartWith("assumed: linear interpolation of NeuroSim's 22/32 nm fits"));

        Assert.That(SarAdcFit.ForNode(65).A, Is.EqualTo(3.7506)); // NeuroSim's own 65 nm LP fit
        Assert.That(SarAdcFit.ForNode(65).Source, Does.Not.StartWith("assumed"));
        Assert.That(SarAdcFit.ForNode(180).A, Is.EqualTo(8.4483));
        Assert.That(SarAdcFit.ForNode(180).Source, Does.StartWith("assumed:").And.Contain("clamped"));
        Assert.That(SarAdcFit.ForNode(14).B, Is.EqualTo(4.3753));
        Assert.That(SarAdcFit.ForNode(14).Source, Does.StartWith("assumed:"));

        var sar40 = new Adc(new AdcParameters { TechnologyNm = 40 });
        Assert.That(sar40.DefaultCosts().First().Source, Does.StartWith("assumed: linear interpolation"));
    }

    [Test]
    public void CostRowsSplitLogicAndColumnLoad()
    {
        Adc adc = NeuroSimSar();
        var rows = adc.DefaultCosts().ToList();
        Assert.That(rows.Select(r => r.Key), Is.EqualTo(new[] { "sar_adc.conversion", "sar_adc.column_load", "sar_adc.open_conversion" }));
        Assert.That(rows[2].EnergyPj, Is.EqualTo(1e-6 * 6e-9 * 1e12).Within(1e-15), "NeuroSim's open column: 1 uW for the 6 ns conversion");
        Assert.That(rows[0].EnergyPj, Is.EqualTo(adc.LogicEnergyFj / 1000).Within(1e-15));
        Assert.That(rows[0].LatencyNs, Is.EqualTo(6).Within(1e-12));
        Assert.That(rows[1].EnergyPj, Is.EqualTo(adc.ColumnLoadEnergyPjPerUnit));
        Assert.That(rows[0].Source, Does.Contain("SarADC.cpp"));
        var area = adc.DefaultComponentCosts().Single();
        Assert.That(area.Component, Is.EqualTo("sar_adc"));
        Assert.That(area.AreaUm2, Is.GreaterThan(0));
    }

    [Test]
    public void ValidateNamesTheBadField()
    {
        var e = Assert.Throws<ArgumentException>(() => new Adc(new AdcParameters { Bits = 0 }));
        Assert.That(e!.Message, Does.Contain("Bits"));
        e = Assert.Throws<ArgumentException>(() => new Adc(new AdcParameters { Kind = AdcKind.SenseAmp, Bits = 5 }));
        Assert.That(e!.Message, Does.Contain("Bits").And.Contain("sense amp"));
        e = Assert.Throws<ArgumentException>(() => new Adc(new AdcParameters { TechnologyNm = 0 }));
        Assert.That(e!.Message, Does.Contain("TechnologyNm"));
        e = Assert.Throws<ArgumentException>(() => new Adc(new AdcParameters { ClockHz = -1 }));
        Assert.That(e!.Message, Does.Contain("ClockHz"));
        e = Assert.Throws<ArgumentException>(() => new Adc(new AdcParameters { SenseThresholdFraction = 0 }));
        Assert.That(e!.Message, Does.Contain("SenseThresholdFraction"));
    }
}
