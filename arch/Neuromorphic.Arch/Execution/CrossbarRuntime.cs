using System.Runtime.CompilerServices;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The function of one crossbar node per timestep: drives its macros with the step's input and
/// sums their outputs (weight units) into the node's output, recording each macro's work for the
/// timing pass. Inputs are spikes or spike counts: a count is applied bit-serially, one read per
/// bit plane, shifted and added. Row blocks' partial sums meet in the output (the neuron core's
/// adders, counted); biases are added there too. Synaptic delays hold results in a ring.
/// </summary>
internal sealed partial class CrossbarRuntime
{
    private readonly ChipNode _node;
    private readonly MacroRuntime[] _macros;
    private readonly int[] _rows, _planeRows;
    private readonly double[] _scratch;
    private readonly float[]? _bias;
    private readonly int _positions;
    private readonly int[] _delay;
    private readonly double[][]? _ring;
    private int _now;
    private readonly int _kernel; // conv: rows per input channel
    private readonly int _inputPlane; // conv: input elements per channel
    private readonly int[]? _wordLineInput; // compacted matrices: the input on each word line
    private readonly double[] _lineValues = [];
    private readonly int[] _lineTiles = [];
    private readonly int[]? _rowOf; // compacted matrices: the word line of each input (-1: none)
    private readonly int[] _linesActive = [];
    private int _linesActiveCount;

    // Activity-driven bookkeeping: the macros that worked in the last step, the outputs written, the
    // macros of each row block (dense and sparse matrices: a row block is a multiple of the macro's rows).
    private readonly List<MacroRuntime> _worked = [];
    private readonly int[] _written;
    private int _writtenCount;
    // One bit per output, set while it is listed in _written: the marks of a step's few thousand outputs fit in a few
    // cache lines (an int stamp per output took as many lines as the output itself). Cleared through the list.
    private readonly ulong[] _writtenMarks;
    private bool _outputDense = true;
    private readonly MacroRuntime[][] _byRowBlock;
    private readonly int _rowsPerBlock;
    private readonly int[] _blockRows, _blocksHit, _listed;
    // Dense matrices whose macros read one row exactly: per delay class, the reads by input (null: none); per block hit,
    // whether its rows are read from those records; per row hit, its record's start.
    private readonly OneRowReads?[] _oneRow;
    // The records that exist (the non-null entries of _oneRow), for what every record takes part in each step.
    private readonly OneRowReads[] _recorded;
    // True when the records say which macros a spike reaches: one delay class, recorded, and every macro of a row block
    // holding all the block's word lines; a step of spikes (one bit plane) then counts each macro's spikes as it reads
    // the records, in the order the records list the macros, which is the order a separate pass would reach them.
    private readonly bool _recordsCarrySpikes;
    private readonly bool[] _blockRecorded;
    private readonly int[] _rowRecord, _cursor;
    // Columns a recorded read of several rows has touched (first touch order), marked by an epoch.
    private readonly int[] _touchStamp, _touchList;
    // A fused step's reads of several rows: each column's events (zero between reads; CountRows).
    private readonly int[] _events;
    private int _touchEpoch;

