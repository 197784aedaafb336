using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// Places weight matrices on the chip's macros, deterministically: macros are taken in order,
/// filling tile after tile; each block is programmed with its own seeded stream
/// (<c>program.LAYER.BLOCK</c>), so the same network, architecture and seed give the same chip.
/// A convolution maps through im2col as its [C_out x C_in k k] matrix.
/// </summary>
public sealed partial class Mapper(ChipModel chip, ulong seed)
{
    private int _nextMacro;

    /// <summary>A mapper whose first block goes on macro <paramref name="firstMacro"/> (layers placed apart, e.g. on parallel threads, continue one numbering).</summary>
    public Mapper(ChipModel chip, ulong seed, int firstMacro) : this(chip, seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstMacro);
        _nextMacro = firstMacro;
    }

    /// <summary>
    /// Threads that program a layer's blocks at once (at least 1, the default: the CLI's <c>--threads</c>, or a share of it
    /// when layers are mapped in parallel, <see cref="ThreadBudget"/>). The cells do not depend on it: each block is
    /// programmed from its own named stream.
    /// </summary>
    public int Threads
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>The programming loops' options: up to <see cref="Threads"/> blocks at once (nothing inside a block runs in parallel).</summary>
    private ParallelOptions Parallelism => new ThreadBudget(Threads).Options;

    /// <summary>Runs around each block's programming (a <see cref="ThreadBudget.Run"/>, through which tests count how many run at once); null: none.</summary>
    internal Action<Action>? AroundBlock { get; init; }

    /// <summary>Programs one block through <see cref="AroundBlock"/> when a test watches (set-up work: a closure a block is nothing beside its cells).</summary>
    private void ProgramOne(Action block)
    {
        if (AroundBlock is { } around) around(block);
        else block();
    }

    /// <summary>Macros placed so far.</summary>
    public int MacrosUsed => _nextMacro;

    /// <summary>Tiles touched so far.</summary>
    public int TilesUsed => (_nextMacro + chip.Spec.Chip.MacrosPerTile - 1) / chip.Spec.Chip.MacrosPerTile;

    /// <summary>Maps a dense matrix given row-major [outputs x inputs].</summary>
    public MappedMatrix Map(string layer, ReadOnlySpan<float> weights, int outputs, int inputs) => Map(layer, weights, outputs, inputs, 1);

    /// <summary>
    /// Maps a block-diagonal matrix [outputs x inputs] of <paramref name="groups"/> groups given compactly as
    /// [outputs x inputs / groups] (each output's weights over its own group's inputs; one group: the dense matrix).
    /// </summary>
    private MappedMatrix Map(string layer, ReadOnlySpan<float> weights, int outputs, int inputs, int groups)
    {
        int rowsPerGroup = inputs / groups, columnsPerGroup = outputs / groups;
        if (weights.Length != (long)outputs * rowsPerGroup) throw new ArgumentException($"layer '{layer}': {weights.Length} weights for {outputs} x {inputs}");
        var (crossbar, columnsPerMacro, scale) = LayoutOf(weights);
        var m = chip.Spec.Macro;
        var rowsPerMacro = m.Crossbar.Rows;
        var blocks = Blocks(inputs, outputs, groups, rowsPerMacro, columnsPerMacro).ToArray();
        EnsureRoom(blocks.Length); // before minutes of programming, not after
        var stored = new float[blocks.Length][];
        for (var b = 0; b < blocks.Length; b++)
        {
            // Crossbar layout is [inputs x outputs]: transpose the block and normalise to [-1, 1].
            var (r0, rows, c0, columns) = blocks[b];
            var cells = stored[b] = new float[rows * columns];
            for (var i = 0; i < rows; i++)
            {
                var (group, k) = Math.DivRem(r0 + i, rowsPerGroup);
                for (var j = 0; j < columns; j++)
                    if ((c0 + j) / columnsPerGroup == group) cells[i * columns + j] = (float)(weights[(c0 + j) * rowsPerGroup + k] / scale);
            }
        }
        // Blocks are programmed in parallel, each with its own named stream (write-verify is most of a large layer's
        // set-up), then placed in order: the same macros, numbering and arrays whatever the thread count.
        var arrays = new CrossbarArray[blocks.Length];
        try
        {
            Parallel.For(0, blocks.Length, Parallelism, b => ProgramOne(() =>
            {
                var rng = DeterministicRandom.ForComponent(seed, $"program.{layer}.{b}");
                arrays[b] = CrossbarArray.Program(stored[b], blocks[b].Rows, blocks[b].Columns, crossbar, chip.Device, rng);
                stored[b] = null!; // programmed: its cells may go
            }));
        }
        catch (AggregateException e) { throw FirstOf(e); }
        var tiles = new List<MacroTile>(blocks.Length);
        for (var b = 0; b < blocks.Length; b++)
        {
            var (r0, rows, c0, columns) = blocks[b];
            tiles.Add(Place(r0, rows, c0, columns, arrays[b]));
        }
        return new MappedMatrix(layer, inputs, outputs, scale, tiles, (long)m.Crossbar.Rows * m.Crossbar.Columns);
    }

    /// <summary>
    /// Places cells already programmed (<see cref="ProgrammedCells"/>: nothing is written to targets)
    /// for a matrix [outputs x inputs]: single cells one per column, differential pairs in two adjacent
    /// columns. A stored unit is one level spacing of conductance (G - G_min for a single cell, G+ - G-
    /// for a pair); the matrix's scale turns it into weight units. <paramref name="wordLines"/> lists the
    /// inputs that get a word line, in order (null: all of them).
    /// </summary>
    public MappedMatrix MapCells(string layer, ProgrammedCells cells, int outputs, int inputs, int[]? wordLines = null)
    {
        if (cells.Positive.Length != (long)outputs * inputs || cells.Negative is { } n && n.Length != cells.Positive.Length)
            throw new ArgumentException($"layer '{layer}': {cells.Positive.Length} cells for {outputs} x {inputs}");
        var m = chip.Spec.Macro;
        var lines = wordLines ?? Enumerable.Range(0, inputs).ToArray();
        var rowsPerMacro = m.Crossbar.Rows;
        var columnsPerMacro = cells.Pairs ? m.Crossbar.Columns / 2 : m.Crossbar.Columns; // no slices: one cell (or pair) per weight
        var tiles = new List<MacroTile>();
        for (var r0 = 0; r0 < lines.Length; r0 += rowsPerMacro)
        {
            var rows = Math.Min(rowsPerMacro, lines.Length - r0);
            for (var c0 = 0; c0 < outputs; c0 += columnsPerMacro)
            {
                var columns = Math.Min(columnsPerMacro, outputs - c0);
                double[] Block(double[] source)
                {
                    var block = new double[rows * columns];
                    for (var i = 0; i < rows; i++)
                        for (var j = 0; j < columns; j++)
                            block[i * columns + j] = source[(long)(c0 + j) * inputs + lines[r0 + i]];
                    return block;
                }
                var array = cells.Negative is { } negative
                    ? CrossbarArray.FromConductancePairs(Block(cells.Positive), Block(negative), rows, columns, m.Crossbar, chip.Device)
                    : CrossbarArray.FromConductances(Block(cells.Positive), rows, columns, m.Crossbar, chip.Device);
                tiles.Add(Place(r0, rows, c0, columns, array));
            }
        }
        var scale = cells.Gain * chip.Device.LevelSpacing * 1e6;
        return new MappedMatrix(layer, lines.Length, outputs, scale, tiles, (long)m.Crossbar.Rows * m.Crossbar.Columns)
            { InputRows = wordLines is null ? null : RowsOf(wordLines, inputs) };
    }

    /// <summary>Maps a sparse matrix [outputs x inputs], only the inputs in <paramref name="wordLines"/> (in order) on word lines (null: all).</summary>
    public MappedMatrix Map(string layer, CsrMatrix weights, int[]? wordLines)
    {
        if (wordLines is null) return Map(layer, weights);
        return Map(layer, OnWordLines(weights, wordLines)) with { InputRows = RowsOf(wordLines, weights.Columns) };
    }

    /// <summary>
    /// The matrix with its columns renumbered to word lines: column <c>wordLines[k]</c> becomes column k
    /// (null: unchanged). Every input holding a synapse must have a word line.
    /// </summary>
    public static CsrMatrix OnWordLines(CsrMatrix weights, int[]? wordLines)
    {
        if (wordLines is null) return weights;
        var rowOf = RowsOf(wordLines, weights.Columns);
        var columns = new int[weights.NonZeros];
        for (var k = 0; k < columns.Length; k++)
        {
            var line = rowOf[weights.ColumnIndices[k]];
            if (line < 0) throw new ArgumentException($"input {weights.ColumnIndices[k]} has a synapse but no word line");
            columns[k] = line;
        }
        return new CsrMatrix(weights.Rows, wordLines.Length, weights.RowPointers, columns, weights.Values);
    }

    private static int[] RowsOf(int[] wordLines, int inputs)
    {
        var rowOf = new int[inputs];
        Array.Fill(rowOf, -1);
        for (var line = 0; line < wordLines.Length; line++) rowOf[wordLines[line]] = line;
        return rowOf;
    }

    /// <summary>
    /// Maps a sparse matrix [outputs x inputs] block by block without a dense copy: a block of the
    /// row x column grid that holds no synapse takes no macro (nothing would ever be read from it).
    /// Occupied blocks are programmed exactly as <see cref="Map(string, ReadOnlySpan{float}, int, int)"/>
    /// programs them (same scale, same stream per grid position).
    /// </summary>
    public MappedMatrix Map(string layer, CsrMatrix weights)
    {
        var (crossbar, columnsPerMacro, scale) = LayoutOf(weights.Values);
        var m = chip.Spec.Macro;
        var rowsPerMacro = m.Crossbar.Rows;
        int inputs = weights.Columns, outputs = weights.Rows;
        var columnBlocks = (outputs + columnsPerMacro - 1) / columnsPerMacro;
        // Counting sort of the non-zeros by grid position (row block major, as the dense mapping orders its blocks).
        var blockOf = new long[weights.NonZeros];
        var starts = new Dictionary<long, int>();
        for (var r = 0; r < outputs; r++)
            for (var k = weights.RowPointers[r]; k < weights.RowPointers[r + 1]; k++)
            {
                if (weights.Values[k] == 0) { blockOf[k] = -1; continue; }
                var block = (long)(weights.ColumnIndices[k] / rowsPerMacro) * columnBlocks + r / columnsPerMacro;
                blockOf[k] = block;
                starts[block] = starts.GetValueOrDefault(block) + 1;
            }
        var order = starts.Keys.Order().ToArray();
        var offset = new Dictionary<long, int>(order.Length);
        var total = 0;
        foreach (var b in order) { offset[b] = total; total += starts[b]; }
        var entries = new int[total];
        var fill = new Dictionary<long, int>(offset);
        for (var r = 0; r < outputs; r++)
            for (var k = weights.RowPointers[r]; k < weights.RowPointers[r + 1]; k++)
                if (blockOf[k] >= 0) entries[fill[blockOf[k]]++] = k;
        var rowOf = new int[weights.NonZeros];
        for (var r = 0; r < outputs; r++)
            for (var k = weights.RowPointers[r]; k < weights.RowPointers[r + 1]; k++) rowOf[k] = r;
        var tiles = new List<MacroTile>(order.Length);
        long[] cellPosition = [];
        float[] cellValue = [], cellValues = [];
        int[] cellRows = [], cellColumns = [];
        foreach (var b in order)
        {
            var r0 = (int)(b / columnBlocks) * rowsPerMacro;
            var c0 = (int)(b % columnBlocks) * columnsPerMacro;
            var rows = Math.Min(rowsPerMacro, inputs - r0);
            var columns = Math.Min(columnsPerMacro, outputs - c0);
            // The block's synapses as crossbar cells (row = input, column = output), ascending; repeated
            // pairs summed in the matrix's order, as a dense copy of the block would sum them.
            var count = starts[b];
            if (cellPosition.Length < count) (cellPosition, cellValue, cellRows, cellColumns, cellValues) =
                (new long[count], new float[count], new int[count], new int[count], new float[count]);
            for (var e = 0; e < count; e++)
            {
                var k = entries[offset[b] + e];
                cellPosition[e] = (long)(weights.ColumnIndices[k] - r0) * columns + rowOf[k] - c0;
                cellValue[e] = (float)(weights.Values[k] / scale);
            }
            // A stable sort: keys tie only for repeated pairs, which keep their order.
            var sorted = Enumerable.Range(0, count).OrderBy(e => cellPosition[e]).ToArray();
            var n = 0;
            foreach (var e in sorted)
            {
                var position = cellPosition[e];
                if (n > 0 && (long)cellRows[n - 1] * columns + cellColumns[n - 1] == position) { cellValues[n - 1] += cellValue[e]; continue; }
                cellRows[n] = (int)(position / columns);
                cellColumns[n] = (int)(position % columns);
                cellValues[n++] = 0f + cellValue[e];
            }
            var rng = DeterministicRandom.ForComponent(seed, $"program.{layer}.{b}");
            var array = CrossbarArray.ProgramSparse(cellRows.AsSpan(0, n), cellColumns.AsSpan(0, n), cellValues.AsSpan(0, n), rows, columns,
                crossbar, chip.Device, rng);
            tiles.Add(Place(r0, rows, c0, columns, array));
        }
        return new MappedMatrix(layer, inputs, outputs, scale, tiles, (long)m.Crossbar.Rows * m.Crossbar.Columns);
    }

    /// <summary>Blocks of the row x column grid that hold a non-zero of <paramref name="weights"/>: the macros <see cref="Map(string, CsrMatrix)"/> takes.</summary>
    public static int OccupiedBlocks(CsrMatrix weights, int rowsPerMacro, int columnsPerMacro) => OccupiedBlockKeys(weights, rowsPerMacro, columnsPerMacro).Count;

    /// <summary>The occupied blocks' grid positions (row block x column blocks + column block).</summary>
    private static HashSet<long> OccupiedBlockKeys(CsrMatrix weights, int rowsPerMacro, int columnsPerMacro)
    {
        var columnBlocks = (weights.Rows + columnsPerMacro - 1) / columnsPerMacro;
        var seen = new HashSet<long>();
        for (var r = 0; r < weights.Rows; r++)
            for (var k = weights.RowPointers[r]; k < weights.RowPointers[r + 1]; k++)
                if (weights.Values[k] != 0) seen.Add((long)(weights.ColumnIndices[k] / rowsPerMacro) * columnBlocks + r / columnsPerMacro);
        return seen;
    }

    /// <summary>Maps a convolution's kernel as its im2col matrix [C_out x (C_in/groups) k k] (groups as one block-diagonal matrix whose row blocks hold only their own groups' columns, see <see cref="MacrosFor(ChipModel, ConvNode)"/>).</summary>
    public MappedMatrix Map(string layer, ConvNode conv) =>
        // The kernel [C_out, C_in / groups, k...] is already the compact form of the block-diagonal im2col matrix.
        Map(layer, conv.Weight, conv.OutputChannels, conv.WeightShape.Skip(1).Aggregate(1, (a, b) => a * b) * conv.Groups, conv.Groups);

    /// <summary>
    /// Macros a convolution takes: its block-diagonal im2col matrix in row blocks, each row block
    /// holding only the output columns of the groups its rows belong to (in column blocks), so no
    /// cell or conversion is spent on the off-diagonal zeros: a depthwise conv packs as many groups
    /// per macro as its rows allow. A kernel whose weights share one sign goes on single cells
    /// (<see cref="OnSingleCells"/>).
    /// </summary>
    public static int MacrosFor(ChipModel chip, ConvNode conv) => MacrosFor(chip, conv, OnSingleCells(chip, conv.Weight));

    /// <summary>
    /// Macros a convolution of <paramref name="conv"/>'s shape takes with its weights on single cells or under the signed
    /// scheme, whatever its weights: a caller reserving macros for weights not drawn yet counts under the scheme, the most
    /// the shape can take.
    /// </summary>
    public static int MacrosFor(ChipModel chip, ConvNode conv, bool singleCells)
    {
        var perGroupIn = conv.WeightShape.Skip(1).Aggregate(1, (a, b) => a * b);
        return Blocks(perGroupIn * conv.Groups, conv.OutputChannels, conv.Groups, chip.Spec.Macro.Crossbar.Rows, chip.ColumnsPerMacro(singleCells)).Count();
    }

    /// <summary>
    /// The blocks a block-diagonal matrix [outputs x inputs] of <paramref name="groups"/> groups takes, in
    /// placement order (row block by row block; each row block only the columns of its groups).
    /// </summary>
    private static IEnumerable<(int RowStart, int Rows, int ColumnStart, int Columns)> Blocks(int inputs, int outputs, int groups, int rowsPerMacro, int columnsPerMacro)
    {
        int rowsPerGroup = inputs / groups, columnsPerGroup = outputs / groups;
        for (var r0 = 0; r0 < inputs; r0 += rowsPerMacro)
        {
            var rows = Math.Min(rowsPerMacro, inputs - r0);
            var (from, to) = ColumnsWithWeights(r0, rows, rowsPerGroup, columnsPerGroup, groups);
            for (var c0 = from; c0 < to; c0 += columnsPerMacro) yield return (r0, rows, c0, Math.Min(columnsPerMacro, to - c0));
        }
    }

    /// <summary>The output columns of each macro a (block-diagonal) dense matrix takes, in placement order (see <see cref="Map(string, ReadOnlySpan{float}, int, int)"/>).</summary>
    internal static IEnumerable<(int ColumnStart, int Columns)> BlockColumns(int inputs, int outputs, int groups, int rowsPerMacro, int columnsPerMacro) =>
        Blocks(inputs, outputs, groups, rowsPerMacro, columnsPerMacro).Select(b => (b.ColumnStart, b.Columns));

    /// <summary>The output columns [from, to) of the groups whose rows meet the row block [r0, r0 + rows) (every column without groups).</summary>
    private static (int From, int To) ColumnsWithWeights(int r0, int rows, int rowsPerGroup, int columnsPerGroup, int groups) =>
        groups == 1 ? (0, columnsPerGroup) : (r0 / rowsPerGroup * columnsPerGroup, ((r0 + rows - 1) / rowsPerGroup + 1) * columnsPerGroup);

    /// <summary>The largest weight magnitude, which maps to the top conductance level (1 for an all-zero matrix).</summary>
    private static double ScaleOf(ReadOnlySpan<float> weights)
    {
        var scale = 0.0;
        foreach (var w in weights) scale = Math.Max(scale, Math.Abs(w));
        return scale == 0 ? 1 : scale;
    }

    private MacroTile Place(int rowStart, int rows, int columnStart, int columns, CrossbarArray array)
    {
        EnsureRoom(1);
        var macro = _nextMacro++;
        return new MacroTile(macro, macro / chip.Spec.Chip.MacrosPerTile, rowStart, rows, columnStart, columns, array);
    }

    /// <summary>
    /// The first error of a parallel programming loop, thrown as itself (with its own stack) rather than wrapped, so that
    /// callers and the CLI see the block's own message ("One or more errors occurred" names nothing).
    /// </summary>
    private static Exception FirstOf(AggregateException e)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        return e; // not reached
    }

    /// <summary>Throws the chip's out-of-macros error unless <paramref name="macros"/> more macros fit after those placed.</summary>
    private void EnsureRoom(int macros)
    {
        var spec = chip.Spec.Chip;
        if ((long)_nextMacro + macros > (long)spec.Tiles * spec.MacrosPerTile)
            throw new MappingException($"the network needs more than the chip's {spec.Macros} macros ({spec.Tiles} tiles x {spec.MacrosPerTile}); raise chip.tiles in the architecture");
    }
}
