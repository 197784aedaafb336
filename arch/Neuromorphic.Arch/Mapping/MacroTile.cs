using Neuromorphic.Hw.Crossbar;

namespace Neuromorphic.Arch.Mapping;

/// <summary>One block of a weight matrix placed on one macro.</summary>
/// <param name="Macro">Global macro index on the chip.</param>
/// <param name="Tile">Chip tile holding the macro.</param>
/// <param name="RowStart">
/// First input (word line block) of the block; with compacted word lines, the macro's place among its
/// column block's macros times the macro's rows (its inputs are <see cref="WordLineSources"/>).
/// </param>
/// <param name="RowCount">Inputs in the block (word lines used).</param>
/// <param name="ColumnStart">First output of the block.</param>
/// <param name="ColumnCount">Outputs in the block.</param>
/// <param name="Array">The programmed array.</param>
public sealed record MacroTile(int Macro, int Tile, int RowStart, int RowCount, int ColumnStart, int ColumnCount, CrossbarArray Array)
{
    /// <summary>
    /// Compacted word lines: the input on each word line (ascending, <see cref="RowCount"/> of them).
    /// Null with the dense mapping, where word line i holds input <see cref="RowStart"/> + i.
    /// </summary>
    public int[]? WordLineSources { get; init; }
}