    public CrossbarRuntime(ChipNode node, MacroRuntime[] macros, int inputs, int maxColumns, int rowsPerBlock)
    {
        _node = node;
        _macros = macros;
        _rowsPerBlock = Math.Max(1, rowsPerBlock);
        var outputs = Shape.Size(node.Node.OutputShape!);
        _written = new int[outputs];
        _writtenMarks = new ulong[(outputs + 63) / 64];
        var blocks = (Math.Max(1, inputs) + _rowsPerBlock - 1) / _rowsPerBlock;
        // Grouped in one pass (a million macros over hundreds of row blocks), each block's macros in placement order.
        var byBlock = new List<MacroRuntime>?[blocks];
        foreach (var m in macros) (byBlock[m.Tile.RowStart / _rowsPerBlock] ??= []).Add(m);
        _byRowBlock = byBlock.Select(list => list?.ToArray() ?? []).ToArray();
        _blockRows = new int[blocks + 1];
        _blocksHit = new int[blocks];
        _listed = new int[Math.Max(1, inputs)];
        _rows = new int[Math.Max(1, inputs)];
        _planeRows = new int[Math.Max(1, Math.Max(inputs, node.Conv?.Rows ?? 0))];
        _scratch = new double[Math.Max(1, maxColumns)];
        _bias = node.Node switch { DenseNode d => d.Bias, ConvNode c => c.Bias, _ => null };
        _positions = node.Conv?.Positions ?? 1;
        _kernel = node.Node is ConvNode conv ? conv.WeightShape.Skip(2).Aggregate(1, (a, b) => a * b) : 1;
        _inputPlane = node.Node is ConvNode cv ? Shape.Size(cv.InputShape!) / cv.InputChannels : 1;
        _delay = node.Matrices.Select(m => m.DelaySteps).ToArray();
        if (node.Matrices.Count > 0 && node.Matrices[0].Matrix.InputRows is { } rowOf)
        {
            _wordLineInput = WordLineInputs(rowOf);
            _lineValues = new double[_wordLineInput.Length];
            _lineTiles = new int[_wordLineInput.Length];
            _linesActive = new int[_wordLineInput.Length];
            _rowOf = rowOf;
        }
        (_routes, _routeOffset) = RoutesOf(node);
        if (_routes is not null)
        {
            var most = node.Matrices.Max(m => m.Matrix.Tiles.Count);
            (_macroRows, _macroAt, _macrosHit) = (new int[most], new int[most], new int[most]);
        }
        _blockRecorded = new bool[blocks];
        _rowRecord = new int[_rows.Length];
        _cursor = new int[_rows.Length];
        _touchStamp = new int[_scratch.Length];
        _touchList = new int[_scratch.Length];
        _events = new int[_scratch.Length];
        _oneRow = new OneRowReads?[node.Matrices.Count];
        if (_routes is null && node.Conv is null)
            for (var c = 0; c < _oneRow.Length; c++) _oneRow[c] = OneRowReads.For(macros, _byRowBlock, c, _rowsPerBlock, _wordLineInput?.Length ?? inputs);
        _recorded = _oneRow.OfType<OneRowReads>().ToArray();
        _recordsCarrySpikes = _oneRow is [{ UniformBlocks: true }] && _routes is null && node.Conv is null
            && BlocksHoldAllTheirLines(_wordLineInput?.Length ?? inputs);
        var slots = _delay.Max() + 1;
        if (slots > 1) _ring = Enumerable.Range(0, slots).Select(_ => new double[Shape.Size(node.Node.OutputShape!)]).ToArray();
    }

    public IReadOnlyList<MacroRuntime> Macros => _macros;

    /// <summary>
    /// Whether a step of spikes (one bit plane) has its macros' spikes per source tile counted by the reads of the
    /// records (the records say which macros a spike reaches) rather than by a pass of their own; for tests.
    /// </summary>
    internal bool RecordsCarrySpikes => _recordsCarrySpikes;

    /// <summary>True when every macro of each row block holds every word line of its block (of <paramref name="lines"/> in all).</summary>
    private bool BlocksHoldAllTheirLines(int lines)
    {
        for (var b = 0; b < _byRowBlock.Length; b++)
        {
            var (first, last) = (b * _rowsPerBlock, Math.Min((b + 1) * _rowsPerBlock, lines) - 1);
            if (first > last) continue;
            foreach (var m in _byRowBlock[b])
                if (m.Tile.RowStart > first || m.Tile.RowStart + m.Tile.RowCount <= last) return false;
        }
        return true;
    }

    /// <summary>The input on each word line of a matrix whose unconnected inputs take none (<see cref="MappedMatrix.InputRows"/>).</summary>
    public static int[] WordLineInputs(int[] rowOf)
    {
        var lines = new int[rowOf.Count(r => r >= 0)];
        for (var e = 0; e < rowOf.Length; e++)
            if (rowOf[e] >= 0) lines[rowOf[e]] = e;
        return lines;
    }

    /// <summary>The macros with work in the last step (each once; empty once <see cref="ClearWorked"/> has cleared them).</summary>
    public List<MacroRuntime> Worked => _worked;

    /// <summary>
    /// Clears the work of the macros that worked in the last step and empties <see cref="Worked"/>: the capture does it
    /// once it has taken the step's work (StepWorkQueue.Capture), while the macros' lines are still in this core's cache;
    /// otherwise the next step does it first, after the timing of a step has evicted them.
    /// </summary>
    public void ClearWorked()
    {
        foreach (var m in _worked) m.ClearWork();
        _worked.Clear();
    }

    /// <summary>Outputs written in the last step, each once (valid when <see cref="OutputSparse"/>).</summary>
    public ReadOnlySpan<int> Written => _written.AsSpan(0, _writtenCount);

    /// <summary>True when only <see cref="Written"/> may be non-zero in the last step's output (no bias, no delay ring, no convolution).</summary>
    public bool OutputSparse => !_outputDense;

    /// <summary>Partial sums added to another row block's (neuron-core additions) in the last step.</summary>
    public long Additions { get; private set; }

    /// <summary>Bias additions in the last step.</summary>
    public long BiasAdditions { get; private set; }

