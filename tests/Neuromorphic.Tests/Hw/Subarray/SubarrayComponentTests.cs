using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Subarray;

/// <summary>The NeuroSim-derived component formulas against closed forms worked by hand from NeuroSim's source.</summary>
public sealed class SubarrayComponentTests
{
    [Test]
    public void SarConversionIsNeuroSimsColumnPowerTimesConversionTime()
    {
        var fit = SarAdcFit.Nm32;
        // Open column: 1 uW for (4 + 1) ns.
        Assert.That(fit.NeuroSimConversionEnergyFj(4, 0, 0.5), Is.EqualTo(5).Within(1e-12));
        // 10 kOhm at 0.5 V: (1.1294 x 4 + 8.8998) uW + 0.079449 exp(-2.297 log10 1e4) W, x 5 ns.
        var expected = ((1.1294 * 4 + 8.8998) * 1e-6 + 0.079449 * Math.Exp(-2.297 * 4)) * 5e-9 * 1e15;
        Assert.That(fit.NeuroSimConversionEnergyFj(4, 1e-4, 0.5), Is.EqualTo(expected).Within(1e-9));
        // GetColumnPower scales R by 0.5 / V_read: at 0.25 V a 10 kOhm column costs what 20 kOhm costs at 0.5 V.
        Assert.That(fit.NeuroSimConversionEnergyFj(4, 1e-4, 0.25), Is.EqualTo(fit.NeuroSimConversionEnergyFj(4, 0.5e-4, 0.5)).Within(1e-9));
    }

    [Test]
    public void AdcColumnTermScalesWithReadVoltageOverHalfAVolt()
    {
        var at05 = new Adc(new AdcParameters { TechnologyNm = 32, ReadVoltage = 0.5 });
        var at02 = new Adc(new AdcParameters { TechnologyNm = 32, ReadVoltage = 0.2 });
        Assert.That(at05.ColumnCoefficientV2, Is.EqualTo(0.079449).Within(1e-12));
        Assert.That(at02.ColumnCoefficientV2, Is.EqualTo(0.079449 * 0.4).Within(1e-12), "the issue's 2.5x: ours at 0.2 V was NeuroSim's at 0.5 V");
        Assert.That(at02.ColumnLoadEnergyPjPerUnit / at05.ColumnLoadEnergyPjPerUnit, Is.EqualTo(0.4).Within(1e-12));
    }

    [Test]
    public void TechnologyTableIsNeuroSimsAndInterpolatesBetween()
    {
        Assert.That(TechnologyParameters.ForNode(32).SupplyVoltage, Is.EqualTo(0.9));
        Assert.That(TechnologyParameters.ForNode(22).SupplyVoltage, Is.EqualTo(0.85));
        Assert.That(TechnologyParameters.ForNode(130).SupplyVoltage, Is.EqualTo(1.3));
        var at40 = TechnologyParameters.ForNode(40);
        Assert.That(at40.SupplyVoltage, Is.EqualTo(0.9 + 8.0 / 13 * 0.1).Within(1e-12));
        Assert.That(at40.Source, Does.StartWith("assumed: linear interpolation"));
        Assert.That(() => TechnologyParameters.ForNode(14), Throws.InstanceOf<ArgumentOutOfRangeException>());
        // Gate capacitance per um at 32 nm: 0.8375 x 1.2 + 0.6857 fF/um.
        Assert.That(TechnologyParameters.Nm32.GateCapFfPerUm, Is.EqualTo(0.8375279 * 1.2 + 0.6856677).Within(1e-9));
        // NeuroSim's bulk transistor footprint: 28 F x 2 CPP, CPP = 1 + 2.8 F (constant.h).
        Assert.That(TechnologyParameters.Nm32.TransistorFootprintUm2, Is.EqualTo(28 * 7.6 * 0.032 * 0.032).Within(1e-12));
    }

    [Test]
    public void WordLineCapacitanceIsWirePlusAccessGates()
    {
        var model = new SubarrayModel(new SubarrayParameters());
        // Access transistor: R_on(F) = 1.77 x 0.9 V / (600.2 uA/um x 0.032 um); W = R_on(F) x 0.2 / 25 kOhm in F.
        var ronF = 1.77 * 0.9 / (600.2e-6 * 0.032);
        var widthUm = ronF * 0.2 / 25e3 * 0.032;
        Assert.That(model.AccessWidthUm, Is.EqualTo(widthUm).Within(1e-12));
        var cap = 128 * 12 * 0.032 * 0.2 + 128 * TechnologyParameters.Nm32.GateCapFfPerUm * widthUm;
        Assert.That(model.WordLineCapFf, Is.EqualTo(cap).Within(1e-9));
        Assert.That(model.WordLineEnergyFj, Is.EqualTo(cap * 0.81).Within(1e-9));
    }

    [Test]
    public void WireResistanceFollowsParamCpp()
    {
        // 32 nm: w = 56 nm, AR 1.8, rho 2.63e-8 with a 4 nm barrier.
        var w = 56e-9;
        var rho = 2.63e-8 / (1 - (2 * 1.8 * w + w) * 4e-9 / (1.8 * w * w));
        Assert.That(WireParameters.ResistanceOhmPerUm(32), Is.EqualTo(rho / (w * w * 1.8) * 1e-6).Within(1e-9));
    }

    [Test]
    public void SubarrayReadScalesWithRowsAndMuxSteps()
    {
        var model = new SubarrayModel(new SubarrayParameters());
        var columns = new double[128];
        var none = model.Read(0, columns);
        Array.Fill(columns, 1e-5);
        var some = model.Read(10, columns);
        Assert.That(some.WordLinePj, Is.EqualTo(10 * 8 * model.WordLineEnergyFj * 1e-3).Within(1e-12));
        Assert.That(some.SwitchMatrixPj - none.SwitchMatrixPj, Is.EqualTo(10 * 8 * model.SwitchMatrixRowEnergyFj * 1e-3).Within(1e-12));
        Assert.That(some.MuxPj, Is.EqualTo(none.MuxPj));
        Assert.That(some.LatencyNs, Is.EqualTo(8 * model.ClockPeriodNs).Within(1e-12));
        Assert.That(() => model.Read(129, columns), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
