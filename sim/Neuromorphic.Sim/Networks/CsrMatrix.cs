namespace Neuromorphic.Sim.Networks;

/// <summary>
/// A sparse matrix in compressed sparse row form: row r holds the entries
/// <c>ColumnIndices[RowPointers[r] .. RowPointers[r + 1]]</c> with <c>Values</c> alike.
/// Column indices within a row are strictly increasing.
/// </summary>
public sealed record CsrMatrix
{
    /// <summary>Creates and validates the matrix.</summary>
    public CsrMatrix(int rows, int columns, int[] rowPointers, int[] columnIndices, float[] values)
    {
        if (rows < 0 || columns < 0) throw new ArgumentException("negative matrix dimension");
        if (rowPointers.Length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != columnIndices.Length)
            throw new ArgumentException("row pointers do not describe the entries");
        if (values.Length != columnIndices.Length) throw new ArgumentException("values and column indices differ in length");
        for (var r = 0; r < rows; r++)
        {
            if (rowPointers[r + 1] < rowPointers[r]) throw new ArgumentException($"row pointers decrease at row {r}");
            for (var k = rowPointers[r]; k < rowPointers[r + 1]; k++)
            {
                var c = columnIndices[k];
                if (c < 0 || c >= columns) throw new ArgumentException($"column index {c} out of range in row {r}");
                if (k > rowPointers[r] && columnIndices[k - 1] >= c) throw new ArgumentException($"column indices not increasing in row {r}");
            }
        }
        Rows = rows; Columns = columns; RowPointers = rowPointers; ColumnIndices = columnIndices; Values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }
    /// <summary>Number of columns.</summary>
    public int Columns { get; }
    /// <summary>Start of each row's entries, plus the end (length Rows + 1).</summary>
    public int[] RowPointers { get; }
    /// <summary>Column of each entry.</summary>
    public int[] ColumnIndices { get; }
    /// <summary>Value of each entry.</summary>
    public float[] Values { get; }
    /// <summary>Number of stored entries.</summary>
    public int NonZeros => Values.Length;

    /// <summary>Builds a CSR matrix from a dense row-major array, keeping the non-zero entries.</summary>
    public static CsrMatrix FromDense(ReadOnlySpan<float> dense, int rows, int columns)
    {
        if (dense.Length != (long)rows * columns) throw new ArgumentException("dense array does not match the dimensions");
        var pointers = new int[rows + 1];
        var cols = new List<int>();
        var vals = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var v = dense[r * columns + c];
                if (v != 0) { cols.Add(c); vals.Add(v); }
            }
            pointers[r + 1] = cols.Count;
        }
        return new CsrMatrix(rows, columns, pointers, cols.ToArray(), vals.ToArray());
    }

    /// <summary>The matrix as a dense row-major array.</summary>
    public float[] ToDense()
    {
        var dense = new float[(long)Rows * Columns];
        for (var r = 0; r < Rows; r++)
            for (var k = RowPointers[r]; k < RowPointers[r + 1]; k++)
                dense[(long)r * Columns + ColumnIndices[k]] = Values[k];
        return dense;
    }

    /// <summary>The transpose, in CSR form (so the rows of the result are the columns of this).</summary>
    public CsrMatrix Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (var c in ColumnIndices) counts[c + 1]++;
        for (var c = 0; c < Columns; c++) counts[c + 1] += counts[c];
        var next = (int[])counts.Clone();
        var idx = new int[NonZeros];
        var val = new float[NonZeros];
        for (var r = 0; r < Rows; r++)
            for (var k = RowPointers[r]; k < RowPointers[r + 1]; k++)
            {
                var pos = next[ColumnIndices[k]]++;
                idx[pos] = r;
                val[pos] = Values[k];
            }
        return new CsrMatrix(Columns, Rows, counts, idx, val);
    }
}
