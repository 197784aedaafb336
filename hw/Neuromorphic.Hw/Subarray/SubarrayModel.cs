using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// Energy, latency and area of one RRAM 1T1R subarray read in parallel, after NeuroSim V1.4's
/// SubArray.cpp (RRAM, CMOS access, conventionalParallel, SAR ADC) and the components it calls. Each
/// per-action figure is a formula of the node's <see cref="TechnologyParameters"/>; the few NeuroSim
/// quantities whose gate-level chain is not reproduced are marked "calibrated" in <see cref="Sources"/>
/// (taken from NeuroSim's own output at 32 nm, issue 14, and scaled C V^2 or F^2 with the node).
/// </summary>
/// <remarks>
/// Per read (one input vector, M = ColumnsPerAdc mux steps):
/// ADC: sum over the columns of NeuroSim's conversion energy at the column's conductance (cells in series
/// with the access transistor); word lines: capRow2 Vdd^2 per driven row and step; switch matrix: its
/// row DFF shift register clocked every step plus the transmission gates of the driven rows; mux: the
/// ADCs' transmission gates and decoder every step; accumulation: the shift-add of the weight slices.
/// In <see cref="ReadTiming.Pipelined"/> mode the word lines and switch matrix are driven once per read
/// (sample and hold) instead of once per mux step.
/// </remarks>
public sealed class SubarrayModel
{
    /// <summary>Full-adder energy per bit at 32 nm and 0.9 V, fJ: calibrated, NeuroSim's accumulation energy at 32 nm (3.13 pJ, 5-bit shift-add) less its DFF part, per bit-add.</summary>
    public const double FullAdderEnergyFjAt32Nm = 2.13;

    /// <summary>
    /// Word-line/mux delay as a multiple of the mux decoder's RC (minimum driver into the ADCs' selected
    /// transmission gates): calibrated, the factor that gives NeuroSim's 2.14 ns at 32 nm (its 11.39 ns
    /// clock / 1.4 - 6 ns of 5-bit SAR conversion), standing for the decoder's stages and input ramp
    /// (RowDecoder.cpp, horowitz); close to 1, i.e. the RC itself.
    /// </summary>
    public const double RowMuxDelayPerRc = 1.0448;

    private readonly SarAdcFit _fit;
    private readonly double _rowStepFj, _switchRowStepFj, _switchStepFj, _muxStepFj, _accumulationFj;

