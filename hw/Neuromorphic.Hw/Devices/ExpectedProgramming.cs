namespace Neuromorphic.Hw.Devices;

/// <summary>The expected write-verify activity of one cell programmed to a given level (see <see cref="RramDevice.ExpectedProgrammingOf"/>).</summary>
/// <param name="Pulses">Expected programming pulses.</param>
/// <param name="VerifyReads">Expected verify reads (one per pulse).</param>
/// <param name="StuckOn">Probability that the cell is stuck in the low-resistance state.</param>
/// <param name="StuckOff">Probability that the cell is stuck in the high-resistance state.</param>
public readonly record struct ExpectedProgramming(double Pulses, double VerifyReads, double StuckOn, double StuckOff);
