using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// A column ADC (SAR, flash) or 1-bit sense amp: uniform quantisation of a column value, conversion
/// timing, and an energy model of a logic term plus a column term that grows with the column
/// conductance (with the number of driven low-resistance cells), after NeuroSim's SarADC.
/// </summary>
/// <remarks>
/// Energy per conversion = <see cref="LogicEnergyFj"/> + c x G_col x t_conv, with c from
/// <see cref="SarAdcFit"/>. The cost table carries it as two actions so that a run's energy is
/// exactly counts x per-action energy: <see cref="ConversionAction"/> (one per conversion, the logic
/// term) and <see cref="ColumnLoadAction"/> (counted in nS x ns of column conductance times
/// conversion time, see <see cref="ColumnLoadUnits"/>).
/// </remarks>
public sealed class Adc
{
    /// <summary>Component class of a SAR ADC.</summary>
    public const string SarComponent = "sar_adc";

    /// <summary>Component class of a flash ADC / multi-level sense amp.</summary>
    public const string FlashComponent = "flash_adc";

    /// <summary>Component class of a 1-bit sense amp.</summary>
    public const string SenseAmpComponent = "sense_amp";

    /// <summary>Action: one conversion (the logic term of the energy).</summary>
    public const string ConversionAction = "conversion";

    /// <summary>Action: column load, counted in units of 1 nS x 1 ns (column conductance x conversion time).</summary>
    public const string ColumnLoadAction = "column_load";

    /// <summary>
    /// Action: a conversion of a column with no driven row (an empty row group read anyway, NeuroSim's synchronous
    /// mode): NeuroSim's SarADC.cpp GetColumnPower gives an open column 1 uW, not the logic power.
    /// </summary>
    public const string OpenConversionAction = "open_conversion";

    /// <summary>
    /// Energy of one comparator decision including its latch at 45 nm, fJ (assumed: a StrongARM-type
    /// latch switches a few fF at ~1 V, the order of NeuroSim's current sense amp; scaled with node).
    /// </summary>
    public const double ComparatorEnergyFjAt45Nm = 4.0;

    /// <summary>Minimum transistors per comparator (NeuroSim MultilevelSenseAmp.cpp area: 9 per reference level).</summary>
    public const int TransistorsPerComparator = 9;

    private const string ComparatorSource =
        "assumed: 4 fJ per comparator decision at 45 nm (StrongARM latch, order of NeuroSim's current sense amp), scaled x (node/45) (Vdd/1 V)^2";

    private readonly SarAdcFit _fit;
    private readonly double _columnPjPerUnit;
    private readonly double _unitsPerSiemens;

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <param name="parameters">ADC parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public Adc(AdcParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _fit = SarAdcFit.ForNode(parameters.TechnologyNm);
        Component = parameters.Kind switch
        {
            AdcKind.Sar => SarComponent,
            AdcKind.Flash => FlashComponent,
            _ => SenseAmpComponent,
        };
        MaxCode = (1 << parameters.Bits) - 1;
        ConversionCycles = parameters.Kind == AdcKind.Sar ? parameters.Bits + 1 : 1;
        ConversionLatencyNs = ConversionCycles * 1e9 / parameters.ClockHz;
        double cap = TechnologyNode.DynamicEnergyScale(parameters.TechnologyNm);
        double comparatorFj = ComparatorEnergyFjAt45Nm * cap;
        LogicEnergyFj = parameters.Kind switch
        {
            // NeuroSim's fit is power at its fixed 1 GHz clock, so P x (bits + 1) ns is the energy per
            // conversion; logic energy is switched charge, so it stays per conversion at other clocks.
            AdcKind.Sar => _fit.LogicPowerUw(parameters.Bits) * (parameters.Bits + 1), // uW x ns = fJ
            // Thermometer-to-binary encoder assumed to cost about a bits-wide add (Horowitz 0.1 pJ / 32 bits).
            AdcKind.Flash => MaxCode * comparatorFj + parameters.Bits * (100.0 / 32) * cap,
            _ => comparatorFj,
        };
        // c [V^2] x 1 nS x 1 ns = c x 1e-18 J = c x 1e-6 pJ; NeuroSim scales R_col by 0.5 / V_read, i.e. G by V_read / 0.5.
        _columnPjPerUnit = _fit.ColumnCoefficient * (parameters.ReadVoltage / SarAdcFit.CharacterisedReadVoltage) * 1e-6;
        // G [S] x 1e9 nS/S x t [ns]: the column current flows for the whole conversion, so this term scales with time.
        _unitsPerSiemens = 1e9 * ConversionLatencyNs;
    }

