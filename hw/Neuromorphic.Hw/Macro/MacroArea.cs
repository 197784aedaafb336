using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;

namespace Neuromorphic.Hw.Macro;

/// <summary>
/// The one area model of an RRAM macro and its periphery, built from NeuroSim V1.4's layout primitives
/// (SubArray.cpp CalculateArea and the components it calls): the run path's cost-table instance rows
/// (<see cref="Instances"/>), <c>inspect</c>'s macro area and the NeuroSim side by side
/// (<see cref="SubarrayModel.Area"/>) all come from here, so they agree.
/// </summary>
/// <remarks>
/// Per macro: the 1T1R array (4 F x 12 F a cell); per row (<c>word_line_driver</c>): one row of NeuroSim's word-line switch
/// matrix (a DFF and its transmission gates) and the row's WL and BL write level shifters; per ADC: the converter, the
/// column side of its columns (<c>column_mux</c>: each column's SL write level shifter with its share of the column mux, its
/// decoder and the SL switch matrix) and the shift-add (NeuroSim's ShiftAdd.cpp for the weight's slices, plus a register
/// and adder of the macro's accumulator width when a read takes several row groups). Transistors are NeuroSim's
/// standard-cell footprint, 28 F x 2 contacted poly pitches (formula.cpp CalculateGateArea), not an assumed 40 F^2.
/// </remarks>
/// <param name="ArrayUm2">The cell array of one macro, um^2.</param>
/// <param name="AdcUm2">One ADC, um^2.</param>
/// <param name="WordLineRowUm2">One row's switch-matrix cell and WL/BL level shifters (one <c>word_line_driver</c>), um^2.</param>
/// <param name="ColumnMuxUm2">One ADC's share of the column side: its columns' SL level shifters, mux and decoder (one <c>column_mux</c>), um^2.</param>
/// <param name="ShiftAddUm2">One ADC's shift-add (one <c>shift_add</c>), um^2.</param>
/// <param name="Rows">Word lines of the macro.</param>
/// <param name="Columns">Bit lines of the macro.</param>
/// <param name="Adcs">ADCs of the macro (every column has one through its mux).</param>
public sealed record MacroArea(double ArrayUm2, double AdcUm2, double WordLineRowUm2, double ColumnMuxUm2, double ShiftAddUm2, int Rows, int Columns, int Adcs)
{
    /// <summary>A D flip-flop in transistor footprints: 12 minimum inverters' worth (NeuroSim DFF.cpp CalculateArea).</summary>
    public const double DffFootprints = 12;

    /// <summary>The word-line switch matrix's transmission gates per row in footprints (NeuroSim NewSwitchMatrix.cpp: 4 TG widths).</summary>
    public const double SwitchTgFootprints = 4;

    /// <summary>A full adder in footprints: 9 NAND2 of 1.5 footprints (NeuroSim Adder.cpp CalculateArea).</summary>
    public const double FullAdderFootprints = 13.5;

    /// <summary>
    /// One write level shifter with its share of the column mux, decoder and source-line switch matrix, in transistor
    /// footprints. NeuroSim places three level shifters per row/column pair (SubArray.cpp CalculateArea: WL and BL shifters
    /// on the row side, SL shifters on the column side; LevelShifter.cpp: three folded IO inverters at 2.5 x the cell
    /// height, x 1.44 for wiring; counted when the cell's write voltage exceeds 1.5 V, as an RRAM SET/RESET's does). Calibrated: NeuroSim's 9,831 um^2 of "other" periphery at 128 x 128, 32 nm, less its
    /// word-line switch matrix, over 2 x 128 + 128 shifters (issue 14's run).
    /// </summary>
    public const double LevelShifterFootprints = 112.2;

    /// <summary>Leakage of the macro's logic (switch matrix, level shifters, mux, shift-add), uW per um^2 (<see cref="TechnologyNode.LogicLeakageUwPerUm2"/>).</summary>
    public const double LogicLeakageUwPerUm2 = TechnologyNode.LogicLeakageUwPerUm2;

