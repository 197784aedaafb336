namespace Neuromorphic.Hw.Crossbar;

/// <summary>
/// Activity of programming one array, for the cost model (write energy and latency per pulse and
/// per verify read) and for the report (fault counts).
/// </summary>
/// <param name="CellsProgrammed">Cells programmed (every used cell, including level-0 and reference cells).</param>
/// <param name="Pulses">Programming pulses over all cells.</param>
/// <param name="VerifyReads">Verify reads over all cells.</param>
/// <param name="StuckOn">Cells found stuck in the low-resistance state.</param>
/// <param name="StuckOff">Cells found stuck in the high-resistance state.</param>
public sealed record ProgrammingStats(long CellsProgrammed, long Pulses, long VerifyReads, long StuckOn, long StuckOff)
{
    /// <summary>No cells programmed.</summary>
    public static ProgrammingStats Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The activity of two programming jobs together (e.g. the arrays of one tiled matrix).</summary>
    public static ProgrammingStats operator +(ProgrammingStats a, ProgrammingStats b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.CellsProgrammed + b.CellsProgrammed, a.Pulses + b.Pulses, a.VerifyReads + b.VerifyReads,
            a.StuckOn + b.StuckOn, a.StuckOff + b.StuckOff);
    }
}