    /// <summary>Builds the model; validates the parameters.</summary>
    /// <param name="parameters">The subarray.</param>
    public SubarrayModel(SubarrayParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        Technology = TechnologyParameters.ForNode(parameters.TechnologyNm);
        Circuits = new CircuitPrimitives(Technology);
        _fit = SarAdcFit.ForNode(parameters.TechnologyNm);
        var t = Technology;
        var c = Circuits;
        var f = t.FeatureUm;
        var vdd2 = t.SupplyVoltage * t.SupplyVoltage;
        var vr2 = parameters.ReadVoltage * parameters.ReadVoltage;
        var va2 = parameters.AccessVoltage * parameters.AccessVoltage;
        Adcs = (parameters.Columns + parameters.ColumnsPerAdc - 1) / parameters.ColumnsPerAdc;

        // Word line: wire (0.2 fF/um over 12 F per cell) plus the access transistors' gates (SubArray.cpp capRow2).
        AccessWidthUm = c.AccessTransistorWidthUm(parameters.EffectiveAccessResistanceOhm);
        WordLineCapFf = parameters.Columns * 12 * f * 0.2 + parameters.Columns * c.GateCapFf(AccessWidthUm);
        _rowStepFj = WordLineCapFf * vdd2;

        // Switch matrix (NewSwitchMatrix.cpp): per selected row 2 TG drains at V_access, 3 at V_read, 3 TG gates at Vdd;
        // its DFF shift register (one per row) clocks every step.
        var tgN = CircuitPrimitives.MinNmosWidthF * f * parameters.EffectiveSwitchMatrixSizeRatio;
        var tgP = t.PnSizeRatio * tgN;
        var tgDrain = c.DrainCapFf(tgN + tgP);
        _switchRowStepFj = 2 * tgDrain * va2 + 3 * tgDrain * vr2 + 3 * (c.GateCapFf(tgN) + c.GateCapFf(tgP)) * vdd2;
        _switchStepFj = parameters.Rows * c.DffClockEnergyFj;

        // Mux (Mux.cpp): one TG per ADC sized to the average column resistance of the parallel read; selected gate
        // at Vdd and two drains at V_read, plus the decoder swinging the complementary gate (assumed).
        var ron = parameters.RonOhm + parameters.EffectiveAccessResistanceOhm;
        var roff = parameters.RonOhm * parameters.OnOffRatio + parameters.EffectiveAccessResistanceOhm;
        var n = parameters.Rows;
        var averageCell = 1 / (n / 2.0 / ron + n / 2.0 / roff) * n; // SubArray.cpp resMemCellAvg
        var muxTgResistance = averageCell / n;
        var muxN = t.NmosOnResistanceOhm(f) * f / (2 * muxTgResistance);
        var muxP = t.PnSizeRatio * muxN;
        _muxStepFj = Adcs * (c.GateCapFf(muxN) * vdd2 + 2 * c.DrainCapFf(muxN + muxP) * vr2 + c.GateCapFf(muxP) * vdd2);

        // Shift-add of the weight slices (ShiftAdd.cpp, NONSPIKING): (cells - 1) adds per weight column, adders of
        // ADC-bits width and (bits + 1 + cells - 1) DFFs per unit, DFFs at activity gamma.
        var cells = parameters.CellsPerWeight;
        ShiftAddReads = cells > 1 ? (cells - 1) * (int)Math.Ceiling(parameters.ColumnsPerAdc / (double)cells) : 0;
        var dffs = (parameters.AdcBits + 1 + cells - 1) * Adcs;
        var reference = new CircuitPrimitives(TechnologyParameters.Nm32);
        FullAdderEnergyFj = FullAdderEnergyFjAt32Nm * (c.MinInverterInputFf * vdd2) / (reference.MinInverterInputFf * 0.81);
        _accumulationFj = ShiftAddReads * (dffs * c.DffClockEnergyFj * parameters.DffActivity + Adcs * parameters.AdcBits * FullAdderEnergyFj);

        // Timing.
        AdcLatencyNs = parameters.AdcBits + 1;
        var muxLoadFf = Adcs * (c.GateCapFf(muxN) + c.GateCapFf(muxP));
        RowMuxDelayNs = RowMuxDelayPerRc * t.NmosOnResistanceOhm(CircuitPrimitives.MinNmosWidthF * f) * muxLoadFf * 1e-6;
        ClockPeriodNs = parameters.LatencyFactor * (AdcLatencyNs + RowMuxDelayNs);
    }

    /// <summary>The parameters.</summary>
    public SubarrayParameters Parameters { get; }

    /// <summary>The node's transistor parameters.</summary>
    public TechnologyParameters Technology { get; }

    /// <summary>The node's gate-level quantities.</summary>
    public CircuitPrimitives Circuits { get; }

    /// <summary>ADCs (columns / ColumnsPerAdc).</summary>
    public int Adcs { get; }

    /// <summary>Width of the access transistor, um.</summary>
    public double AccessWidthUm { get; }

    /// <summary>Capacitance of one word line (capRow2), fF.</summary>
    public double WordLineCapFf { get; }

    /// <summary>Shift-add operations per read.</summary>
    public int ShiftAddReads { get; }

    /// <summary>Full-adder energy per bit at this node, fJ.</summary>
    public double FullAdderEnergyFj { get; }

    /// <summary>One conversion, ns ((bits + 1) x 1 ns, SarADC.cpp CalculateLatency).</summary>
    public double AdcLatencyNs { get; }