    /// <summary>Writes the node's output at rest (all inputs zero): its bias. A recurrent edge reads it before the first step.</summary>
    public void RestOutput(Span<double> output)
    {
        output.Clear();
        if (_bias is null) return;
        for (var o = 0; o < output.Length; o++) output[o] = _bias[o / _positions];
    }

    public void Reset()
    {
        if (_ring is not null) foreach (var r in _ring) Array.Clear(r);
        _now = 0;
        _outputDense = true;
        _writtenCount = 0;
        Fused = false;
        Array.Clear(_writtenMarks);
        Array.Clear(_lineValues);
        _linesActiveCount = 0;
    }

    /// <summary>
    /// Computes this step's output from <paramref name="input"/>; <paramref name="sourceTile"/> gives each
    /// input's tile. <paramref name="active"/> lists the inputs that may be non-zero, distinct (when
    /// <paramref name="activeKnown"/>; otherwise every input is looked at): the work follows the spikes,
    /// not the layer's size. The list must be ascending: the reads cut row blocks and row groups from runs of
    /// it (an unsorted list reads a block or group more than once, or two groups as one, past the scratch
    /// sized for one run per block) and <see cref="Prefetch"/> pairs neighbours by block. A crossbar's own
    /// sparse output list (<see cref="Written"/>) is in write order, so the executor sorts the list of a
    /// crossbar fed by a crossbar, directly or through wiring (<c>ChipExecutor._sortsActive</c>).
    /// </summary>
    public void Step(ReadOnlySpan<double> input, ReadOnlySpan<int> active, bool activeKnown, Span<double> output, ReadOnlySpan<int> sourceTile,
        DeterministicRandom? noise, bool costOnly)
    {
        if (activeKnown && !costOnly) Prefetch(active);
        ClearWorked();
        Additions = 0;
        if (!activeKnown)
        {
            // Every input looked at once: list the non-zero ones.
            var n = 0;
            for (var e = 0; e < input.Length; e++) if (input[e] != 0) _listed[n++] = e;
            active = _listed.AsSpan(0, n);
        }
        if (_rowOf is { } rowOf)
        {
            // Inputs without a synapse have no word line: the matrix sees its word lines' inputs only
            // (word lines keep the inputs' order, so the active lines stay ascending).
            foreach (var line in _linesActive.AsSpan(0, _linesActiveCount)) _lineValues[line] = 0;
            var n = 0;
            foreach (var e in active)
            {
                var line = rowOf[e];
                if (line < 0) continue;
                _lineValues[line] = input[e];
                _lineTiles[line] = sourceTile[e];
                _linesActive[n++] = line;
            }
            _linesActiveCount = n;
            input = _lineValues;
            sourceTile = _lineTiles;
            active = _linesActive.AsSpan(0, n);
        }
        var planes = Planes(input, active);
        // Spikes travel to the macros holding their rows, once per macro and bit-serial plane set (counted
        // by the reads themselves when the records carry them).
        var carried = _recordsCarrySpikes && planes == 1 && !costOnly;
        if (!carried) Travel(input, active, sourceTile);
        // A step of spikes whose reads the records carry adds its events into the population, if it has one (FuseInto).
        _fusing = carried && _sink is not null;
        // Clear the last step's outputs (only those written when nothing else can be non-zero) and its written marks,
        // in one pass over the written outputs where both go one by one (a fused step wrote no output).
        if (_ring is null && !_outputDense && !Fused)
        {
            var marks = _writtenMarks;
            foreach (var o in Written) { output[o] = 0; marks[o >> 6] = 0; }
        }
        else
        {
            if (_ring is null && _outputDense) output.Clear();
            ClearMarks();
        }
        _writtenCount = 0;
        for (var c = 0; c < _node.Matrices.Count; c++)
        {
            var target = _ring is null ? output : _ring[(_now + _delay[c]) % _ring.Length].AsSpan();
            if (_routes is not null) Compacted(c, input, active, planes, target, noise, costOnly);
            else if (_node.Conv is null) Dense(c, input, active, planes, target, noise, costOnly, carried ? sourceTile : default);
            else Conv(c, input, planes, target, noise, costOnly);
        }
        _outputDense = _ring is not null || _bias is not null || _node.Conv is not null;
        Fused = _fusing;
        _fusing = false;
        if (_ring is not null)
        {
            _ring[_now].AsSpan().CopyTo(output);
            Array.Clear(_ring[_now]);
            _now = (_now + 1) % _ring.Length;
        }
        foreach (var reads in _recorded) reads.Flush();
        BiasAdditions = 0;
        if (_bias is null) return;
        var perChannel = _positions;
        for (var o = 0; o < output.Length; o++)
        {
            var b = _bias[o / perChannel];
            if (b == 0) continue;
            output[o] += b;
            BiasAdditions++;
        }
    }