    /// <summary>Everything one macro takes, um^2.</summary>
    public double TotalUm2 => ArrayUm2 + Rows * WordLineRowUm2 + Adcs * (AdcUm2 + ColumnMuxUm2 + ShiftAddUm2);

    /// <summary>
    /// Footprint of one minimum transistor in a standard cell at <paramref name="nodeNm"/>, um^2: 28 F (constant.h
    /// MAX_TRANSISTOR_HEIGHT) x 2 contacted poly pitches of 3.8 F (formula.cpp CalculateGateArea, an INV without folding),
    /// 212.8 F^2. With it SarADC.cpp's transistor count gives NeuroSim's reported 263 um^2 per 5-bit SAR at 32 nm.
    /// </summary>
    /// <param name="nodeNm">Technology node (F) in nanometres.</param>
    /// <returns>Area in um^2.</returns>
    public static double FootprintUm2(double nodeNm)
    {
        var f = nodeNm * 1e-3;
        return TechnologyParameters.CellHeightF * 2 * TechnologyParameters.ContactedPolyPitchF * f * f;
    }

    /// <summary>Transistors of a SAR ADC (NeuroSim SarADC.cpp CalculateUnitArea): (269 + 109 (bits - 1)) NMOS + (209 + 73 (bits - 1)) PMOS.</summary>
    /// <param name="bits">Resolution, &gt;= 1.</param>
    /// <returns>The count.</returns>
    public static int SarTransistors(int bits) => 269 + 109 * (bits - 1) + 209 + 73 * (bits - 1);

    /// <summary>The 1T1R array: rows x 4 F by columns x 12 F (NeuroSim Param.cpp heightInFeatureSize1T1R, widthInFeatureSize1T1R), um^2.</summary>
    public static double CellArrayUm2(int rows, int columns, double nodeNm)
    {
        var f = nodeNm * 1e-3;
        return rows * 4 * f * (columns * 12 * f);
    }

    /// <summary>One row of the word-line switch matrix (a DFF and the TG widths), um^2.</summary>
    public static double SwitchMatrixRowUm2(double nodeNm) => (DffFootprints + SwitchTgFootprints) * FootprintUm2(nodeNm);

    /// <summary>One write level shifter with its share of mux, decoder and SL switch matrix, um^2 (<see cref="LevelShifterFootprints"/>).</summary>
    public static double LevelShifterUm2(double nodeNm) => LevelShifterFootprints * FootprintUm2(nodeNm);

    /// <summary>
    /// NeuroSim's shift-add of one ADC over a weight's <paramref name="cellsPerWeight"/> slices (ShiftAdd.cpp, NONSPIKING):
    /// (bits + cells) DFFs and bits full adders; none for a weight on one cell, um^2.
    /// </summary>
    public static double SliceShiftAddUm2(int adcBits, int cellsPerWeight, double nodeNm) =>
        cellsPerWeight > 1 ? ((adcBits + cellsPerWeight) * DffFootprints + adcBits * FullAdderFootprints) * FootprintUm2(nodeNm) : 0;

