namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// The gate-level quantities NeuroSim V1.4 builds its periphery from (formula.cpp, DFF.cpp), evaluated
/// on one node's <see cref="TechnologyParameters"/>. Capacitances in fF, energies in fJ, widths in um.
/// </summary>
public sealed class CircuitPrimitives
{
    /// <summary>Minimum NMOS width in F (constant.h MIN_NMOS_SIZE).</summary>
    public const double MinNmosWidthF = 2;

    /// <summary>Creates the primitives of a node.</summary>
    /// <param name="technology">The node's parameters.</param>
    public CircuitPrimitives(TechnologyParameters technology)
    {
        ArgumentNullException.ThrowIfNull(technology);
        Technology = technology;
        var f = technology.FeatureUm;
        var n = MinNmosWidthF * f;
        var p = technology.PnSizeRatio * n;
        MinInverterInputFf = GateCapFf(n) + GateCapFf(p);
        MinInverterOutputFf = DrainCapFf(n + p);
        var v2 = technology.SupplyVoltage * technology.SupplyVoltage;
        // DFF.cpp CalculatePower, every DFF passing data: clock inverters 4 (Cin + Cout), clock TGs 2 (CgN + CgP),
        // D input (3 Cd + Cin), feedback (Cd + Cout), Q output (Cin + Cout); TG and inverters are minimum size.
        DffClockEnergyFj = v2 * (8 * MinInverterInputFf + 10 * MinInverterOutputFf);
    }

    /// <summary>The node.</summary>
    public TechnologyParameters Technology { get; }

    /// <summary>Input capacitance of a minimum inverter (NMOS 2 F, PMOS pnSizeRatio x 2 F), fF.</summary>
    public double MinInverterInputFf { get; }

    /// <summary>Output (drain) capacitance of a minimum inverter, fF.</summary>
    public double MinInverterOutputFf { get; }

    /// <summary>Energy of one DFF for one clock while passing data (DFF.cpp CalculatePower, before the activity factor), fJ.</summary>
    public double DffClockEnergyFj { get; }

    /// <summary>Gate capacitance of a transistor <paramref name="widthUm"/> wide, fF (formula.cpp CalculateGateCap).</summary>
    /// <param name="widthUm">Width in um.</param>
    /// <returns>Capacitance in fF.</returns>
    public double GateCapFf(double widthUm) => Technology.GateCapFfPerUm * widthUm;

    /// <summary>Drain capacitance of transistors of total width <paramref name="widthUm"/>, fF (see <see cref="TechnologyParameters.DrainCapFfPerUm"/>).</summary>
    /// <param name="widthUm">Total width in um.</param>
    /// <returns>Capacitance in fF.</returns>
    public double DrainCapFf(double widthUm) => Technology.DrainCapFfPerUm * widthUm;

    /// <summary>
    /// Width of the 1T1R access transistor that has <paramref name="accessResistanceOhm"/> in the linear
    /// region, um (SubArray.cpp Initialize: W = R_on(F) x LINEAR_REGION_RATIO / R_access, in F).
    /// </summary>
    /// <param name="accessResistanceOhm">The access transistor's on-resistance, ohm.</param>
    /// <returns>Width in um.</returns>
    public double AccessTransistorWidthUm(double accessResistanceOhm)
    {
        const double LinearRegionRatio = 0.20; // constant.h LINEAR_REGION_RATIO
        var f = Technology.FeatureUm;
        return Technology.NmosOnResistanceOhm(f) * LinearRegionRatio / accessResistanceOhm * f;
    }

    /// <summary>
    /// Width of an inverter laid out in one standard-cell row of 28 F (formula.cpp CalculateGateArea, bulk): the row
    /// leaves 28 - 3.5 (N-P gap) - 2 x 1.8 (poly extension, field poly) = 20.9 F of diffusion, split between PMOS and
    /// NMOS in proportion to their widths; a wider transistor is folded, and the gate takes (folds + 1) contacted poly
    /// pitches (2 without folding), the wider of the NMOS and PMOS regions.
    /// </summary>
    /// <param name="nmosWidthUm">NMOS width, um (&gt; 0).</param>
    /// <param name="pmosWidthUm">PMOS width, um (&gt; 0).</param>
    /// <returns>Width in um.</returns>
    public double InverterWidthUm(double nmosWidthUm, double pmosWidthUm)
    {
        const double DiffusionF = TechnologyParameters.CellHeightF - 3.5 - 2 * (1.0 + 1.6 / 2);
        var f = Technology.FeatureUm;
        var ratio = pmosWidthUm / (pmosWidthUm + nmosWidthUm);
        double Region(double widthUm, double maxUm)
        {
            var folds = widthUm <= maxUm ? 1 : (int)Math.Ceiling(widthUm / maxUm);
            return (folds == 1 ? 2 : folds + 1) * TechnologyParameters.ContactedPolyPitchF * f;
        }
        return Math.Max(Region(pmosWidthUm, ratio * DiffusionF * f), Region(nmosWidthUm, (1 - ratio) * DiffusionF * f));
    }
}