    /// <summary>Counts each listed input's spike at the macros holding its rows (once per macro and bit-serial plane set).</summary>
    private void Travel(ReadOnlySpan<double> input, ReadOnlySpan<int> active, ReadOnlySpan<int> sourceTile)
    {
        foreach (var e in active)
        {
            if (input[e] == 0) continue;
            if (_routes is not null) { RouteCompacted(e, sourceTile[e]); continue; }
            if (_node.Conv is null)
            {
                foreach (var m in _byRowBlock[e / _rowsPerBlock])
                {
                    var from = Hit(m).SpikesFrom;
                    from[m.SourceIndex(sourceTile[e])]++;
                }
                continue;
            }
            var row = e / _inputPlane * _kernel;
            foreach (var m in _macros)
            {
                var t = m.Tile;
                if (row < t.RowStart + t.RowCount && row + _kernel > t.RowStart) Hit(m).SpikesFrom[m.SourceIndex(sourceTile[e])]++;
            }
        }
    }

    /// <summary>
    /// Asks for what the step's reads by input will read (<see cref="OneRowReads.Prefetch"/>) for every listed input,
    /// first thing in the step and without waiting for it, so that the misses of a step's spikes overlap each other and
    /// the step's other work. The rows' read conductances only serve reads of several rows of one block: they are
    /// requested for inputs that share their block with another.
    /// </summary>
    private void Prefetch(ReadOnlySpan<int> active)
    {
        if (_recorded.Length == 0) return;
        var (pending, pendingShares) = (-1, false);
        foreach (var e in active)
        {
            var line = _rowOf is null ? e : _rowOf[e];
            if (line < 0 || _byRowBlock[line / _rowsPerBlock].Length == 0) continue;
            var shares = pending >= 0 && pending / _rowsPerBlock == line / _rowsPerBlock;
            if (pending >= 0)
                foreach (var reads in _recorded) reads.Prefetch(pending, pendingShares || shares);
            (pending, pendingShares) = (line, shares);
        }
        if (pending >= 0)
            foreach (var reads in _recorded) reads.Prefetch(pending, pendingShares);
    }

    /// <summary>Bit planes of the input (1 for spikes); throws unless every input is a non-negative integer.</summary>
    private int Planes(ReadOnlySpan<double> input, ReadOnlySpan<int> active)
    {
        var max = 0.0;
        foreach (var e in active)
        {
            var x = input[e];
            if (x == 0) continue;
            if (x < 0 || x != Math.Floor(x) || x > int.MaxValue)
                throw new ChipExecutionException($"node '{_node.Name}': input {e} is {x}; a crossbar's word lines take spikes or spike counts (non-negative integers)");
            max = Math.Max(max, x);
        }
        return max <= 1 ? 1 : 32 - int.LeadingZeroCount((int)max);
    }