    /// <summary>
    /// The area of a macro of <paramref name="p"/> whose weights take <paramref name="cellsPerWeight"/> physical columns
    /// each, with <paramref name="adc"/> as its converter.
    /// </summary>
    /// <param name="p">The macro.</param>
    /// <param name="cellsPerWeight">Physical columns of one weight column (slices, pairs); 1 for a weight on one cell.</param>
    /// <param name="adc">The converter model (its kind and bits set its area).</param>
    /// <returns>The breakdown.</returns>
    public static MacroArea Of(MacroParameters p, int cellsPerWeight, Adc adc)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(adc);
        var node = p.Adc.TechnologyNm;
        var rows = p.Crossbar.Rows;
        var columns = p.Crossbar.Columns;
        var adcs = (columns + p.ColumnsPerAdc - 1) / p.ColumnsPerAdc;
        var shiftAdd = SliceShiftAddUm2(p.Adc.Bits, cellsPerWeight, node);
        // A read of several row groups sums them in an adder and DFFs, as NeuroSim's SubArray.cpp CalculateArea adds
        // "adder.area + dff.area" when numAdd > 1 (partial sums of several parallel reads); assumed accumulator_bits wide,
        // built from the same DFF and full-adder cells.
        if (p.ParallelRows < rows) shiftAdd += p.AccumulatorBits * (DffFootprints + FullAdderFootprints) * FootprintUm2(node);
        return new MacroArea(
            ArrayUm2: CellArrayUm2(rows, columns, node),
            AdcUm2: adc.UnitAreaUm2,
            WordLineRowUm2: SwitchMatrixRowUm2(node) + 2 * LevelShifterUm2(node),
            ColumnMuxUm2: columns * LevelShifterUm2(node) / adcs,
            ShiftAddUm2: shiftAdd,
            Rows: rows,
            Columns: columns,
            Adcs: adcs);
    }

    /// <summary>
    /// The cost table's instance rows of the macro's classes: <c>rram_array</c> (one per macro), the ADC's class,
    /// <c>word_line_driver</c> (one per row), <c>column_mux</c> and <c>shift_add</c> (one per ADC).
    /// </summary>
    /// <param name="adc">The converter (its component class and its own area row).</param>
    /// <param name="nodeNm">Technology node, for the sources.</param>
    /// <returns>Five rows.</returns>
    public IEnumerable<ComponentCost> Instances(Adc adc, double nodeNm)
    {
        ArgumentNullException.ThrowIfNull(adc);
        const string Leak = "leakage 0.1 nW/um^2 (assumed, low-power logic)";
        var footprint = $"NeuroSim's footprint 28 F x 2 CPP (3.8 F) = 212.8 F^2 (formula.cpp CalculateGateArea) at {nodeNm} nm";
        yield return new ComponentCost(MacroCosts.ArrayComponent, ArrayUm2, 0,
            $"NeuroSim 1T1R cell 4F x 12F (Param.cpp) at F = {nodeNm} nm, {Rows} x {Columns} cells; RRAM holds no static current");
        foreach (var c in adc.DefaultComponentCosts()) yield return c;
        yield return new ComponentCost(WordLineDriver.Component, WordLineRowUm2, WordLineRowUm2 * LogicLeakageUwPerUm2,
            $"NeuroSim SubArray.cpp CalculateArea, row side: word-line switch matrix row (DFF.cpp 12 + NewSwitchMatrix.cpp 4 footprints) + WL and BL write level shifters ({LevelShifterFootprints} footprints each, calibrated to NeuroSim's 32 nm other periphery); {footprint}; {Leak}");
        yield return new ComponentCost(ColumnMux.Component, ColumnMuxUm2, ColumnMuxUm2 * LogicLeakageUwPerUm2,
            $"NeuroSim SubArray.cpp CalculateArea, column side: per column one SL write level shifter with its share of the mux, decoder and SL switch matrix ({LevelShifterFootprints} footprints, calibrated), {Adcs} ADCs' share of the columns; {footprint}; {Leak}");
        yield return new ComponentCost(Periphery.ShiftAdd.Component, ShiftAddUm2, ShiftAddUm2 * LogicLeakageUwPerUm2,
            $"NeuroSim ShiftAdd.cpp: (ADC bits + cells per weight) DFFs + ADC bits full adders (none for one cell), + an adder and DFFs of accumulator width when a read takes several row groups (SubArray.cpp CalculateArea, numAdd > 1; width assumed); DFF 12, full adder 13.5 footprints (DFF.cpp, Adder.cpp); {footprint}; {Leak}");
    }
}
