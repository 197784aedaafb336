namespace Neuromorphic.Hw.Macro;

/// <summary>
/// Working buffers of a macro operation (column currents, converted values, decoded outputs, the
/// columns touched), shared by macros that never run at the same time: a chip of a million macros
/// keeps one set instead of a million. Not thread-safe: one set per thread of execution.
/// </summary>
public sealed class MacroScratch
{
    private readonly int[] _stamps;
    private int _stamp;

    /// <summary>Buffers for macros of up to <paramref name="physicalColumns"/> used columns, <paramref name="logicalColumns"/> weight columns and <paramref name="parallelRows"/> rows per group.</summary>
    public MacroScratch(int physicalColumns, int logicalColumns, int parallelRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(physicalColumns);
        ArgumentOutOfRangeException.ThrowIfNegative(logicalColumns);
        ArgumentOutOfRangeException.ThrowIfNegative(parallelRows);
        Currents = new double[physicalColumns];
        Values = new double[physicalColumns];
        GroupOut = new double[logicalColumns];
        Touched = new int[logicalColumns];
        _stamps = new int[logicalColumns];
        GroupRows = new int[parallelRows];
        GroupSlots = new int[parallelRows];
    }

    internal double[] Currents { get; }
    internal double[] Values { get; }
    internal double[] GroupOut { get; }
    internal int[] Touched { get; }
    internal int[] GroupRows { get; }
    internal int[] GroupSlots { get; }

    /// <summary>True when the buffers hold a macro of this size.</summary>
    public bool Fits(int physicalColumns, int logicalColumns, int parallelRows) =>
        physicalColumns <= Currents.Length && logicalColumns <= GroupOut.Length && parallelRows <= GroupRows.Length;

    /// <summary>Starts a new operation: no column is marked.</summary>
    internal void NextStamp()
    {
        if (++_stamp != int.MaxValue) return;
        Array.Clear(_stamps);
        _stamp = 1;
    }

    /// <summary>Marks <paramref name="column"/>; false when it was already marked in this operation.</summary>
    internal bool Mark(int column)
    {
        if (_stamps[column] == _stamp) return false;
        _stamps[column] = _stamp;
        return true;
    }
}