    /// <summary>
    /// The reads of delay class <paramref name="matrix"/>, plane by plane and row block by row block. With
    /// <paramref name="spikesFrom"/> (each line's source tile; only when <see cref="_recordsCarrySpikes"/>, one plane),
    /// the recorded reads also count each macro's spikes by source tile.
    /// </summary>
    private void Dense(int matrix, ReadOnlySpan<double> input, ReadOnlySpan<int> active, int planes, Span<double> output, DeterministicRandom? noise, bool costOnly,
        ReadOnlySpan<int> spikesFrom)
    {
        for (var b = 0; b < planes; b++)
        {
            // The plane's rows (ascending), cut at row-block boundaries: only the blocks hit are visited, and only
            // those holding macros (a spike into a block of none reads nothing: CUBA's excitatory spikes in the
            // inhibitory projection's node, for most of them).
            var count = 0;
            var hit = 0;
            foreach (var e in active)
            {
                if (input[e] == 0 || (((long)input[e] >> b) & 1) == 0) continue;
                var block = e / _rowsPerBlock;
                if (_byRowBlock[block].Length == 0) continue;
                if (hit == 0 || _blocksHit[hit - 1] != block) { _blocksHit[hit] = block; _blockRows[hit++] = count; }
                _rows[count++] = e;
            }
            if (count == 0) continue;
            _blockRows[hit] = count;
            // A group past the ADC's exact range is read through the ADCs: such a step is not fused (decided before any read).
            if (_fusing && !GroupsExact(hit, _oneRow[matrix]!)) _fusing = false;
            var scale = (double)(1L << b);
            // A block's rows are read from the node's records by input (one run of memory per row) where it has them
            // (several rows: where every macro of a block holds the same rows); the others' macros read their own records.
            var oneRow = costOnly ? null : _oneRow[matrix];
            var recorded = 0;
            for (var h = 0; h < hit; h++)
            {
                var (first, length) = (_blockRows[h], _blockRows[h + 1] - _blockRows[h]);
                _blockRecorded[h] = false;
                if (oneRow is null || length > 1 && !oneRow.UniformBlocks) continue;
                for (var i = first; i < first + length; i++) _rowRecord[i] = oneRow.RecordOf(_rows[i]);
                _blockRecorded[h] = true;
                recorded++;
            }
            // Every other block's macros preload before any reads: the more misses in flight together, the better.
            if (!costOnly && recorded < hit)
                for (var pass = 0; pass < 2; pass++)
                    for (var h = 0; h < hit; h++)
                        if (!_blockRecorded[h])
                            Preload(_byRowBlock[_blocksHit[h]], matrix, _rows.AsSpan(_blockRows[h], _blockRows[h + 1] - _blockRows[h]), pass == 1);
            for (var h = 0; h < hit; h++)
            {
                var (first, length) = (_blockRows[h], _blockRows[h + 1] - _blockRows[h]);
                if (_blockRecorded[h])
                {
                    if (length == 1 && _fusing) ReadRecorded(oneRow!, _rowRecord[first], new CubaSink(_sink!), spikesFrom.IsEmpty ? -1 : spikesFrom[_rows[first]]);
                    else if (length == 1) ReadRecorded(oneRow!, _rowRecord[first], new OutputSink(output, oneRow!.Values, scale), spikesFrom.IsEmpty ? -1 : spikesFrom[_rows[first]]);
                    else ReadRecordedRows(oneRow!, _rows.AsSpan(first, length), _rowRecord.AsSpan(first, length), output, scale, noise, spikesFrom);
                    continue;
                }
                var rows = _rows.AsSpan(first, length);
                foreach (var m in _byRowBlock[_blocksHit[h]])
                {
                    if (m.DelayClass != matrix) continue;
                    var t = m.Tile;
                    var k = 0;
                    foreach (var r in rows)
                        if (r >= t.RowStart && r < t.RowStart + t.RowCount) _planeRows[k++] = r - t.RowStart;
                    if (k == 0) continue;
                    Execute(m, _planeRows.AsSpan(0, k), output, scale, position: -1, noise, costOnly);
                }
            }
        }
    }

    /// <summary>
    /// The one-row reads of one input, from its record (<see cref="OneRowReads"/>): what <see cref="Execute"/>
    /// does for each macro holding the row, in the same order, with the counts left pending in the records;
    /// with a <paramref name="spikeTile"/> (not -1), each macro also counts the input's spike from that tile.
    /// </summary>
    private void ReadRecorded<TSink>(OneRowReads reads, int at, scoped TSink sink, int spikeTile) where TSink : IReadSink, allows ref struct
    {
        var data = reads.Data;
        var entries = OneRowReads.Entries(data, at);
        var (pending, counterOf) = (reads.PendingOneRow, reads.CounterOf);
        var (readUnits, loadUnits) = OneRowReads.Units(data, at);
        reads.PendingReadUnits += readUnits;
        reads.PendingLoadUnits += loadUnits;
        Additions += OneRowReads.Additions(data, at);
        var entry = OneRowReads.FirstEntry(at);
        // The written outputs' marks in locals for the cells' loop (stores to arrays would reload the fields).
        var (marks, written, count) = (_writtenMarks, _written, _writtenCount);
        for (var x = 0; x < entries; x++)
        {
            var (slot, from, n) = OneRowReads.Entry(data, entry);
            var cells = data.AsSpan(OneRowReads.CellsOf(entry), n);
            entry = OneRowReads.CellsOf(entry) + n;
            var m = Hit(_macros[slot]);
            m.Reads++;
            if (spikeTile >= 0) m.SpikesFrom[m.SourceIndex(spikeTile)]++;
            pending[counterOf[slot]]++;
            var valuesTo = m.ValuesTo;
            if (valuesTo.Length == 1)
            {
                valuesTo[0] += n;
                count = RecordedCells(cells, from, sink, marks, written, count);
            }
            else count = RecordedCells(cells, from, sink, marks, written, count, valuesTo, m.TargetOfColumns(_node.OutputTile));
        }
        _writtenCount = count;
    }

    // The cells' loops of ReadRecorded, as methods of their own: inlined, they shared the registers with the entry's
    // bookkeeping, and the JIT kept the loop's arrays, offset and count on the stack, reloaded for every cell.