    /// <summary>Word-line / mux settling before a conversion, ns.</summary>
    public double RowMuxDelayNs { get; }

    /// <summary>NeuroSim's synchronous clock: beta x (ADC + word-line/mux delay), ns.</summary>
    public double ClockPeriodNs { get; }

    /// <summary>Energy of driving one word line for one mux step, fJ.</summary>
    public double WordLineEnergyFj => _rowStepFj;

    /// <summary>Switch-matrix energy per driven row and step, fJ.</summary>
    public double SwitchMatrixRowEnergyFj => _switchRowStepFj;

    /// <summary>Switch-matrix DFF energy per step (all rows' DFFs clocked), fJ.</summary>
    public double SwitchMatrixStepEnergyFj => _switchStepFj;

    /// <summary>Mux and decoder energy per step, fJ.</summary>
    public double MuxStepEnergyFj => _muxStepFj;

    /// <summary>Accumulation energy per read, fJ.</summary>
    public double AccumulationEnergyFj => _accumulationFj;

    /// <summary>Conductance of one cell of conductance <paramref name="cellSiemens"/> in series with the access transistor, S.</summary>
    /// <param name="cellSiemens">The RRAM cell's conductance, S (&gt; 0).</param>
    /// <returns>The series conductance.</returns>
    public double WithAccess(double cellSiemens) => 1 / (1 / cellSiemens + Parameters.EffectiveAccessResistanceOhm);

    /// <summary>NeuroSim's energy of one conversion at a column conductance (access included), fJ.</summary>
    /// <param name="columnSiemens">Sum of the driven cells' conductances in series with their access transistors, S.</param>
    /// <returns>Energy in fJ.</returns>
    public double ConversionEnergyFj(double columnSiemens) => _fit.NeuroSimConversionEnergyFj(Parameters.AdcBits, columnSiemens, Parameters.ReadVoltage);

    /// <summary>One read.</summary>
    /// <param name="activeRows">Word lines driven, in [0, Rows].</param>
    /// <param name="columnSiemens">Per used physical column (at most Columns; each is converted), the driven cells' conductance with access, S.</param>
    /// <returns>The read's energy and latency.</returns>
    public SubarrayRead Read(int activeRows, ReadOnlySpan<double> columnSiemens)
    {
        var p = Parameters;
        if ((uint)activeRows > (uint)p.Rows) throw new ArgumentOutOfRangeException(nameof(activeRows), activeRows, $"a subarray has {p.Rows} rows");
        if (columnSiemens.Length > p.Columns) throw new ArgumentException($"a subarray has {p.Columns} columns, got {columnSiemens.Length} conductances", nameof(columnSiemens));
        if (activeRows == 0 && p.SkipEmptyReads) return SubarrayRead.None(0);
        double adc = 0;
        foreach (var g in columnSiemens) adc += ConversionEnergyFj(g);
        var steps = p.ColumnsPerAdc;
        var drives = p.Timing == ReadTiming.NeuroSimSynchronous ? steps : 1;
        var latency = p.Timing == ReadTiming.NeuroSimSynchronous
            ? steps * ClockPeriodNs
            : RowMuxDelayNs + steps * AdcLatencyNs;
        return new SubarrayRead(activeRows,
            AdcPj: adc * 1e-3,
            WordLinePj: (double)activeRows * drives * _rowStepFj * 1e-3,
            SwitchMatrixPj: (drives * _switchStepFj + (double)activeRows * drives * _switchRowStepFj) * 1e-3,
            MuxPj: steps * _muxStepFj * 1e-3,
            AccumulationPj: _accumulationFj * 1e-3,
            LatencyNs: latency,
            Conversions: columnSiemens.Length);
    }

