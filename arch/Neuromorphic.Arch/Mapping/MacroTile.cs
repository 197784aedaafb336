using Neuromorphic.Hw.Crossbar;

namespace Neuromorphic.Arch.Mapping;

/// <summary>One block of a weight matrix placed on one macro.</summary>
/// <param name="Macro">Global macro index on the chip.</param>
/// <param name="Tile">Chip tile holding the macro.</param>
/// <param name="RowStart">First input (word line block) of the block.</param>
/// <param name="RowCount">Inputs in the block.</param>
/// <param name="ColumnStart">First output of the block.</param>
/// <param name="ColumnCount">Outputs in the block.</param>
/// <param name="Array">The programmed array.</param>
public sealed record MacroTile(int Macro, int Tile, int RowStart, int RowCount, int ColumnStart, int ColumnCount, CrossbarArray Array);
