using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Subarray;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Subarray;

/// <summary>NeuroSim's bounding-box floorplan (SubArray.cpp, ProcessingUnit.cpp, Tile.cpp, Chip.cpp, XYBus.cpp, formula.cpp) against hand-worked closed forms.</summary>
public sealed class ChipFloorplanAreaTests
{
    [Test]
    public void InverterFoldsIntoTheCellRowAsCalculateGateAreaDoes()
    {
        var c = new CircuitPrimitives(TechnologyParameters.Nm32);
        var f = 0.032;
        var pn = TechnologyParameters.Nm32.PnSizeRatio;
        // Minimum inverter: no folding, 2 contacted poly pitches of 3.8 F.
        Assert.That(c.InverterWidthUm(2 * f, pn * 2 * f), Is.EqualTo(2 * 3.8 * f).Within(1e-12));
        // A 36.5x repeater: NMOS 73 F against 20.9 F x (1 - P/(P+N)) of diffusion, PMOS 109.5 F against 20.9 F x P/(P+N).
        var n = 73 * f;
        var ratio = pn / (1 + pn);
        var folds = Math.Max(Math.Ceiling(n / ((1 - ratio) * 20.9 * f)), Math.Ceiling(pn * n / (ratio * 20.9 * f)));
        Assert.That(c.InverterWidthUm(n, pn * n), Is.EqualTo((folds + 1) * 3.8 * f).Within(1e-12));
    }

    [Test]
    public void SubarrayBoxWidensByTheRowSideAndHeightensByTheColumnSide()
    {
        var a = new SubarrayModel(new SubarrayParameters { AdcBits = 5 }).Area();
        Assert.That(a.ArrayHeightUm, Is.EqualTo(128 * 4 * 0.032).Within(1e-12));
        Assert.That(a.ArrayWidthUm, Is.EqualTo(128 * 12 * 0.032).Within(1e-12));
        Assert.That(a.RowShiftersUm2, Is.EqualTo(2 * a.ColumnShiftersUm2).Within(1e-9), "WL and BL shifters per row, SL per column");
        Assert.That(a.BoxWidthUm, Is.EqualTo(a.ArrayWidthUm + (a.SwitchMatrixUm2 + a.RowShiftersUm2) / a.ArrayHeightUm).Within(1e-9));
        Assert.That(a.BoxHeightUm, Is.EqualTo(a.ArrayHeightUm + (a.ColumnShiftersUm2 + a.AccumulationUm2 + a.AdcUm2) / a.ArrayWidthUm).Within(1e-9));
        // The box holds everything used plus the empty corner (row-side width x column-side height).
        var corner = (a.BoxWidthUm - a.ArrayWidthUm) * (a.BoxHeightUm - a.ArrayHeightUm);
        Assert.That(a.BoxUm2, Is.EqualTo(a.TotalUm2 + corner).Within(1e-6));
    }

    [Test]
    public void ChipIsTilesPlusTheXyBusPlusTheGlobalBufferAndItsPartsSumToIt()
    {
        var model = new SubarrayModel(new SubarrayParameters { AdcBits = 5 });
        var floorplan = new LayerFloorplan { Tiles = 2, SubarraysPerTile = 16, PesPerTile = 4 };
        var area = ChipFloorplanArea.Compute(model, floorplan, 128);
        var sub = model.Area();
        // Parts as NeuroSim reports them: 32 subarrays' used ADC and other periphery.
        Assert.That(area.AdcMm2, Is.EqualTo(32 * sub.AdcUm2 * 1e-6).Within(1e-12));
        Assert.That(area.OtherPeripheryMm2, Is.EqualTo(32 * sub.OtherPeripheryUm2 * 1e-6).Within(1e-12));
        // PE, tile and chip areas are sums (their sides only place the next level): the empty space is the 32 subarray corners.
        Assert.That(area.EmptyMm2, Is.EqualTo(32 * (sub.BoxUm2 - sub.TotalUm2) * 1e-6).Within(1e-9));
        // The chip's bounding box: 2 square tiles, the X-Y bus between them and a global buffer of 128 x 128 DFFs.
        var buffer = 128 * 128 * 12 * model.Technology.TransistorFootprintUm2 * 1e-6;
        Assert.That(area.BuffersMm2, Is.GreaterThan(buffer));
        Assert.That(area.TotalMm2, Is.EqualTo(area.ArraysMm2 + area.AdcMm2 + area.AccumulationMm2 + area.OtherPeripheryMm2 + area.BuffersMm2 + area.InterconnectMm2 + area.EmptyMm2).Within(1e-12));
        // Three tiles: a bus 1.5 x as wide (576 bits per tile) over a 2 x 2 grid instead of 2 x 1; 1.5 x the ADCs.
        var three = ChipFloorplanArea.Compute(model, floorplan with { Tiles = 3 }, 128);
        Assert.That(three.InterconnectMm2, Is.GreaterThan(1.5 * area.InterconnectMm2));
        Assert.That(three.AdcMm2, Is.EqualTo(1.5 * area.AdcMm2).Within(1e-12));
    }

    [Test]
    public void PesPerTileMustDivideTheTile()
    {
        var model = new SubarrayModel(new SubarrayParameters());
        Assert.That(() => ChipFloorplanArea.Compute(model, new LayerFloorplan { Tiles = 1, SubarraysPerTile = 6, PesPerTile = 4 }, 128),
            Throws.ArgumentException.With.Message.Contains("PesPerTile"));
    }
}