    /// <summary>
    /// Used area of the subarray and its periphery, and NeuroSim's bounding box around them (SubArray.cpp
    /// CalculateArea, RRAM conventionalParallel): the row-side blocks (WL and BL level shifters, word-line switch
    /// matrix) are laid out at the array's height and widen the box; the column-side blocks (SL level shifters,
    /// mux, shift-add, ADCs) are laid out at the array's width and heighten it; the corner is empty.
    /// </summary>
    /// <returns>The breakdown.</returns>
    public SubarrayArea Area()
    {
        // The primitives are the macro's one area model (MacroArea), so the run path's macro area is this one.
        var p = Parameters;
        var node = p.TechnologyNm;
        var f = Technology.FeatureUm;
        var shifter = MacroArea.LevelShifterUm2(node);
        var arrayHeight = p.Rows * 4 * f;     // 1T1R cell 4 F x 12 F (Param.cpp heightInFeatureSize1T1R, widthInFeatureSize1T1R)
        var arrayWidth = p.Columns * 12 * f;
        return new SubarrayArea(
            ArrayUm2: MacroArea.CellArrayUm2(p.Rows, p.Columns, node),
            AdcUm2: Adcs * MacroArea.SarTransistors(p.AdcBits) * MacroArea.FootprintUm2(node),
            SwitchMatrixUm2: p.Rows * MacroArea.SwitchMatrixRowUm2(node),
            AccumulationUm2: Adcs * MacroArea.SliceShiftAddUm2(p.AdcBits, p.CellsPerWeight, node),
            RowShiftersUm2: 2 * p.Rows * shifter,
            ColumnShiftersUm2: p.Columns * shifter,
            ArrayHeightUm: arrayHeight,
            ArrayWidthUm: arrayWidth);
    }

    /// <summary>Where every figure comes from, keyed by the quantity, for the cost table's source column.</summary>
    public IReadOnlyDictionary<string, string> Sources => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["adc"] = $"{_fit.Source}: NeuroSim GetColumnPower incl. R_col x 0.5 / V_read and 1 uW for an open column, x (bits + 1) ns",
        ["word_line"] = "NeuroSim V1.4 SubArray.cpp CalculatePower (RRAM, conventionalParallel): capRow2 Vdd^2 per driven row and mux step; capRow2 = 0.2 fF/um x 12 F x columns + columns x gate cap of the access transistor (SubArray.cpp Initialize, formula.cpp CalculateGateCap)",
        ["switch_matrix"] = "NeuroSim V1.4 NewSwitchMatrix.cpp CalculatePower: 2 C_d V_access^2 + 3 C_d V_read^2 + 3 (C_gN + C_gP) Vdd^2 per selected row and step, plus one DFF per row clocked each step (DFF.cpp CalculatePower); drain capacitance calibrated (0.70 fF/um at 32 nm)",
        ["mux"] = "NeuroSim V1.4 Mux.cpp CalculatePower: C_gN Vdd^2 + 2 C_d V_read^2 per ADC and step, TG sized to the average column resistance (SubArray.cpp resMemCellAvg / numRowParallel); decoder assumed to swing the complementary gate",
        ["accumulation"] = "NeuroSim V1.4 ShiftAdd.cpp CalculatePower (NONSPIKING): (cells - 1) ceil(M / cells) operations of ADCs x bits full adders and (bits + cells) x ADCs DFFs at gamma = 0.5; full-adder energy calibrated (3.0 fJ at 32 nm, scaled C V^2)",
        ["latency"] = "NeuroSim V1.4 SubArray.cpp CalculateLatency (synchronous): M clocks of beta (ADC (bits + 1) ns + word-line/mux delay), beta = 1.4; the delay is the mux decoder's RC times a calibrated 1.534",
        ["area"] = "NeuroSim V1.4 SubArray.cpp CalculateArea: array 4F x 12F per cell; SAR transistor counts (SarADC.cpp) at 28 F x 2 CPP each, CPP = 3.8 F (formula.cpp CalculateGateArea, constant.h); DFF = 12 inverters (DFF.cpp); WL/BL/SL level shifters with the mux and SL switch matrix calibrated (112.2 footprints per shifter); bounding box: row-side blocks at the array height, column-side blocks at the array width",
    };
}
