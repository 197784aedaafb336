using System.Numerics;

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
        _rank = RankIndex(rows);
    }

    // Which rows hold a stored cell, 64 rows a word, with the stored rows before each word: a row's index in
    // Rows in constant time (a macro read looks its rows up on every operation; a binary search took ~9 probes).
    private readonly (ulong Bits, int Before)[] _rank;

    private static (ulong Bits, int Before)[] RankIndex(ushort[] rows)
    {
        var words = rows.Length == 0 ? 0 : rows[^1] / 64 + 1;
        var rank = new (ulong Bits, int Before)[words];
        for (var i = 0; i < rows.Length; i++) rank[rows[i] >> 6].Bits |= 1UL << (rows[i] & 63);
        var before = 0;
        for (var w = 0; w < words; w++)
        {
            rank[w].Before = before;
            before += BitOperations.PopCount(rank[w].Bits);
        }
        return rank;
    }

    /// <summary>Cells stored.</summary>
    public int Count => Columns.Length;

    /// <summary>Index of <paramref name="row"/> in <see cref="Rows"/>, or -1 when it holds no stored cell.</summary>
    public int RowIndex(int row)
    {
        var w = (uint)row >> 6;
        if (w >= (uint)_rank.Length) return -1;
        var (bits, before) = _rank[w];
        var bit = 1UL << row; // the shift count is taken modulo 64: row & 63
        return (bits & bit) == 0 ? -1 : before + BitOperations.PopCount(bits & (bit - 1));
    }

    /// <summary>Index of the stored cell (<c>Rows[rowIndex]</c>, <paramref name="column"/>), or -1.</summary>
    public int Find(int rowIndex, int column)
    {
        var from = Start[rowIndex];
        var i = Array.BinarySearch(Columns, from, Start[rowIndex + 1] - from, (ushort)column);
        return i >= 0 ? i : -1;
    }
}
