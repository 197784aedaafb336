namespace Neuromorphic.Hw.Crossbar;

/// <summary>
/// The cells of an array that were programmed above level 0, row by row (compressed sparse rows over
/// the rows holding at least one such cell): the array's other cells are level-0 cells, which the
/// array draws when it reads them instead of keeping them.
/// </summary>
internal sealed class SparseCellStore
{
    /// <summary>Rows holding a stored cell, ascending.</summary>
    public readonly ushort[] Rows;

    /// <summary>Cells of row <c>Rows[i]</c> are [Start[i], Start[i + 1]).</summary>
    public readonly int[] Start;

    /// <summary>Physical column of each cell, ascending within its row.</summary>
    public readonly ushort[] Columns;

    /// <summary>Programmed conductance of each cell (siemens, before drift).</summary>
    public readonly double[] Conductance;

    /// <summary>Noiseless read conductance of each cell (drift and IR drop applied); <see cref="Conductance"/> itself when neither applies.</summary>
    public double[] Read;

    public SparseCellStore(ushort[] rows, int[] start, ushort[] columns, double[] conductance)
    {
        Rows = rows;
        Start = start;
        Columns = columns;
        Conductance = conductance;
        Read = conductance;
    }

    /// <summary>Cells stored.</summary>
    public int Count => Columns.Length;

    /// <summary>Index of <paramref name="row"/> in <see cref="Rows"/>, or -1 when it holds no stored cell.</summary>
    public int RowIndex(int row)
    {
        // Rows are ascending and distinct: Rows[row] == row means every row up to it holds a cell (dense rows, no search).
        if ((uint)row < (uint)Rows.Length && Rows[row] == row) return row;
        var i = Array.BinarySearch(Rows, (ushort)row);
        return i >= 0 ? i : -1;
    }

    /// <summary>Index of the stored cell (<c>Rows[rowIndex]</c>, <paramref name="column"/>), or -1.</summary>
    public int Find(int rowIndex, int column)
    {
        var from = Start[rowIndex];
        var i = Array.BinarySearch(Columns, from, Start[rowIndex + 1] - from, (ushort)column);
        return i >= 0 ? i : -1;
    }
}
