namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// NeuroSim's fitted SAR ADC power at one technology node (DNN_NeuroSim V1.4, SarADC.cpp,
/// <c>GetColumnPower</c>, low-power devices): <c>P = (A bits + B) uW + ColumnCoefficient / R_col W</c>.
/// </summary>
/// <remarks>
/// NeuroSim's column term is <c>c exp(-k log10 R)</c> with k = 2.297-2.303, i.e. <c>c R^-0.998..-1.000</c>;
/// it is taken as exactly <c>c / R = c G</c> here so that the column energy is linear in the column
/// conductance and a run's energy is exactly counts x per-unit energy (the difference is below 2 %
/// for 1-10 kOhm columns). At 32 nm c = 0.079449 V^2, the "about 0.079 / R_col" of the issue.
/// </remarks>
/// <param name="A">Logic power per bit of resolution, uW.</param>
/// <param name="B">Logic power independent of resolution, uW.</param>
/// <param name="ColumnCoefficient">Column power times column resistance, V^2 (W x Ohm).</param>
/// <param name="Source">Where the three numbers come from, or <c>assumed: ...</c> when interpolated or clamped.</param>
public readonly record struct SarAdcFit(double A, double B, double ColumnCoefficient, string Source)
{
    private const string Code = "NeuroSim SarADC.cpp (DNN_NeuroSim V1.4, GetColumnPower, LP)";

    /// <summary>NeuroSim's 22 nm fit: a, b = 0.538, 4.3753; column 0.072341.</summary>
    public static SarAdcFit Nm22 { get; } = new(0.538, 4.3753, 0.072341, Code + " 22 nm");

    /// <summary>NeuroSim's 32 nm fit: a, b = 1.1294, 8.8998; column 0.079449.</summary>
    public static SarAdcFit Nm32 { get; } = new(1.1294, 8.8998, 0.079449, Code + " 32 nm");

    /// <summary>NeuroSim's 45 nm fit: a, b = 2.1691, 16.693; column 0.100225.</summary>
    public static SarAdcFit Nm45 { get; } = new(2.1691, 16.693, 0.100225, Code + " 45 nm");

    /// <summary>
    /// The fit for any node: NeuroSim's own at 22, 32 and 45 nm; linear interpolation in the node
    /// between neighbouring fits inside [22, 45] nm; the nearest fit (clamped) outside. The last two
    /// say <c>assumed</c> in their <see cref="Source"/>.
    /// </summary>
    /// <param name="nodeNm">Technology node in nanometres.</param>
    /// <returns>The fit.</returns>
    public static SarAdcFit ForNode(double nodeNm)
    {
        if (nodeNm == 22)
        {
            return Nm22;
        }
        if (nodeNm == 32)
        {
            return Nm32;
        }
        if (nodeNm == 45)
        {
            return Nm45;
        }
        if (nodeNm < 22)
        {
            return Nm22 with { Source = $"assumed: {nodeNm} nm clamped to NeuroSim's 22 nm fit (SarADC.cpp, LP)" };
        }
        if (nodeNm > 45)
        {
            return Nm45 with { Source = $"assumed: {nodeNm} nm clamped to NeuroSim's 45 nm fit (SarADC.cpp, LP)" };
        }
        var (lo, hi, loNm, hiNm) = nodeNm < 32 ? (Nm22, Nm32, 22.0, 32.0) : (Nm32, Nm45, 32.0, 45.0);
        double t = (nodeNm - loNm) / (hiNm - loNm);
        return new SarAdcFit(
            lo.A + t * (hi.A - lo.A),
            lo.B + t * (hi.B - lo.B),
            lo.ColumnCoefficient + t * (hi.ColumnCoefficient - lo.ColumnCoefficient),
            $"assumed: linear interpolation of NeuroSim's {loNm:0}/{hiNm:0} nm fits (SarADC.cpp, LP) at {nodeNm} nm");
    }

    /// <summary>Logic power <c>A bits + B</c> in microwatts.</summary>
    /// <param name="bits">ADC resolution.</param>
    /// <returns>Power in uW.</returns>
    public double LogicPowerUw(int bits) => A * bits + B;
}
