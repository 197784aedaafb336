using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>The presets' derived figures against published bands and NeuroSim's model.</summary>
public sealed class PresetFigureTests
{
    [Test]
    public void FortyNanometreMacroAtSpikeInputsIsInsideThePublishedBand()
    {
        // Published RRAM macros: about 10-130 TOPS/W, i.e. 15-200 fJ per MAC with periphery (REFERENCE.md).
        var chip = new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb"));
        var f = MacroFigures.Measure(chip, chip.Spec.DefaultInputDensity);
        Assert.That(f.CapacityBits, Is.EqualTo(256 * 1024));
        Assert.That(f.TopsPerWatt, Is.InRange(10.0, 130.0));
        Assert.That(f.EnergyPerMacFj, Is.InRange(15.0, 200.0));
        Assert.That(f.PeakTops, Is.GreaterThan(0));
    }

    [Test]
    public void DoublingParallelRowsRaisesEnergyEfficiency()
    {
        // NeuroSim V1.4 Table VII: 32 -> 64 parallel rows, 11.25 -> 19.88 TOPS/W (and accuracy falls: see RramMacroTests).
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        double Efficiency(int rows) => MacroFigures.Measure(new ChipModel(spec with { Macro = spec.Macro with { ParallelRows = rows } }), 0.1).TopsPerWatt;
        var e32 = Efficiency(32);
        var e64 = Efficiency(64);
        Assert.That(e64, Is.GreaterThan(1.3 * e32));
    }

    [TestCase(0.0, 87.0)]
    [TestCase(0.1, 185.0)]
    [TestCase(0.5, 423.0)]
    public void NeuroSimPresetConversionEnergyMatchesNeuroSimsModel(double lrsShare, double expectedFj)
    {
        // 128 rows driven, Ron 100 kOhm, on/off 17: R_col = 1 / (n_LRS / Ron + n_HRS / Roff).
        var chip = new ChipModel(ArchitectureLoader.Load("neurosim-rram-32nm"));
        var lrs = Math.Round(128 * lrsShare);
        var conductance = lrsShare == 0 ? 0 : lrs / 100e3 + (128 - lrs) / 1.7e6;
        Assert.That(chip.Adc.ConversionEnergyFj(conductance), Is.EqualTo(expectedFj).Within(0.15 * expectedFj));
        Assert.That(chip.Adc.Component, Is.EqualTo(Adc.SarComponent));
    }

    [Test]
    public void EveryCostRowOfEveryPresetCitesASource()
    {
        foreach (var name in Presets.ArchitectureNames)
        {
            var chip = new ChipModel(ArchitectureLoader.Load(name));
            foreach (var row in chip.Costs.Rows())
                Assert.That(row.Source, Is.Not.Null.And.Not.Empty, $"{name}: {row.Component}.{row.Action}");
        }
    }
}