    /// <summary>The parameters this model was built from.</summary>
    public AdcParameters Parameters { get; }

    /// <summary>Component class for the cost table: <see cref="SarComponent"/>, <see cref="FlashComponent"/> or <see cref="SenseAmpComponent"/>.</summary>
    public string Component { get; }

    /// <summary>Largest output code, 2^bits - 1.</summary>
    public int MaxCode { get; }

    /// <summary>Cycles of the ADC clock per conversion: bits + 1 for a SAR, 1 for flash and sense amp.</summary>
    public int ConversionCycles { get; }

    /// <summary>Time of one conversion in nanoseconds (<see cref="ConversionCycles"/> / clock).</summary>
    public double ConversionLatencyNs { get; }

    /// <summary>Energy of one conversion without the column term, fJ.</summary>
    public double LogicEnergyFj { get; }

    /// <summary>Column term coefficient in V^2 at this read voltage: column power = this x column conductance (c x V_read / 0.5).</summary>
    public double ColumnCoefficientV2 => _fit.ColumnCoefficient * Parameters.ReadVoltage / SarAdcFit.CharacterisedReadVoltage;

    /// <summary>Energy of one <see cref="ColumnLoadAction"/> unit (1 nS x 1 ns), pJ.</summary>
    public double ColumnLoadEnergyPjPerUnit => _columnPjPerUnit;

    /// <summary>
    /// Quantises a column value to a code: clamps to [0, <paramref name="fullScale"/>] and rounds to the
    /// nearest of 2^bits uniform levels (ties upward); a sense amp outputs 1 when the value reaches its threshold.
    /// </summary>
    /// <param name="value">The analog value (current, charge, or any unit shared with <paramref name="fullScale"/>).</param>
    /// <param name="fullScale">The value that maps to the largest code; &gt; 0.</param>
    /// <returns>A code in [0, <see cref="MaxCode"/>]; NaN maps to 0.</returns>
    public int Quantise(double value, double fullScale)
    {
        CheckFullScale(fullScale);
        if (Parameters.Kind == AdcKind.SenseAmp)
        {
            return value >= Parameters.SenseThresholdFraction * fullScale ? 1 : 0;
        }
        double x = value / fullScale;
        if (!(x > 0))
        {
            return 0; // negatives and NaN
        }
        if (x >= 1)
        {
            return MaxCode;
        }
        return (int)Math.Floor(x * MaxCode + 0.5);
    }

