using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// One programmed macro per block shape (rows x logical columns) standing in for every macro of
/// that shape: seeded random weights with the statistics of a trained layer (about half zero,
/// either sign), so the array read energy (which depends on the conductances) is typical. Both the
/// rate-based and the event-driven pricing drive these macros, so their figures differ only by
/// the spikes they feed them.
/// </summary>
internal sealed class RepresentativeMacros(ChipModel chip, Ledger ledger, ulong seed)
{
    private readonly Dictionary<(int Rows, int Columns), RramMacro> _macros = new();

    /// <summary>The ledger the macros count into.</summary>
    public Ledger Ledger { get; } = ledger;

    /// <summary>The macro of that shape (programmed on first use).</summary>
    public RramMacro Of(int rows, int columns)
    {
        if (_macros.TryGetValue((rows, columns), out var macro)) return macro;
        var rng = DeterministicRandom.ForComponent(seed, $"sdt.representative.{rows}x{columns}");
        var weights = new float[rows * columns];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = rng.NextDouble() < 0.5 ? 0f : (float)((rng.NextDouble() < 0.5 ? -1 : 1) * rng.NextDouble(0.05, 1));
        var array = CrossbarArray.Program(weights, rows, columns, chip.Spec.Macro.Crossbar, chip.Device, rng);
        macro = chip.CreateMacro(array, Ledger, "sample");
        _macros[(rows, columns)] = macro;
        return macro;
    }
}

/// <summary>
/// How a conv or linear layer is laid out on macros (im2col, one operation per output position
/// per macro): groups packed block-diagonally, as many per macro as fit; a group too large for
/// one macro is split into row blocks x column blocks.
/// </summary>
/// <param name="RowsPerGroup">(C_in / groups) k^2.</param>
/// <param name="ColumnsPerGroup">C_out / groups.</param>
/// <param name="GroupsPerMacro">Groups packed in one macro (1 when split).</param>
/// <param name="RowBlocks">Row blocks per group (1 when packed).</param>
/// <param name="ColumnBlocks">Column blocks per group (1 when packed).</param>
/// <param name="Macros">Macros the layer occupies.</param>
/// <param name="RowsAvailable">Rows of a macro.</param>
/// <param name="ColumnsAvailable">Logical columns of a macro.</param>
internal sealed record MacroLayout(int RowsPerGroup, int ColumnsPerGroup, int GroupsPerMacro, int RowBlocks, int ColumnBlocks, int Macros,
    int RowsAvailable, int ColumnsAvailable)
{
    /// <summary>The layout of <paramref name="layer"/> on <paramref name="chip"/>'s macros.</summary>
    public static MacroLayout Of(Neuromorphic.Sim.Transformers.ModelLayer layer, ChipModel chip)
    {
        int rowsPerGroup = layer.InChannels / layer.Groups * layer.Kernel * layer.Kernel;
        int columnsPerGroup = layer.Channels / layer.Groups;
        int rowsAvail = chip.Spec.Macro.Crossbar.Rows, columnsAvail = chip.LogicalColumnsPerMacro;
        if (rowsPerGroup <= rowsAvail && columnsPerGroup <= columnsAvail)
        {
            var perMacro = Math.Min(Math.Max(1, Math.Min(rowsAvail / rowsPerGroup, columnsAvail / columnsPerGroup)), layer.Groups);
            return new MacroLayout(rowsPerGroup, columnsPerGroup, perMacro, 1, 1, (layer.Groups + perMacro - 1) / perMacro, rowsAvail, columnsAvail);
        }
        var rowBlocks = (rowsPerGroup + rowsAvail - 1) / rowsAvail;
        var columnBlocks = (columnsPerGroup + columnsAvail - 1) / columnsAvail;
        return new MacroLayout(rowsPerGroup, columnsPerGroup, 1, rowBlocks, columnBlocks, layer.Groups * rowBlocks * columnBlocks, rowsAvail, columnsAvail);
    }

    /// <summary>
    /// What macro <paramref name="m"/> holds: its groups (first, last), its row block within a split
    /// group (the rows [RowBlock x RowsAvailable, + Rows) of the group) and the rows and columns it uses.
    /// The last macro of a packed layer holds the remaining groups; the last row or column block of a
    /// split group the remaining rows or columns.
    /// </summary>
    public (int FirstGroup, int LastGroup, int RowBlock, int Rows, int Columns) Macro(int m, int groups)
    {
        if (RowBlocks == 1 && ColumnBlocks == 1)
        {
            var first = m * GroupsPerMacro;
            var last = Math.Min(groups, first + GroupsPerMacro) - 1;
            return (first, last, 0, RowsPerGroup * (last - first + 1), ColumnsPerGroup * (last - first + 1));
        }
        var cb = m % ColumnBlocks;
        var gb = m / ColumnBlocks;
        var rb = gb % RowBlocks;
        return (gb / RowBlocks, gb / RowBlocks, rb, Math.Min(RowsAvailable, RowsPerGroup - rb * RowsAvailable),
            Math.Min(ColumnsAvailable, ColumnsPerGroup - cb * ColumnsAvailable));
    }

    /// <summary>The distinct macro shapes of the layer and how many macros have each.</summary>
    public IReadOnlyList<(int Rows, int Columns, int Count)> Shapes(int groups) =>
        Enumerable.Range(0, Macros).Select(m => Macro(m, groups)).GroupBy(x => (x.Rows, x.Columns))
            .Select(g => (g.Key.Rows, g.Key.Columns, g.Count())).ToList();
}
