namespace Neuromorphic.Hw.Devices;

/// <summary>What programming a set of cells took, summed over the cells (<see cref="RramDevice.ProgramCells"/>).</summary>
/// <param name="Pulses">Programming pulses.</param>
/// <param name="VerifyReads">Verify reads.</param>
/// <param name="StuckOn">Cells stuck in the low-resistance state.</param>
/// <param name="StuckOff">Cells stuck in the high-resistance state.</param>
public readonly record struct ProgrammingTotals(long Pulses, long VerifyReads, long StuckOn, long StuckOff);
