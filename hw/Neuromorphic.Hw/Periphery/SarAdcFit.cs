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
    /// <summary>The exponent k of NeuroSim's column term <c>c exp(-k log10 R)</c> (2.303 at most nodes, 2.297 at 32 nm).</summary>
    public double Exponent { get; init; } = 2.303;

    /// <summary>NeuroSim characterised its column term at this read voltage (SarADC.cpp GetColumnPower: R_col x 0.5 / V_read).</summary>
    public const double CharacterisedReadVoltage = 0.5;

    /// <summary>Power of an ADC whose column has no conducting cell, uW (SarADC.cpp: 1/R_col = 0 gives 1e-6 W).</summary>
    public const double OpenColumnPowerUw = 1.0;

    private const string Code = "NeuroSim SarADC.cpp (DNN_NeuroSim V1.4, GetColumnPower, LP)";

    /// <summary>NeuroSim's 22 nm fit: a, b = 0.538, 4.3753; column 0.072341.</summary>
    public static SarAdcFit Nm22 { get; } = new(0.538, 4.3753, 0.072341, Code + " 22 nm");

    /// <summary>NeuroSim's 32 nm fit: a, b = 1.1294, 8.8998; column 0.079449.</summary>
    public static SarAdcFit Nm32 { get; } = new(1.1294, 8.8998, 0.079449, Code + " 32 nm") { Exponent = 2.297 };

    /// <summary>NeuroSim's 45 nm fit: a, b = 2.1691, 16.693; column 0.100225.</summary>
    public static SarAdcFit Nm45 { get; } = new(2.1691, 16.693, 0.100225, Code + " 45 nm");

    /// <summary>NeuroSim's 65 nm fit: a, b = 3.7506, 25.844; column 0.121272.</summary>
    public static SarAdcFit Nm65 { get; } = new(3.7506, 25.844, 0.121272, Code + " 65 nm");

    /// <summary>NeuroSim's 90 nm fit: a, b = 5.9869, 37.462; column 0.144323.</summary>
    public static SarAdcFit Nm90 { get; } = new(5.9869, 37.462, 0.144323, Code + " 90 nm");

    /// <summary>NeuroSim's 130 nm fit: a, b = 8.4483, 65.243; column 0.169380.</summary>
    public static SarAdcFit Nm130 { get; } = new(8.4483, 65.243, 0.169380, Code + " 130 nm");

    /// <summary>
    /// NeuroSim's energy of one conversion, fJ (SarADC.cpp GetColumnPower x (bits + 1) ns, 300 K): the logic
    /// power plus <c>c exp(-k log10 (R_col 0.5 / V_read))</c>, or only <see cref="OpenColumnPowerUw"/> when no
    /// cell conducts.
    /// </summary>
    /// <param name="bits">ADC resolution.</param>
    /// <param name="columnConductanceSiemens">Conductance of the column's driven cells (access transistors included), S, &gt;= 0.</param>
    /// <param name="readVoltage">Read voltage, V.</param>
    /// <returns>Energy in femtojoules.</returns>
    public double NeuroSimConversionEnergyFj(int bits, double columnConductanceSiemens, double readVoltage)
    {
        double powerUw;
        if (columnConductanceSiemens <= 0) powerUw = OpenColumnPowerUw;
        else
        {
            var r = CharacterisedReadVoltage / readVoltage / columnConductanceSiemens;
            powerUw = LogicPowerUw(bits) + ColumnCoefficient * Math.Exp(-Exponent * Math.Log10(r)) * 1e6;
        }
        return powerUw * (bits + 1); // uW x ns = fJ
    }

    /// <summary>
    /// The fit for any node: NeuroSim's own at 22, 32, 45, 65, 90 and 130 nm; linear interpolation in the node
    /// between neighbouring fits inside [22, 130] nm; the nearest fit (clamped) outside. The last two
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
        if (nodeNm == 65) return Nm65;
        if (nodeNm == 90) return Nm90;
        if (nodeNm == 130) return Nm130;
        if (nodeNm < 22)
        {
            return Nm22 with { Source = $"assumed: {nodeNm} nm clamped to NeuroSim's 22 nm fit (SarADC.cpp, LP)" };
        }
        if (nodeNm > 130)
        {
            return Nm130 with { Source = $"assumed: {nodeNm} nm clamped to NeuroSim's 130 nm fit (SarADC.cpp, LP)" };
        }
        var (lo, hi, loNm, hiNm) = nodeNm switch
        {
            < 32 => (Nm22, Nm32, 22.0, 32.0),
            < 45 => (Nm32, Nm45, 32.0, 45.0),
            < 65 => (Nm45, Nm65, 45.0, 65.0),
            < 90 => (Nm65, Nm90, 65.0, 90.0),
            _ => (Nm90, Nm130, 90.0, 130.0),
        };
        double t = (nodeNm - loNm) / (hiNm - loNm);
        return new SarAdcFit(
            lo.A + t * (hi.A - lo.A),
            lo.B + t * (hi.B - lo.B),
            lo.ColumnCoefficient + t * (hi.ColumnCoefficient - lo.ColumnCoefficient),
            $"assumed: linear interpolation of NeuroSim's {loNm:0}/{hiNm:0} nm fits (SarADC.cpp, LP) at {nodeNm} nm")
        { Exponent = lo.Exponent + t * (hi.Exponent - lo.Exponent) };
    }

    /// <summary>Logic power <c>A bits + B</c> in microwatts.</summary>
    /// <param name="bits">ADC resolution.</param>
    /// <returns>Power in uW.</returns>
    public double LogicPowerUw(int bits) => A * bits + B;
}