    /// <summary>The value a code stands for: <c>code x fullScale / MaxCode</c>.</summary>
    /// <param name="code">A code in [0, <see cref="MaxCode"/>].</param>
    /// <param name="fullScale">The full-scale value used to quantise; &gt; 0.</param>
    /// <returns>The reconstructed value.</returns>
    public double Dequantise(int code, double fullScale)
    {
        CheckFullScale(fullScale);
        if ((uint)code > (uint)MaxCode)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, $"ADC codes lie in [0, {MaxCode}].");
        }
        return code * fullScale / MaxCode;
    }

    /// <summary>
    /// Column-load units of one conversion: column conductance in nS times conversion time in ns,
    /// rounded to the nearest integer (an error below 1e-7 pJ per conversion).
    /// </summary>
    /// <param name="columnConductanceSiemens">Total conductance of the driven cells on the column (1 / R_col), &gt;= 0; 0 for no column term.</param>
    /// <returns>The units to count against <see cref="ColumnLoadAction"/>.</returns>
    public long ColumnLoadUnits(double columnConductanceSiemens)
    {
        CheckConductance(columnConductanceSiemens);
        return (long)Math.Round(columnConductanceSiemens * _unitsPerSiemens, MidpointRounding.AwayFromZero);
    }

    /// <summary>Column term of one conversion in fJ (unrounded): c x G x t_conv.</summary>
    /// <param name="columnConductanceSiemens">Column conductance in siemens, &gt;= 0.</param>
    /// <returns>Energy in femtojoules.</returns>
    public double ColumnEnergyFj(double columnConductanceSiemens)
    {
        CheckConductance(columnConductanceSiemens);
        return columnConductanceSiemens * _unitsPerSiemens * _columnPjPerUnit * 1e3;
    }

    /// <summary>Energy of one conversion in fJ: <see cref="LogicEnergyFj"/> + <see cref="ColumnEnergyFj"/>.</summary>
    /// <param name="columnConductanceSiemens">Column conductance in siemens (1 / R_col), &gt;= 0; 0 gives the logic term alone.</param>
    /// <returns>Energy in femtojoules.</returns>
    public double ConversionEnergyFj(double columnConductanceSiemens) => LogicEnergyFj + ColumnEnergyFj(columnConductanceSiemens);

    /// <summary>The cost-table rows this model implies: <see cref="ConversionAction"/>, <see cref="ColumnLoadAction"/> and <see cref="OpenConversionAction"/>.</summary>
    /// <returns>Three rows for <see cref="Component"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        string nodeText = $"{Parameters.TechnologyNm} nm, {Parameters.Bits} bit";
        string logicSource = Parameters.Kind switch
        {
            AdcKind.Sar => $"{_fit.Source}: P = ({_fit.A:0.####} x bits + {_fit.B:0.####}) uW, E = P x (bits + 1) ns ({nodeText})",
            AdcKind.Flash => $"{ComparatorSource}; (2^bits - 1) comparators + encoder assumed a bits-wide add (Horowitz ISSCC 2014 0.1 pJ/32 bit) ({nodeText})",
            _ => $"{ComparatorSource} ({nodeText})",
        };
        string scaling = $"R_col scaled by 0.5 / V_read = 0.5 / {Parameters.ReadVoltage} V (GetColumnPower)";
        string columnSource = Parameters.Kind == AdcKind.Sar
            ? $"{_fit.Source}: column term {_fit.ColumnCoefficient} V^2 / R_col (exponent -2.3/ln10 taken as -1), {scaling}; includes the cells' own I^2R (NeuroSim counts it here once), per nS x ns"
            : $"assumed: same column read circuit as NeuroSim's SAR ({_fit.Source}), {_fit.ColumnCoefficient} V^2 / R_col, {scaling}; includes the cells' I^2R, per nS x ns";
        yield return new CostEntry(Component, ConversionAction, LogicEnergyFj * 1e-3, ConversionLatencyNs, logicSource);
        yield return new CostEntry(Component, ColumnLoadAction, _columnPjPerUnit, 0, columnSource);
        yield return Parameters.Kind == AdcKind.Sar
            ? new CostEntry(Component, OpenConversionAction, SarAdcFit.OpenColumnPowerUw * ConversionLatencyNs * 1e-3, ConversionLatencyNs,
                $"NeuroSim SarADC.cpp GetColumnPower: a column with no conducting cell draws 1 uW, x {ConversionLatencyNs} ns ({nodeText})")
            : new CostEntry(Component, OpenConversionAction, LogicEnergyFj * 1e-3, ConversionLatencyNs,
                $"assumed: the comparators of an empty column switch as in any conversion; {logicSource}");
    }

    /// <summary>
    /// Area of one converter, um^2, in NeuroSim's transistor footprint (28 F x 2 CPP, <see cref="Macro.MacroArea.FootprintUm2"/>):
    /// a SAR has SarADC.cpp's transistor count; a flash or sense amp 9 transistors per comparator (MultilevelSenseAmp.cpp)
    /// and, for flash, an encoder of about 10 transistors per level (assumed).
    /// </summary>
    public double UnitAreaUm2
    {
        get
        {
            int transistors = Parameters.Kind == AdcKind.Sar
                ? Macro.MacroArea.SarTransistors(Parameters.Bits)
                : MaxCode * TransistorsPerComparator + (Parameters.Kind == AdcKind.Flash ? MaxCode * 10 : 0);
            return transistors * Macro.MacroArea.FootprintUm2(Parameters.TechnologyNm);
        }
    }

    /// <summary>Area and leakage of one instance.</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        const string Footprint = "at NeuroSim's 28 F x 2 CPP (3.8 F) = 212.8 F^2 per transistor (formula.cpp CalculateGateArea)";
        yield return new ComponentCost(Component, UnitAreaUm2, 0, Parameters.Kind == AdcKind.Sar
            ? $"NeuroSim SarADC.cpp CalculateUnitArea: (269 + 109 (bits - 1)) NMOS + (209 + 73 (bits - 1)) PMOS {Footprint}, leakage 0"
            : $"NeuroSim MultilevelSenseAmp.cpp: 9 transistors per comparator {Footprint}, leakage 0; assumed a 10-transistor-per-level encoder (flash)");
    }

    private static void CheckFullScale(double fullScale)
    {
        if (!(fullScale > 0) || double.IsInfinity(fullScale))
        {
            throw new ArgumentOutOfRangeException(nameof(fullScale), fullScale, "The ADC full scale must be > 0 and finite.");
        }
    }

    private static void CheckConductance(double g)
    {
        if (!(g >= 0) || double.IsInfinity(g))
        {
            throw new ArgumentOutOfRangeException(nameof(g), g, "Column conductance must be >= 0 and finite.");
        }
    }
}
