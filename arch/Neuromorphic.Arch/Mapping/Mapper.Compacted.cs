using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Mapping;

public sealed partial class Mapper
{
    /// <summary>
    /// Maps a sparse matrix [outputs x inputs] with compacted word lines (<c>mapping.word_lines: compacted</c>):
    /// per column block, only the inputs with a non-zero in that block take word lines, in ascending order,
    /// filling one macro's rows before the next (greedy, deterministic); macros go column block by column
    /// block. Every non-zero lands in exactly one (macro, word line, column); repeated pairs are summed in the
    /// matrix's order, as the dense mapping sums them. The matrix's <see cref="MappedMatrix.Routes"/> list each
    /// input's (macro, word line) pairs: the row-address tables.
    /// </summary>
    public MappedMatrix MapCompacted(string layer, CsrMatrix weights)
    {
        var (crossbar, columnsPerMacro, scale) = LayoutOf(weights.Values);
        var m = chip.Spec.Macro;
        int inputs = weights.Columns, outputs = weights.Rows;
        var blocks = (outputs + columnsPerMacro - 1) / columnsPerMacro;
        // Column blocks are programmed in parallel (each with its own named stream, so the cells do not depend on the
        // threads), then placed in order: the same macros, numbering and arrays whatever the thread count.
        var programmed = new CompactedBlock[blocks][];
        try
        {
            Parallel.For(0, blocks, Parallelism, () => new BlockScratch(inputs), (block, _, scratch) =>
            {
                ProgramOne(() => programmed[block] = ProgramBlock(layer, weights, block, scale, crossbar, columnsPerMacro, scratch));
                return scratch;
            }, _ => { });
        }
        catch (AggregateException e) { throw FirstOf(e); }
        var tiles = new List<MacroTile>();
        long nonZeros = 0;
        for (var block = 0; block < blocks; block++)
            foreach (var b in programmed[block])
            {
                tiles.Add(Place(b.RowStart, b.Sources.Length, block * columnsPerMacro, b.Columns, b.Array) with { WordLineSources = b.Sources });
                nonZeros += b.Cells;
            }
        return new MappedMatrix(layer, inputs, outputs, scale, tiles, (long)m.Crossbar.Rows * m.Crossbar.Columns)
            { Routes = RoutesOf(tiles, inputs), NonZeros = nonZeros };
    }

    /// <summary>One macro of a column block, programmed, before placement.</summary>
    private sealed record CompactedBlock(int RowStart, int[] Sources, int Columns, CrossbarArray Array, int Cells);

    /// <summary>A thread's working arrays: the inputs a column block sees as a bitmap, each one's word line there, the block's entries.</summary>
    private sealed class BlockScratch(int inputs)
    {
        public readonly ulong[] Seen = new ulong[(inputs + 63) / 64];
        public readonly int[] Line = new int[inputs];
        public readonly List<int> Sources = [];
        public int[] LineStart = [], Order = [], OrderColumn = [], CellRows = [], CellColumns = [];
        public float[] CellValues = [];
    }

    /// <summary>The macros of column block <paramref name="block"/>: its inputs in ascending order, <c>rows</c> per macro, each programmed.</summary>
    private CompactedBlock[] ProgramBlock(string layer, CsrMatrix weights, int block, double scale, CrossbarParameters crossbar, int columnsPerMacro,
        BlockScratch x)
    {
        var rowsPerMacro = crossbar.Rows;
        var (pointers, indices, values) = (weights.RowPointers, weights.ColumnIndices, weights.Values);
        var c0 = block * columnsPerMacro;
        var columns = Math.Min(columnsPerMacro, weights.Rows - c0);
        int first = pointers[c0], end = pointers[c0 + columns];
        // The inputs the block sees, from a bitmap scanned in order (ascending, no sort); each one's word line.
        var (seen, line, sources) = (x.Seen, x.Line, x.Sources);
        for (var k = first; k < end; k++)
            if (values[k] != 0) seen[indices[k] >> 6] |= 1UL << indices[k];
        sources.Clear();
        for (var w = 0; w < seen.Length; w++)
            for (var bits = seen[w]; bits != 0; bits &= bits - 1)
            {
                var e = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                line[e] = sources.Count;
                sources.Add(e);
            }
        Array.Clear(seen);
        if (sources.Count == 0) return [];
        // The block's entries by word line (a counting sort: stable, so each line's entries stay in matrix
        // order, columns ascending and repeated pairs adjacent in the order the dense mapping sums them).
        var count = end - first;
        if (x.Order.Length < count) (x.Order, x.OrderColumn, x.CellRows, x.CellColumns, x.CellValues) = (new int[count], new int[count], new int[count], new int[count], new float[count]);
        if (x.LineStart.Length < sources.Count + 1) x.LineStart = new int[Math.Max(sources.Count + 1, 2 * x.LineStart.Length)];
        var (lineStart, order, orderColumn, cellRows, cellColumns, cellValues) = (x.LineStart, x.Order, x.OrderColumn, x.CellRows, x.CellColumns, x.CellValues);
        Array.Clear(lineStart, 0, sources.Count + 1);
        for (var k = first; k < end; k++)
            if (values[k] != 0) lineStart[line[indices[k]] + 1]++;
        for (var i = 0; i < sources.Count; i++) lineStart[i + 1] += lineStart[i];
        for (var r = c0; r < c0 + columns; r++)
            for (var k = pointers[r]; k < pointers[r + 1]; k++)
                if (values[k] != 0)
                {
                    var at = lineStart[line[indices[k]]]++;
                    (order[at], orderColumn[at]) = (k, r - c0);
                }
        // lineStart[i] now ends line i: entries of line i are order[lineStart[i - 1] .. lineStart[i]).
        var result = new CompactedBlock[(sources.Count + rowsPerMacro - 1) / rowsPerMacro];
        var next = 0;
        for (var chunk = 0; chunk < result.Length; chunk++)
        {
            var lines = Math.Min(rowsPerMacro, sources.Count - chunk * rowsPerMacro);
            var cells = 0;
            for (var i = chunk * rowsPerMacro; i < chunk * rowsPerMacro + lines; i++)
            {
                var lastColumn = -1;
                for (; next < lineStart[i]; next++)
                {
                    var column = orderColumn[next];
                    var value = (float)(values[order[next]] / scale);
                    if (column == lastColumn) { cellValues[cells - 1] += value; continue; }
                    lastColumn = column;
                    cellRows[cells] = i - chunk * rowsPerMacro;
                    cellColumns[cells] = column;
                    cellValues[cells++] = 0f + value;
                }
            }
            var rng = DeterministicRandom.ForComponent(seed, $"program.{layer}.c{block}.{chunk}");
            var array = CrossbarArray.ProgramSparse(cellRows.AsSpan(0, cells), cellColumns.AsSpan(0, cells), cellValues.AsSpan(0, cells), lines, columns,
                crossbar, chip.Device, rng);
            result[chunk] = new CompactedBlock(chunk * rowsPerMacro, sources.GetRange(chunk * rowsPerMacro, lines).ToArray(), columns, array, cells);
        }
        return result;
    }

