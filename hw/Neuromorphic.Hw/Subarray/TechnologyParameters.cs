namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// Transistor and supply parameters of one technology node, as NeuroSim V1.4 takes them from the PTM
/// low-power (LP / LSTP) models (<c>Technology.cpp</c>, <c>Technology::Initialize</c>), plus the few
/// layout constants of <c>constant.h</c> its area and capacitance formulas use. Plain data; the
/// circuit formulas live in <see cref="CircuitPrimitives"/>.
/// </summary>
/// <param name="NodeNm">Technology node (feature size F) in nanometres.</param>
/// <param name="SupplyVoltage">Vdd in volts.</param>
/// <param name="CapIdealGateFfPerUm">Ideal gate capacitance per micrometre of width, fF/um.</param>
/// <param name="CapFringeFfPerUm">Fringe gate capacitance per micrometre of width, fF/um.</param>
/// <param name="OnCurrentNmosUaPerUm">NMOS on-current at 300 K, uA/um.</param>
/// <param name="OnCurrentPmosUaPerUm">PMOS on-current at 300 K, uA/um.</param>
/// <param name="EffectiveResistanceMultiplier">CACTI's effective-resistance multiplier.</param>
/// <param name="Source">Where the numbers come from (NeuroSim's table or an interpolation).</param>
public sealed record TechnologyParameters(
    double NodeNm,
    double SupplyVoltage,
    double CapIdealGateFfPerUm,
    double CapFringeFfPerUm,
    double OnCurrentNmosUaPerUm,
    double OnCurrentPmosUaPerUm,
    double EffectiveResistanceMultiplier,
    string Source)
{
    /// <summary>Overlap capacitance as a share of the ideal gate capacitance (NeuroSim Technology.cpp: capOverlap = 0.2 capIdealGate).</summary>
    public const double OverlapShare = 0.2;

    /// <summary>
    /// Drain (diffusion) capacitance per micrometre of transistor width at 32 nm, fF/um. NeuroSim
    /// computes it from junction geometry (formula.cpp, CalculateDrainCap); here it is the one value
    /// that makes NeuroSim's own switch-matrix and DFF energies at 32 nm come out of the gate-level
    /// formulas (issue 14's run), and it is scaled with the fringe capacitance at other nodes (assumed).
    /// </summary>
    public const double DrainCapFfPerUmAt32Nm = 0.70;

    /// <summary>Standard-cell height in F (constant.h MAX_TRANSISTOR_HEIGHT).</summary>
    public const double CellHeightF = 28;

    /// <summary>
    /// Contacted poly pitch in F: POLY_WIDTH + MIN_GAP_BET_GATE_POLY = 1 + 2.8 F (constant.h). NeuroSim's bulk
    /// gate area is 28 F x 2 CPP per fold-free transistor (formula.cpp, CalculateGateArea); with it SarADC.cpp's
    /// transistor count gives NeuroSim's reported 263 um^2 per 5-bit SAR ADC at 32 nm (issue 14's run).
    /// </summary>
    public const double ContactedPolyPitchF = 3.8;

    /// <summary>Feature size F in micrometres.</summary>
    public double FeatureUm => NodeNm * 1e-3;

    /// <summary>Gate capacitance per micrometre of width: ideal + overlap + fringe, fF/um (formula.cpp CalculateGateCap).</summary>
    public double GateCapFfPerUm => CapIdealGateFfPerUm * (1 + OverlapShare) + CapFringeFfPerUm;

    /// <summary>Drain capacitance per micrometre of width, fF/um (see <see cref="DrainCapFfPerUmAt32Nm"/>).</summary>
    public double DrainCapFfPerUm => DrainCapFfPerUmAt32Nm * CapFringeFfPerUm / Nm32.CapFringeFfPerUm;

    /// <summary>PMOS/NMOS width ratio for equal drive (Technology.cpp pnSizeRatio = Ion,n / Ion,p).</summary>
    public double PnSizeRatio => OnCurrentNmosUaPerUm / OnCurrentPmosUaPerUm;

    /// <summary>Footprint of one minimum transistor in a standard cell, um^2: 28 F x 2 CPP (see <see cref="ContactedPolyPitchF"/>).</summary>
    public double TransistorFootprintUm2 => CellHeightF * 2 * ContactedPolyPitchF * FeatureUm * FeatureUm;

    /// <summary>NMOS on-resistance of a transistor <paramref name="widthUm"/> wide, ohm (formula.cpp CalculateOnResistance, 300 K).</summary>
    /// <param name="widthUm">Width in micrometres, &gt; 0.</param>
    /// <returns>Resistance in ohm.</returns>
    public double NmosOnResistanceOhm(double widthUm) =>
        EffectiveResistanceMultiplier * SupplyVoltage / (OnCurrentNmosUaPerUm * 1e-6 * widthUm);

    /// <summary>NeuroSim's PTM LP 22 nm: Vdd 0.85 V.</summary>
    public static TechnologyParameters Nm22 { get; } = new(22, 0.85, 0.5245, 0.8004, 791.9, 600.2, 1.77, Cite(22));

    /// <summary>NeuroSim's PTM LP 32 nm: Vdd 0.9 V.</summary>
    public static TechnologyParameters Nm32 { get; } = new(32, 0.9, 0.8375279, 0.6856677, 600.2, 400.0, 1.77, Cite(32));

    /// <summary>NeuroSim's PTM LP 45 nm: Vdd 1.0 V.</summary>
    public static TechnologyParameters Nm45 { get; } = new(45, 1.0, 0.8930709, 0.8849901, 500.2, 300.0, 1.77, Cite(45));

    /// <summary>NeuroSim's PTM LP 65 nm: Vdd 1.1 V.</summary>
    public static TechnologyParameters Nm65 { get; } = new(65, 1.1, 1.1926, 0.962148, 400.0, 238.7, 1.77, Cite(65));

    /// <summary>NeuroSim's PTM LP 90 nm: Vdd 1.2 V.</summary>
    public static TechnologyParameters Nm90 { get; } = new(90, 1.2, 1.5413, 0.9601334, 346.3, 200.3, 1.77, Cite(90));

    /// <summary>NeuroSim's PTM LP 130 nm: Vdd 1.3 V.</summary>
    public static TechnologyParameters Nm130 { get; } = new(130, 1.3, 1.8574, 0.9530642, 300.7, 150.7, 1.54, Cite(130));

    /// <summary>The nodes NeuroSim tabulates, ascending.</summary>
    public static IReadOnlyList<TechnologyParameters> Table { get; } = [Nm22, Nm32, Nm45, Nm65, Nm90, Nm130];

    /// <summary>
    /// Parameters at any node in [22, 130] nm: NeuroSim's own at its six nodes, linear interpolation of
    /// every field between neighbouring nodes otherwise (assumed, said so in <see cref="Source"/>).
    /// </summary>
    /// <param name="nodeNm">Technology node in nanometres, in [22, 130].</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The node lies outside [22, 130] nm.</exception>
    public static TechnologyParameters ForNode(double nodeNm)
    {
        if (!(nodeNm >= 22 && nodeNm <= 130))
            throw new ArgumentOutOfRangeException(nameof(nodeNm), nodeNm, "NeuroSim's technology table covers 22-130 nm");
        for (var i = 0; i < Table.Count; i++)
        {
            var hi = Table[i];
            if (nodeNm == hi.NodeNm) return hi;
            if (nodeNm > hi.NodeNm) continue;
            var lo = Table[i - 1];
            var t = (nodeNm - lo.NodeNm) / (hi.NodeNm - lo.NodeNm);
            double Mix(double a, double b) => a + t * (b - a);
            return new TechnologyParameters(nodeNm, Mix(lo.SupplyVoltage, hi.SupplyVoltage), Mix(lo.CapIdealGateFfPerUm, hi.CapIdealGateFfPerUm),
                Mix(lo.CapFringeFfPerUm, hi.CapFringeFfPerUm), Mix(lo.OnCurrentNmosUaPerUm, hi.OnCurrentNmosUaPerUm),
                Mix(lo.OnCurrentPmosUaPerUm, hi.OnCurrentPmosUaPerUm), Mix(lo.EffectiveResistanceMultiplier, hi.EffectiveResistanceMultiplier),
                $"assumed: linear interpolation of NeuroSim's PTM LP {lo.NodeNm:0} and {hi.NodeNm:0} nm parameters (Technology.cpp) at {nodeNm} nm");
        }
        throw new InvalidOperationException("unreachable: the table ends at 130 nm");
    }

    private static string Cite(int node) => $"NeuroSim V1.4 Technology.cpp (Technology::Initialize, PTM {node} nm LP)";
}
