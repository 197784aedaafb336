using Neuromorphic.Hw.Subarray;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// A repeated H-tree bus (NeuroSim V1.4 HTree.cpp): repeaters sized for speed, then relaxed by the delay
/// tolerance to save energy; energy and delay per bit and micrometre of path, and the wiring area.
/// </summary>
public sealed class HTreeInterconnect
{
    /// <summary>Creates the model of one node.</summary>
    /// <param name="technology">The node.</param>
    /// <param name="busWidthBits">Wires of the bus.</param>
    /// <param name="delayTolerance">Delay traded for energy (Param.cpp globalBusDelayTolerance: 0.1).</param>
    /// <param name="foldedRatio">Layout folding of the tree (Param.cpp treeFoldedRatio: 4).</param>
    public HTreeInterconnect(TechnologyParameters technology, int busWidthBits, double delayTolerance = 0.1, double foldedRatio = 4)
    {
        ArgumentNullException.ThrowIfNull(technology);
        if (busWidthBits < 1) throw new ArgumentOutOfRangeException(nameof(busWidthBits), busWidthBits, "the bus needs at least one wire");
        Technology = technology;
        BusWidthBits = busWidthBits;
        FoldedRatio = foldedRatio;
        var c = new CircuitPrimitives(technology);
        var f = technology.FeatureUm;
        var rw = WireParameters.ResistanceOhmPerUm(technology.NodeNm);
        const double cw = WireParameters.CapFfPerUm * 1e-15; // F per um
        double RepResistance(double size)
        {
            var n = CircuitPrimitives.MinNmosWidthF * f * size;
            var p = technology.PnSizeRatio * n;
            var rn = technology.NmosOnResistanceOhm(n);
            var rp = technology.EffectiveResistanceMultiplier * technology.SupplyVoltage / (technology.OnCurrentPmosUaPerUm * 1e-6 * p);
            return (rn + rp) / 2;
        }
        var cin = c.MinInverterInputFf * 1e-15;
        var cout = c.MinInverterOutputFf * 1e-15;
        var size = Math.Floor(Math.Sqrt(RepResistance(1) * cw / cin / rw));
        var dist = Math.Sqrt(2 * RepResistance(1) * (cout + cin) / (rw * cw));
        double Delay(double s, double d) =>
            0.7 * (RepResistance(s) * (s * (cin + cout) + cw * d) + 0.54 * rw * d * cw * d + rw * d * s * cin) / d;
        var best = Delay(size, dist);
        var delay = 0.0;
        while (delayTolerance > 0 && delay < best * (1 + delayTolerance) && size > 1)
        {
            size /= 2;
            dist *= 0.9;
            delay = Delay(size, dist);
        }
        RepeaterSize = Math.Max(1, size);
        RepeaterSpacingUm = dist;
        DelayPsPerUm = Delay(RepeaterSize, dist) * 1e12;
        // HTree.cpp CalculatePower: (C_in + C_out of the repeater + wire) Vdd^2 / spacing x 0.5 per unit length.
        EnergyFjPerBitUm = (RepeaterSize * (cin + cout) + cw * dist) * technology.SupplyVoltage * technology.SupplyVoltage / dist * 0.5 * 1e15;
        var repeaterN = CircuitPrimitives.MinNmosWidthF * f * RepeaterSize;
        RepeaterWidthUm = c.InverterWidthUm(repeaterN, technology.PnSizeRatio * repeaterN);
    }

    /// <summary>The node.</summary>
    public TechnologyParameters Technology { get; }

    /// <summary>Wires of the bus.</summary>
    public int BusWidthBits { get; }

    /// <summary>Layout folding of the tree.</summary>
    public double FoldedRatio { get; }

    /// <summary>Repeater size in minimum inverters.</summary>
    public double RepeaterSize { get; }

    /// <summary>Distance between repeaters, um.</summary>
    public double RepeaterSpacingUm { get; }

    /// <summary>Delay per micrometre of repeated wire, ps.</summary>
    public double DelayPsPerUm { get; }

    /// <summary>Energy per bit and micrometre of path, fJ.</summary>
    public double EnergyFjPerBitUm { get; }

    /// <summary>Width one repeated wire takes in the layout: its repeater's folded standard-cell width (formula.cpp CalculateGateArea), um.</summary>
    public double RepeaterWidthUm { get; }

    /// <summary>Height of a repeater: one standard-cell row (constant.h MAX_TRANSISTOR_HEIGHT = 28 F), um.</summary>
    public double RepeaterHeightUm => TechnologyParameters.CellHeightF * Technology.FeatureUm;

    /// <summary>
    /// Root-to-leaf path of an H-tree over a grid of <paramref name="unitsPerSide"/>^2 units of side
    /// <paramref name="unitSideUm"/> (HTree.cpp: halving vertical and horizontal stages plus the main bus to the edge), um.
    /// </summary>
    /// <param name="unitsPerSide">Units (tiles) per side, &gt;= 1.</param>
    /// <param name="unitSideUm">Side of one unit, um.</param>
    /// <returns>Path length in um.</returns>
    public static double RootToLeafUm(int unitsPerSide, double unitSideUm)
    {
        var stages = (int)Math.Ceiling(Math.Log2(Math.Max(1, unitsPerSide)));
        var n = Math.Pow(2, stages);
        double length = 0, v = unitSideUm * n / 2, h = unitSideUm * n / 2;
        for (var i = 0; i < stages; i++)
        {
            v /= 2;
            h /= 2;
            length += v + h;
        }
        return length + Math.Min(n - n / 2, n / 2) * unitSideUm;
    }

    /// <summary>Wiring area of the tree (bus width x repeater width / folding, over the total wire length), um^2.</summary>
    /// <param name="totalWireLengthUm">Length of the tree's wires, um.</param>
    /// <returns>Area in um^2.</returns>
    public double AreaUm2(double totalWireLengthUm) => BusWidthBits * RepeaterWidthUm / FoldedRatio * totalWireLengthUm;
}