    /// <summary>Each input's (macro, word line) pairs, macros in placement order.</summary>
    private static CompactedRoutes RoutesOf(List<MacroTile> tiles, int inputs)
    {
        var start = new int[inputs + 1];
        foreach (var t in tiles)
            foreach (var e in t.WordLineSources!) start[e + 1]++;
        for (var e = 0; e < inputs; e++) start[e + 1] += start[e];
        var fill = start[..^1];
        var macro = new int[start[inputs]];
        var row = new int[start[inputs]];
        for (var k = 0; k < tiles.Count; k++)
        {
            var lines = tiles[k].WordLineSources!;
            for (var i = 0; i < lines.Length; i++)
            {
                var at = fill[lines[i]]++;
                (macro[at], row[at]) = (k, i);
            }
        }
        return new CompactedRoutes(start, macro, row);
    }

    /// <summary>
    /// Macros <see cref="MapCompacted"/> takes for <paramref name="weights"/>: per column block, its distinct
    /// inputs with a non-zero over the macro's rows, rounded up.
    /// </summary>
    public static int CompactedMacros(CsrMatrix weights, int rowsPerMacro, int columnsPerMacro)
    {
        var macros = 0;
        foreach (var distinct in DistinctInputsPerBlock(weights, columnsPerMacro, []))
            macros += (distinct + rowsPerMacro - 1) / rowsPerMacro;
        return macros;
    }

    /// <summary>The output columns of each macro <see cref="MapCompacted"/> takes, in its placement order.</summary>
    internal static IEnumerable<(int ColumnStart, int Columns)> CompactedBlockColumns(CsrMatrix weights, int rowsPerMacro, int columnsPerMacro)
    {
        var distinct = DistinctInputsPerBlock(weights, columnsPerMacro, []);
        for (var block = 0; block < distinct.Length; block++)
        {
            var c0 = block * columnsPerMacro;
            for (var k = 0; k < (distinct[block] + rowsPerMacro - 1) / rowsPerMacro; k++) yield return (c0, Math.Min(columnsPerMacro, weights.Rows - c0));
        }
    }

    /// <summary>
    /// Row-address table entries each input needs under <see cref="MapCompacted"/>: one per column block in
    /// which it has a non-zero (it takes one word line there), added into <paramref name="entries"/>.
    /// </summary>
    public static void AddRowTableEntries(CsrMatrix weights, int columnsPerMacro, Span<int> entries) =>
        DistinctInputsPerBlock(weights, columnsPerMacro, entries);

    /// <summary>
    /// Per column block of <paramref name="columnsPerMacro"/> outputs, the number of distinct inputs with a
    /// non-zero there; each such (block, input) also adds one to <paramref name="entries"/>[input] when that
    /// span is not empty.
    /// </summary>
    private static int[] DistinctInputsPerBlock(CsrMatrix weights, int columnsPerMacro, Span<int> entries)
    {
        var seenIn = new int[weights.Columns];
        var distinct = new int[(weights.Rows + columnsPerMacro - 1) / columnsPerMacro];
        for (int c0 = 0, block = 0; c0 < weights.Rows; c0 += columnsPerMacro, block++)
            for (var k = weights.RowPointers[c0]; k < weights.RowPointers[Math.Min(weights.Rows, c0 + columnsPerMacro)]; k++)
            {
                var e = weights.ColumnIndices[k];
                if (weights.Values[k] == 0 || seenIn[e] == block + 1) continue;
                seenIn[e] = block + 1;
                distinct[block]++;
                if (!entries.IsEmpty) entries[e]++;
            }
        return distinct;
    }
}
