namespace Neuromorphic.Hw.Subarray;

/// <summary>Used area of one subarray and its periphery, um^2 (NeuroSim SubArray.cpp CalculateArea, "usedArea").</summary>
/// <param name="ArrayUm2">The 1T1R cells.</param>
/// <param name="AdcUm2">The ADCs.</param>
/// <param name="SwitchMatrixUm2">Word-line switch matrix (one DFF and transmission gates per row).</param>
/// <param name="AccumulationUm2">Shift-add (adders and DFFs).</param>
/// <param name="OtherPeripheryUm2">Column mux and decoder, source-line switch matrix, write level shifters.</param>
public sealed record SubarrayArea(double ArrayUm2, double AdcUm2, double SwitchMatrixUm2, double AccumulationUm2, double OtherPeripheryUm2)
{
    /// <summary>Periphery other than the ADCs (NeuroSim's "other periphery").</summary>
    public double NonAdcPeripheryUm2 => SwitchMatrixUm2 + AccumulationUm2 + OtherPeripheryUm2;

    /// <summary>Everything.</summary>
    public double TotalUm2 => ArrayUm2 + AdcUm2 + NonAdcPeripheryUm2;
}
