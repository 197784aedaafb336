namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// Area of one subarray and its periphery, um^2 (NeuroSim SubArray.cpp CalculateArea): the used parts
/// ("usedArea") and the bounding box NeuroSim floorplans with ("area" = height x width).
/// </summary>
/// <param name="ArrayUm2">The 1T1R cells.</param>
/// <param name="AdcUm2">The ADCs.</param>
/// <param name="SwitchMatrixUm2">Word-line switch matrix (one DFF and transmission gates per row).</param>
/// <param name="AccumulationUm2">Shift-add (adders and DFFs).</param>
/// <param name="RowShiftersUm2">Word-line and bit-line write level shifters (row side).</param>
/// <param name="ColumnShiftersUm2">Source-line write level shifters with the column mux, its decoder and the source-line switch matrix (column side).</param>
/// <param name="ArrayHeightUm">Height of the cell array (rows x 4 F).</param>
/// <param name="ArrayWidthUm">Width of the cell array (columns x 12 F).</param>
public sealed record SubarrayArea(double ArrayUm2, double AdcUm2, double SwitchMatrixUm2, double AccumulationUm2,
    double RowShiftersUm2, double ColumnShiftersUm2, double ArrayHeightUm, double ArrayWidthUm)
{
    /// <summary>NeuroSim's "other" periphery: switch matrix, level shifters, mux and decoder (not the ADCs, not the shift-add).</summary>
    public double OtherPeripheryUm2 => SwitchMatrixUm2 + RowShiftersUm2 + ColumnShiftersUm2;

    /// <summary>Periphery other than the ADCs (other periphery and shift-add).</summary>
    public double NonAdcPeripheryUm2 => OtherPeripheryUm2 + AccumulationUm2;

    /// <summary>Everything used.</summary>
    public double TotalUm2 => ArrayUm2 + AdcUm2 + NonAdcPeripheryUm2;

    /// <summary>Width of the bounding box: the array plus the row-side blocks laid out at the array's height, um.</summary>
    public double BoxWidthUm => ArrayWidthUm + (SwitchMatrixUm2 + RowShiftersUm2) / ArrayHeightUm;

    /// <summary>Height of the bounding box: the array plus the column-side blocks laid out at the array's width, um.</summary>
    public double BoxHeightUm => ArrayHeightUm + (ColumnShiftersUm2 + AccumulationUm2 + AdcUm2) / ArrayWidthUm;

    /// <summary>The bounding box NeuroSim places (used area plus the empty corner), um^2.</summary>
    public double BoxUm2 => BoxWidthUm * BoxHeightUm;
}
