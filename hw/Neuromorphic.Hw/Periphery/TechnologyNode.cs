namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// First-order scaling of energy, area and supply voltage with the technology node, shared by the
/// periphery, digital and interconnect models so that every model scales the same way.
/// </summary>
/// <remarks>
/// Every rule here is an assumption, and the cost-table sources that use it say so: switched
/// capacitance scales linearly with the feature size (energy at fixed voltage ~ node / 45 nm from
/// Horowitz's 45 nm figures), area with its square, and the nominal supply voltage follows an
/// ITRS-like low-power roadmap. Pure functions; no state.
/// </remarks>
public static class TechnologyNode
{
    /// <summary>The node of Horowitz's ISSCC 2014 energy figures, the anchor of the scaling rules.</summary>
    public const double HorowitzNodeNm = 45;

    /// <summary>Smallest node the scaling rules are meant for.</summary>
    public const double MinNm = 5;

    /// <summary>Largest node the scaling rules are meant for.</summary>
    public const double MaxNm = 180;

    /// <summary>Source text for anything scaled with <see cref="CapacitanceScale"/>.</summary>
    public const string CapacitanceScalingNote = "assumed: energy scaled linearly with node/45 nm (switched capacitance), voltage change ignored";

    /// <summary>Source text for anything scaled with <see cref="DynamicEnergyScale"/>.</summary>
    public const string DynamicEnergyScalingNote = "assumed: C V^2 scaling from 45 nm, 1.0 V: x (node/45) x (Vdd/1.0 V)^2, Vdd from NeuroSim's PTM LP table";

    /// <summary>Source text for anything scaled with <see cref="AreaScale"/>.</summary>
    public const string AreaScalingNote = "assumed: area scaled with (node/45 nm)^2";

    // Points of the assumed low-power roadmap, ascending in node. ReadOnlySpan over constant data:
    // no static array anyone could mutate.
    private static ReadOnlySpan<double> SupplyNodes => [22, 32, 45, 65, 90, 130];
    private static ReadOnlySpan<double> SupplyVolts => [0.85, 0.9, 1.0, 1.1, 1.2, 1.3];

    /// <summary>Feature size F in micrometres.</summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns><paramref name="nodeNm"/> / 1000.</returns>
    public static double FeatureUm(double nodeNm) => nodeNm * 1e-3;

    /// <summary>Energy (capacitance) scale factor relative to 45 nm: <c>node / 45</c>.</summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>The factor.</returns>
    public static double CapacitanceScale(double nodeNm) => nodeNm / HorowitzNodeNm;

    /// <summary>
    /// Dynamic (switching) energy scale factor relative to Horowitz's 45 nm at 1.0 V: capacitance with the node,
    /// times the square of the supply voltage (<c>(node / 45) (Vdd(node) / 1.0 V)^2</c>).
    /// </summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>The factor.</returns>
    public static double DynamicEnergyScale(double nodeNm)
    {
        var v = SupplyVoltage(nodeNm) / SupplyVoltage(HorowitzNodeNm);
        return CapacitanceScale(nodeNm) * v * v;
    }

    /// <summary>Area scale factor relative to 45 nm: <c>(node / 45)^2</c>.</summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>The factor.</returns>
    public static double AreaScale(double nodeNm) => (nodeNm / HorowitzNodeNm) * (nodeNm / HorowitzNodeNm);

    /// <summary>
    /// Nominal supply voltage: 0.85 V at 22 nm, 0.9 V at 32 nm, 1.0 V at 45 nm, 1.1 V at 65 nm,
    /// 1.2 V at 90 nm, 1.3 V at 130 nm (NeuroSim V1.4 Technology.cpp, PTM LP), linear in between and
    /// clamped outside (assumed).
    /// </summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Supply voltage in volts.</returns>
    public static double SupplyVoltage(double nodeNm)
    {
        ReadOnlySpan<double> nodes = SupplyNodes, volts = SupplyVolts;
        if (nodeNm <= nodes[0])
        {
            return volts[0];
        }
        for (int i = 1; i < nodes.Length; i++)
        {
            if (nodeNm <= nodes[i])
            {
                return volts[i - 1] + (volts[i] - volts[i - 1]) * (nodeNm - nodes[i - 1]) / (nodes[i] - nodes[i - 1]);
            }
        }
        return volts[^1];
    }

    /// <summary>Footprint of one minimum-size transistor including its share of wiring, in um^2 (assumed 40 F^2).</summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>Area in square micrometres.</returns>
    public static double TransistorAreaUm2(double nodeNm) => 40 * FeatureUm(nodeNm) * FeatureUm(nodeNm);

    /// <summary>
    /// Leakage of logic per unit area, in uW per um^2 (assumed: 1e-4, i.e. 0.1 nW/um^2, a low-power
    /// process at room temperature; high-performance processes leak 10-100x more).
    /// </summary>
    public const double LogicLeakageUwPerUm2 = 1e-4;

    /// <summary>Gate capacitance per micrometre of transistor width, fF/um (assumed: ~1 fF/um, roughly constant across nodes).</summary>
    public const double GateCapacitanceFfPerUm = 1.0;

    /// <summary>Capacitance of a minimum-pitch on-chip wire, fF/um (assumed: ~0.2 fF/um, roughly constant across nodes).</summary>
    public const double WireCapacitanceFfPerUm = 0.2;

    /// <summary>Throws if <paramref name="nodeNm"/> is outside [<see cref="MinNm"/>, <see cref="MaxNm"/>].</summary>
    /// <param name="nodeNm">The node to check.</param>
    /// <param name="field">The parameter field being checked, for the message.</param>
    /// <exception cref="ArgumentException">The node is out of range or not a number.</exception>
    public static void Validate(double nodeNm, string field)
    {
        if (!(nodeNm >= MinNm && nodeNm <= MaxNm))
        {
            throw new ArgumentException($"{field} must be in [{MinNm}, {MaxNm}] nm, found {nodeNm}", field);
        }
    }
}
