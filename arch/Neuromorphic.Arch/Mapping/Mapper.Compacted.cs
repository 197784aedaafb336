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
        var scale = 0.0;
        foreach (var w in weights.Values) scale = Math.Max(scale, Math.Abs(w));
        if (scale == 0) scale = 1;
        var m = chip.Spec.Macro;
        var rowsPerMacro = m.Crossbar.Rows;
        var columnsPerMacro = chip.LogicalColumnsPerMacro;
        int inputs = weights.Columns, outputs = weights.Rows;
        var (pointers, indices, values) = (weights.RowPointers, weights.ColumnIndices, weights.Values);
        var seenIn = new int[inputs]; // column block + 1 that last listed the input
        var line = new int[inputs];   // the input's word line ordinal in the current column block
        var sources = new List<int>();
        var tiles = new List<MacroTile>();
        long[] keys = [];
        int[] cellRows = [], cellColumns = [];
        float[] cellValues = [];
        long nonZeros = 0;
        for (int c0 = 0, block = 0; c0 < outputs; c0 += columnsPerMacro, block++)
        {
            var columns = Math.Min(columnsPerMacro, outputs - c0);
            int first = pointers[c0], end = pointers[c0 + columns];
            sources.Clear();
            for (var k = first; k < end; k++)
            {
                if (values[k] == 0) continue;
                var e = indices[k];
                if (seenIn[e] == block + 1) continue;
                seenIn[e] = block + 1;
                sources.Add(e);
            }
            if (sources.Count == 0) continue;
            sources.Sort();
            for (var i = 0; i < sources.Count; i++) line[sources[i]] = i;
            // The block's cells keyed by (word line, column), ties (repeated pairs) kept in matrix order.
            var count = end - first;
            if (keys.Length < count) (keys, cellRows, cellColumns, cellValues) = (new long[count], new int[count], new int[count], new float[count]);
            var n = 0;
            for (var r = c0; r < c0 + columns; r++)
                for (var k = pointers[r]; k < pointers[r + 1]; k++)
                    if (values[k] != 0) keys[n++] = (((long)line[indices[k]] * columns + (r - c0)) << 32) | (uint)(k - first);
            Array.Sort(keys, 0, n);
            var chunkStart = 0;
            for (var chunk = 0; chunk * rowsPerMacro < sources.Count; chunk++)
            {
                var lines = Math.Min(rowsPerMacro, sources.Count - chunk * rowsPerMacro);
                var cells = 0;
                var lastPosition = -1L;
                while (chunkStart < n)
                {
                    var position = keys[chunkStart] >> 32;
                    var wordLine = (int)(position / columns);
                    if (wordLine >= (chunk + 1) * rowsPerMacro) break;
                    var value = (float)(values[first + (int)(keys[chunkStart] & 0xffffffff)] / scale);
                    chunkStart++;
                    if (position == lastPosition) { cellValues[cells - 1] += value; continue; }
                    lastPosition = position;
                    cellRows[cells] = wordLine - chunk * rowsPerMacro;
                    cellColumns[cells] = (int)(position % columns);
                    cellValues[cells++] = 0f + value;
                }
                nonZeros += cells;
                var rng = DeterministicRandom.ForComponent(seed, $"program.{layer}.c{block}.{chunk}");
                var array = CrossbarArray.ProgramSparse(cellRows.AsSpan(0, cells), cellColumns.AsSpan(0, cells), cellValues.AsSpan(0, cells), lines, columns,
                    m.Crossbar, chip.Device, rng);
                tiles.Add(Place(chunk * rowsPerMacro, lines, c0, columns, array) with
                    { WordLineSources = sources.GetRange(chunk * rowsPerMacro, lines).ToArray() });
            }
        }
        return new MappedMatrix(layer, inputs, outputs, scale, tiles, (long)m.Crossbar.Rows * m.Crossbar.Columns)
            { Routes = RoutesOf(tiles, inputs), NonZeros = nonZeros };
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
        var seenIn = new int[weights.Columns];
        var macros = 0;
        for (int c0 = 0, block = 0; c0 < weights.Rows; c0 += columnsPerMacro, block++)
        {
            var distinct = 0;
            for (var k = weights.RowPointers[c0]; k < weights.RowPointers[Math.Min(weights.Rows, c0 + columnsPerMacro)]; k++)
            {
                if (weights.Values[k] == 0 || seenIn[weights.ColumnIndices[k]] == block + 1) continue;
                seenIn[weights.ColumnIndices[k]] = block + 1;
                distinct++;
            }
            macros += (distinct + rowsPerMacro - 1) / rowsPerMacro;
        }
        return macros;
    }

    /// <summary>
    /// Row-address table entries each input needs under <see cref="MapCompacted"/>: one per column block in
    /// which it has a non-zero (it takes one word line there), added into <paramref name="entries"/>.
    /// </summary>
    public static void AddRowTableEntries(CsrMatrix weights, int columnsPerMacro, Span<int> entries)
    {
        var seenIn = new int[weights.Columns];
        for (int c0 = 0, block = 0; c0 < weights.Rows; c0 += columnsPerMacro, block++)
            for (var k = weights.RowPointers[c0]; k < weights.RowPointers[Math.Min(weights.Rows, c0 + columnsPerMacro)]; k++)
            {
                var e = weights.ColumnIndices[k];
                if (weights.Values[k] == 0 || seenIn[e] == block + 1) continue;
                seenIn[e] = block + 1;
                entries[e]++;
            }
    }
}