    /// <summary>Adds a one-row read's <paramref name="cells"/> (outputs <paramref name="from"/> + column) into the sink and marks them written; returns the written count.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RecordedCells<TSink>(ReadOnlySpan<int> cells, int from, scoped TSink sink, ulong[] marks, int[] written, int count)
        where TSink : IReadSink, allows ref struct
    {
        foreach (var cell in cells)
        {
            var o = from + OneRowReads.Column(cell);
            sink.Recorded(o, cell);
            Mark(marks, written, ref count, o);
        }
        return count;
    }

    /// <summary>As the other overload, and counts each cell's value for its column's target tile (<paramref name="targetOf"/>) in <paramref name="valuesTo"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RecordedCells<TSink>(ReadOnlySpan<int> cells, int from, scoped TSink sink, ulong[] marks, int[] written, int count,
        int[] valuesTo, int[] targetOf) where TSink : IReadSink, allows ref struct
    {
        foreach (var cell in cells)
        {
            var j = OneRowReads.Column(cell);
            var o = from + j;
            sink.Recorded(o, cell);
            valuesTo[targetOf[j]]++;
            Mark(marks, written, ref count, o);
        }
        return count;
    }

    /// <summary>
    /// The reads of several inputs of one row block, from their records (<see cref="OneRowReads.UniformBlocks"/>):
    /// what <see cref="Execute"/> does for each macro of the block, in the same order. A macro whose rows fill a
    /// group past its exact range reads them itself (through its ADCs). With <paramref name="spikesFrom"/> (each
    /// row's source tile), each macro also counts the rows' spikes by tile.
    /// </summary>
    private void ReadRecordedRows(OneRowReads reads, ReadOnlySpan<int> rows, ReadOnlySpan<int> records, Span<double> output, double scale,
        DeterministicRandom? noise, ReadOnlySpan<int> spikesFrom)
    {
        var data = reads.Data;
        var values = reads.Values;
        var k = rows.Length;
        var cursor = _cursor.AsSpan(0, k);
        for (var i = 0; i < k; i++) cursor[i] = OneRowReads.FirstEntry(records[i]);
        var entries = OneRowReads.Entries(data, records[0]);
        if (entries == 0) return;
        // Row groups as the block's macros form them (they hold the same rows): how many, and the most rows in one.
        var rowStart = _macros[OneRowReads.Entry(data, cursor[0]).Slot].RowStart;
        int active = 0, most = 0, run = 0, previous = -1;
        foreach (var e in rows)
        {
            var g = (e - rowStart) / reads.RowsPerGroup;
            if (g != previous) { active++; run = 0; previous = g; }
            most = Math.Max(most, ++run);
        }
        var exact = most <= reads.ExactRowsPerGroup;
        for (var x = 0; x < entries; x++)
        {
            var slot = OneRowReads.Entry(data, cursor[0]).Slot;
            var m = Hit(_macros[slot]);
            if (!spikesFrom.IsEmpty)
                foreach (var e in rows) m.SpikesFrom[m.SourceIndex(spikesFrom[e])]++;
            if (!exact)
            {
                // Never while fusing: CanFuse asks every group to be exact.
                System.Diagnostics.Debug.Assert(!_fusing);
                // A group past the ADC's exact range: the macro reads the rows itself, through its ADCs.
                for (var i = 0; i < k; i++)
                {
                    _planeRows[i] = rows[i] - m.RowStart;
                    cursor[i] = OneRowReads.CellsOf(cursor[i]) + OneRowReads.Entry(data, cursor[i]).Cells;
                }
                Execute(m, _planeRows.AsSpan(0, k), output, scale, position: -1, noise, costOnly: false);
                continue;
            }
            if (_fusing)
            {
                CountRows(reads, slot, m, records, cursor, x, active);
                continue;
            }
            // The rows' responses summed column by column in row order, the columns listed as first touched.
            var columns = _scratch;
            if (++_touchEpoch == int.MaxValue) { Array.Clear(_touchStamp); _touchEpoch = 1; }
            var (touchStamp, epoch, touchList) = (_touchStamp, _touchEpoch, _touchList);
            var touched = 0;
            var conductance = 0.0;
            var from = 0;
            for (var i = 0; i < k; i++)
            {
                var entry = cursor[i];
                (_, from, var n) = OneRowReads.Entry(data, entry);
                conductance += reads.Conductance(records[i], x);
                foreach (var cell in data.AsSpan(OneRowReads.CellsOf(entry), n))
                {
                    var j = OneRowReads.Column(cell);
                    if (touchStamp[j] != epoch) { touchStamp[j] = epoch; touchList[touched++] = j; }
                    columns[j] += values[OneRowReads.ValueIndex(cell)];
                }
                cursor[i] = OneRowReads.CellsOf(entry) + n;
            }
            CountSeveral(reads, slot, m, active, k, conductance, touched);
            AddColumns(m, _touchList.AsSpan(0, touched), columns, from, new OutputSink(output, scale));
        }
    }

    /// <summary>
    /// A fused step's read of several rows by macro <paramref name="m"/> (at <paramref name="slot"/>; entry <paramref name="x"/> of the rows'
    /// <paramref name="records"/>, each row's at its <paramref name="cursor"/>, which it advances): what the exact branch of
    /// <see cref="ReadRecordedRows"/> does, with each column's events counted as an integer. Every recorded value is one event
    /// within 1e-12 (<see cref="CanFuse"/>), so the column's summed values, rounded, were that count: the same additions of the
    /// weight, in the same order, without the sums of doubles and their rounding.
    /// </summary>
    private void CountRows(OneRowReads reads, int slot, MacroRuntime m, ReadOnlySpan<int> records, Span<int> cursor, int x, int active)
    {
        var data = reads.Data;
        var (events, touchList) = (_events, _touchList);
        var touched = 0;
        var conductance = 0.0;
        var from = 0;
        for (var i = 0; i < records.Length; i++)
        {
            var entry = cursor[i];
            (_, from, var n) = OneRowReads.Entry(data, entry);
            conductance += reads.Conductance(records[i], x);
            // A column's count is zero until its first event (AddEvents leaves them zero): that event lists it.
            foreach (var cell in data.AsSpan(OneRowReads.CellsOf(entry), n))
            {
                var j = OneRowReads.Column(cell);
                if (events[j]++ == 0) touchList[touched++] = j;
            }
            cursor[i] = OneRowReads.CellsOf(entry) + n;
        }
        CountSeveral(reads, slot, m, active, records.Length, conductance, touched);
        AddEvents(m, touchList.AsSpan(0, touched), events, from, new CubaSink(_sink!));
    }

    /// <summary>
    /// What a recorded read of <paramref name="rows"/> rows in <paramref name="groups"/> groups by macro <paramref name="m"/>
    /// (at <paramref name="slot"/>) counts: the read pending in the records' counters, its units (from the rows' summed
    /// <paramref name="conductance"/>), the macro's row-group reads, and the partial sums of its <paramref name="touched"/>
    /// columns that meet another row block's on the neuron core.
    /// </summary>
    private void CountSeveral(OneRowReads reads, int slot, MacroRuntime m, int groups, int rows, double conductance, int touched)
    {
        ref var counts = ref reads.PendingSeveral[reads.CounterOf[slot]];
        counts = (counts.Operations + 1, counts.Groups + groups, counts.Rows + rows);
        var (readUnits, loadUnits) = reads.ReadUnitsOf(conductance);
        reads.PendingReadUnits += readUnits;
        reads.PendingLoadUnits += loadUnits;
        m.Reads += groups;
        if (m.RowStart > 0) Additions += touched;
    }

    /// <summary>Each macro of a row block preloads its first row of <paramref name="rows"/> (see <see cref="Hw.Macro.RramMacro.Preload"/>).</summary>
    private static void Preload(MacroRuntime[] macros, int matrix, ReadOnlySpan<int> rows, bool response)
    {
        foreach (var m in macros)
        {
            if (m.DelayClass != matrix) continue;
            var t = m.Tile;
            foreach (var r in rows)
                if (r >= t.RowStart && r < t.RowStart + t.RowCount) { m.Function.Preload(r - t.RowStart, response); break; }
        }
    }

    private MacroRuntime Hit(MacroRuntime m)
    {
        if (!m.Worked) { m.Worked = true; _worked.Add(m); }
        return m;
    }

    private void Conv(int matrix, ReadOnlySpan<double> input, int planes, Span<double> output, DeterministicRandom? noise, bool costOnly)
    {
        var unrolling = _node.Conv!;
        unrolling.Gather(input);
        foreach (var p in unrolling.ActivePositions)
        {
            var rows = unrolling.RowsOf(p);
            var values = unrolling.ValuesOf(p);
            for (var b = 0; b < planes; b++)
            {
                var scale = (double)(1L << b);
                foreach (var m in _macros)
                {
                    if (m.DelayClass != matrix) continue;
                    var t = m.Tile;
                    var k = 0;
                    for (var r = 0; r < rows.Length; r++)
                        if (rows[r] >= t.RowStart && rows[r] < t.RowStart + t.RowCount && (((long)values[r] >> b) & 1) != 0)
                            _planeRows[k++] = rows[r] - t.RowStart;
                    if (k == 0) continue;
                    Execute(m, _planeRows.AsSpan(0, k), output, scale, p, noise, costOnly);
                }
            }
        }
    }

    /// <summary>One macro operation: reads, then its column results into the output (dense: column j is output j; conv: channel j at the position).</summary>
    private void Execute(MacroRuntime m, ReadOnlySpan<int> rows, Span<double> output, double scale, int position, DeterministicRandom? noise, bool costOnly)
    {
        var t = m.Tile;
        var columns = _scratch.AsSpan(0, t.ColumnCount);
        var op = m.Function.Execute(rows, 0, columns, noise, costOnly: costOnly);
        Hit(m).Reads += op.ActiveGroups;
        var touched = m.Function.Touched;
        if (t.RowStart > 0) Additions += touched.Length;
        var valuesTo = m.ValuesTo;
        if (position >= 0)
        {
            var outputTile = _node.OutputTile;
            foreach (var j in touched)
            {
                var o = (t.ColumnStart + j) * _positions + position;
                output[o] += columns[j] * scale;
                columns[j] = 0;
                valuesTo[m.TargetIndex(outputTile[o])]++;
                MarkWritten(o);
            }
            return;
        }
        AddColumns(m, touched, columns, t.ColumnStart, new OutputSink(output, scale));
    }

    /// <summary>
    /// Adds a macro's <paramref name="touched"/> columns (scaled) to the node's outputs from <paramref name="from"/> on,
    /// clears them, counts the values each target tile receives and marks the outputs written. A dense matrix's
    /// column j is output <paramref name="from"/> + j, whose tile never changes: most macros send to one tile.
    /// </summary>
    private void AddColumns(MacroRuntime m, ReadOnlySpan<int> touched, Span<double> columns, int from, scoped OutputSink sink)
    {
        var valuesTo = m.ValuesTo;
        var (marks, written, count) = (_writtenMarks, _written, _writtenCount);
        if (valuesTo.Length == 1)
        {
            valuesTo[0] += touched.Length;
            foreach (var j in touched)
            {
                var o = from + j;
                sink.Column(o, columns[j]);
                columns[j] = 0;
                Mark(marks, written, ref count, o);
            }
        }
        else
        {
            var targetOf = m.TargetOfColumns(_node.OutputTile);
            foreach (var j in touched)
            {
                var o = from + j;
                sink.Column(o, columns[j]);
                columns[j] = 0;
                valuesTo[targetOf[j]]++;
                Mark(marks, written, ref count, o);
            }
        }
        _writtenCount = count;
    }

    /// <summary>
    /// As <see cref="AddColumns"/>, into a <see cref="CubaSink"/>, for columns whose values are counts of events
    /// (<paramref name="events"/>, set back to zero): each event one addition of the weight (<see cref="CubaSink.Events"/>).
    /// </summary>
    private void AddEvents(MacroRuntime m, ReadOnlySpan<int> touched, int[] events, int from, CubaSink sink)
    {
        var valuesTo = m.ValuesTo;
        var targetOf = valuesTo.Length == 1 ? null : m.TargetOfColumns(_node.OutputTile);
        var (marks, written, count) = (_writtenMarks, _written, _writtenCount);
        if (targetOf is null) valuesTo[0] += touched.Length;
        foreach (var j in touched)
        {
            var o = from + j;
            sink.Events(o, events[j]);
            events[j] = 0;
            if (targetOf is not null) valuesTo[targetOf[j]]++;
            Mark(marks, written, ref count, o);
        }
        _writtenCount = count;
    }

    private void MarkWritten(int o) => Mark(_writtenMarks, _written, ref _writtenCount, o);

    /// <summary>
    /// Clears the marks of the outputs listed in <see cref="Written"/> (only they are set): word by word through the list
    /// when it is short, else the whole bitmap at once. A fused CUBA step lists more outputs (about 150) than its bitmap
    /// has words (125), and the list's loop of dependent stores cost more than a vectorised clear of 1 KB.
    /// </summary>
    private void ClearMarks()
    {
        var marks = _writtenMarks;
        if (_writtenCount >= marks.Length / 16) Array.Clear(marks);
        else foreach (var o in Written) marks[o >> 6] = 0;
    }

    /// <summary>
    /// Lists output <paramref name="o"/> in <paramref name="written"/> (at <paramref name="count"/>, which it advances)
    /// unless its bit in <paramref name="marks"/> says it is listed already, and sets the bit. The cells' loops pass
    /// the arrays and the count as locals (stores to the fields would make the loop reload them).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Mark(ulong[] marks, int[] written, ref int count, int o)
    {
        ref var word = ref marks[o >> 6];
        var bit = 1UL << o;
        if ((word & bit) == 0) { word |= bit; written[count++] = o; }
    }
}
