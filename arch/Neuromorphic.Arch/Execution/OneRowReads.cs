using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Neuromorphic.Sim.Memory;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The one-row reads of one delay class of a dense crossbar node, laid out by matrix input: the record
/// of input e holds, for every macro whose rows include e (in the order the node reads them), the
/// columns and values its read adds, and the ledger units of all those reads together. A spike of a
/// spiking layer is read rarely, so what its reads need has left the cache by then: in the macros' own
/// records it is one or two cache misses per macro; here it is one run of consecutive memory per spike,
/// which the hardware prefetcher streams. Built from the macros themselves
/// (<see cref="Hw.Macro.RramMacro.DescribeOneRowRead"/>): derived state of the programmed arrays.
/// </summary>
/// <remarks>
/// Record of input e (ints): <c>[entries, additions, read units (2 ints), column-load units (2 ints), its
/// first entry's place among all entries' read conductances (kept apart: only reads of several rows need them)]</c>,
/// then per entry <c>[macro slot | n &lt;&lt; 16, first output column, n cells]</c>, a cell being
/// <c>column | value index &lt;&lt; 16</c> (columns within the macro, indices into <see cref="Values"/>).
/// The records are built when the node is set up, for nodes of at most <see cref="Budget"/> macro rows
/// (larger ones read their macros' own records, built on each macro's first read, and need no second
/// copy). The reads' counts are kept here as integers and handed to the
/// ledger by <see cref="Flush"/> (once per step): integer sums, so the ledger ends the same.
/// </remarks>
internal sealed class OneRowReads
{
    /// <summary>Macro rows (macros x rows) up to which a node's reads are recorded by input.</summary>
    public const long Budget = 1L << 22;

    private const int Header = 7, EntryHeader = 2, CellBits = 16, CellMask = (1 << CellBits) - 1;

    private readonly MacroRuntime[] _macros;
    private readonly int _rowsPerBlock;
    private readonly int[][] _byRowBlock; // per row block: the slots (in _macros) of this class's macros, in read order
    // Per input e: its record's start at [2e] and its first entry's place among the read conductances at [2e + 1]; past the
    // last input, the records' length and the conductances' count. Prefetch reads a spike's pair (and the next input's, where
    // its record and conductances end) from one line here, not from the record it requests, which has yet to arrive.
    private readonly int[] _at;
    private int[] _data = new int[64];
    private int _length;
    private readonly List<double> _values = [];
    private readonly Dictionary<long, int> _valueIndex = [];
    private readonly List<int> _columns = [];
    private readonly List<double> _response = [];
    private readonly List<double> _conductances = []; // per entry, in the order the records hold them (while building)
    private double[] _conductanceOf = [];

    private readonly Hw.Macro.RramMacro[] _counters;

    private OneRowReads(MacroRuntime[] macros, int[][] byRowBlock, int rowsPerBlock, int inputs, Hw.Macro.RramMacro[] counters, int[] counterOf)
    {
        (_macros, _byRowBlock, _rowsPerBlock, _counters, CounterOf) = (macros, byRowBlock, rowsPerBlock, counters, counterOf);
        PendingOneRow = new long[counters.Length];
        PendingSeveral = new (long, long, long)[counters.Length];
        _at = new int[2 * (inputs + 1)];
        Values = [];
    }

    /// <summary>
    /// The one-row reads of delay class <paramref name="matrix"/>, or null (such nodes keep the macros' own
    /// reads) when one of its macros does not read one row exactly, counts its units under other keys, has
    /// more than 65,535 columns or sits at a macro slot past 65,535 (an entry or a cell cannot index it),
    /// when the class has more than <see cref="Budget"/> macro rows, more distinct read values than a cell
    /// can index, or records too large for one array.
    /// </summary>
    public static OneRowReads? For(MacroRuntime[] macros, MacroRuntime[][] byRowBlock, int matrix, int rowsPerBlock, int inputs)
    {
        // Macros that count alike share one pending count (a node's narrower last column block counts apart).
        var counters = new List<Hw.Macro.RramMacro>();
        var counterOf = new int[macros.Length];
        for (var s = 0; s < macros.Length; s++)
        {
            var f = macros[s].Function;
            if (macros[s].DelayClass != matrix) continue;
            if (!f.ReadsOneRowExactly || macros[s].Tile.ColumnCount > CellMask || s > CellMask) return null;
            if (counters.Count > 0 && (!f.CountsUnitsLike(counters[0]) || f.RowsPerGroup != counters[0].RowsPerGroup
                || f.ExactRowsPerGroup != counters[0].ExactRowsPerGroup)) return null;
            var c = counters.FindIndex(f.CountsReadsLike);
            if (c < 0) { c = counters.Count; counters.Add(f); }
            counterOf[s] = c;
        }
        if (counters.Count == 0) return null;
        long macroRows = 0;
        foreach (var m in macros) if (m.DelayClass == matrix) macroRows += m.Tile.RowCount;
        if (macroRows > Budget) return null;
        var slotOf = new Dictionary<MacroRuntime, int>(ReferenceEqualityComparer.Instance);
        for (var s = 0; s < macros.Length; s++) slotOf[macros[s]] = s;
        var blocks = byRowBlock.Select(list => list.Where(m => m.DelayClass == matrix).Select(m => slotOf[m]).ToArray()).ToArray();
        var reads = new OneRowReads(macros, blocks, rowsPerBlock, inputs, counters.ToArray(), counterOf)
        {
            // Every macro of a block holds the same rows: all the block's records list the same macros in the same order.
            UniformBlocks = blocks.All(b => b.All(slot => macros[slot].Tile.RowStart == macros[b[0]].Tile.RowStart && macros[slot].Tile.RowCount == macros[b[0]].Tile.RowCount)),
        };
        for (var e = 0; e < inputs; e++)
            if (!reads.Build(e)) return null;
        (reads._at[2 * inputs], reads._at[2 * inputs + 1]) = (reads._length, reads._conductances.Count);
        Array.Resize(ref reads._data, reads._length);
        reads.Values = reads._values.ToArray();
        reads._conductanceOf = reads._conductances.ToArray();
        reads._conductances.Clear();
        return reads;
    }

    /// <summary>True when the records of any two inputs of one row block list the same macros in the same order.</summary>
    public bool UniformBlocks { get; private init; }

    /// <summary>Per macro slot: its counter (an index into <see cref="PendingOneRow"/> and <see cref="PendingSeveral"/>).</summary>
    public int[] CounterOf { get; }

    /// <summary>Per counter: one-row reads applied since the last <see cref="Flush"/>.</summary>
    public long[] PendingOneRow { get; }

    /// <summary>Per counter: reads of several rows applied since the last <see cref="Flush"/>, their groups and rows.</summary>
    public (long Operations, long Groups, long Rows)[] PendingSeveral { get; }

    /// <summary>Rows driven together in one group, and the most of them whose responses add (alike in every macro here).</summary>
    public int RowsPerGroup => _counters[0].RowsPerGroup;

    /// <inheritdoc cref="RowsPerGroup"/>
    public int ExactRowsPerGroup => _counters[0].ExactRowsPerGroup;

    /// <summary>The units of a read whose rows' conductances sum to <paramref name="conductance"/> (alike in every macro here).</summary>
    public (long Read, long Load) ReadUnitsOf(double conductance) => _counters[0].ReadUnitsOf(conductance);

    /// <summary>Array-read and column-load units of the reads applied since the last <see cref="Flush"/>.</summary>
    public long PendingReadUnits, PendingLoadUnits;

    /// <summary>Counts the pending reads in the ledger (by their counters' macros: they count alike).</summary>
    public void Flush()
    {
        for (var c = 0; c < _counters.Length; c++)
        {
            var one = PendingOneRow[c];
            var (operations, groups, rows) = PendingSeveral[c];
            if (one + operations == 0) continue;
            _counters[c].CountReads(one + operations, one + groups, one + rows);
            PendingOneRow[c] = 0;
            PendingSeveral[c] = default;
        }
        if (PendingReadUnits == 0 && PendingLoadUnits == 0) return;
        _counters[0].CountReadUnits(PendingReadUnits, PendingLoadUnits);
        (PendingReadUnits, PendingLoadUnits) = (0, 0);
    }

    /// <summary>The distinct values the reads add (set once the records are built).</summary>
    public double[] Values { get; private set; }

    /// <summary>The records.</summary>
    public int[] Data => _data;

    /// <summary>
    /// Asks for every cache line of input <paramref name="e"/>'s record (and, with <paramref name="conductances"/>, its
    /// rows' read conductances) without waiting for them (<see cref="CachePrefetch"/>, into the L1 cache: they are read
    /// in this step). A spike's record has long left the caches: requested for all of a step's spikes before any record
    /// is used, their misses overlap each other and the step's other work instead of being met one by one (loads, as
    /// before, waited for each).
    /// </summary>
    public void Prefetch(int e, bool conductances)
    {
        var (at, end) = (_at[2 * e], _at[2 * e + 2]);
        if (end <= at) return;
        ref var data = ref MemoryMarshal.GetArrayDataReference(_data);
        for (var p = at; p < end; p += LineInts) CachePrefetch.IntoL1(ref Unsafe.Add(ref data, p));
        // A record that does not start on a line can end on one the steps above skip.
        CachePrefetch.IntoL1(ref Unsafe.Add(ref data, end - 1));
        if (!conductances) return;
        // Its rows' read conductances (reads of several rows of a block use them), one double per entry.
        var (first, entries) = (_at[2 * e + 1], _at[2 * e + 3] - _at[2 * e + 1]);
        if (entries == 0) return;
        ref var of = ref MemoryMarshal.GetArrayDataReference(_conductanceOf);
        for (var x = 0; x < entries; x += LineInts / 2) CachePrefetch.IntoL1(ref Unsafe.Add(ref of, first + x));
        CachePrefetch.IntoL1(ref Unsafe.Add(ref of, first + entries - 1));
    }

    private const int LineInts = 64 / sizeof(int);

    /// <summary>Where input <paramref name="e"/>'s record starts in <see cref="Data"/>.</summary>
    public int RecordOf(int e) => _at[2 * e];

    /// <summary>Entries of the record at <paramref name="at"/>.</summary>
    public static int Entries(int[] data, int at) => data[at];

    /// <summary>Partial sums of the record at <paramref name="at"/> that meet another row block's on the neuron core.</summary>
    public static int Additions(int[] data, int at) => data[at + 1];

    /// <summary>Array-read and column-load units of all the reads of the record at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (long Read, long Load) Units(int[] data, int at)
    {
        // The two longs as Build stored them (MemoryMarshal.Cast over the same ints), read in place: read per spike.
        ref var first = ref data[at + 2];
        _ = data[at + 5];
        return (Unsafe.ReadUnaligned<long>(ref Unsafe.As<int, byte>(ref first)),
            Unsafe.ReadUnaligned<long>(ref Unsafe.As<int, byte>(ref Unsafe.Add(ref first, 2))));
    }

    /// <summary>Where the record at <paramref name="at"/>'s first entry starts.</summary>
    public static int FirstEntry(int at) => at + Header;

    /// <summary>An entry's macro slot, first output column and cell count; its cells follow at <see cref="CellsOf"/> (<c>entry + 2</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Slot, int From, int Cells) Entry(int[] data, int entry) => (data[entry] & CellMask, data[entry + 1], data[entry] >>> CellBits);

    /// <summary>The read conductance of the row of entry <paramref name="x"/> (0, 1, ...) of the record at <paramref name="at"/> in its macro.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Conductance(int at, int x) => _conductanceOf[_data[at + Header - 1] + x];

    /// <summary>Where an entry's cells start.</summary>
    public static int CellsOf(int entry) => entry + EntryHeader;

    /// <summary>A cell's column within its macro.</summary>
    public static int Column(int cell) => cell & CellMask;

    /// <summary>A cell's index in <see cref="Values"/>.</summary>
    public static int ValueIndex(int cell) => cell >>> CellBits;

    /// <summary>Appends input <paramref name="e"/>'s record; false when a value cannot be indexed or the records outgrow one array.</summary>
    private bool Build(int e)
    {
        var slots = _byRowBlock[e / _rowsPerBlock];
        var at = _length;
        if (!Reserve(Header)) return false;
        _length += Header;
        int entries = 0, additions = 0;
        long readUnits = 0, loadUnits = 0;
        foreach (var slot in slots)
        {
            var m = _macros[slot];
            var t = m.Tile;
            if (e < t.RowStart || e >= t.RowStart + t.RowCount) continue;
            _columns.Clear();
            _response.Clear();
            var (read, load, conductance) = m.Function.DescribeOneRowRead(e - t.RowStart, _columns, _response);
            readUnits = checked(readUnits + read);
            loadUnits = checked(loadUnits + load);
            if (t.RowStart > 0) additions += _columns.Count;
            entries++;
            if (!Reserve(EntryHeader + _columns.Count)) return false;
            _data[_length++] = slot | _columns.Count << CellBits;
            _data[_length++] = t.ColumnStart;
            _conductances.Add(conductance);
            for (var k = 0; k < _columns.Count; k++)
            {
                var v = ValueSlot(_response[k]);
                if (v < 0) return false;
                _data[_length++] = _columns[k] | v << CellBits;
            }
        }
        _data[at] = entries;
        _data[at + 1] = additions;
        _data[at + Header - 1] = _conductances.Count - entries;
        var longs = MemoryMarshal.Cast<int, long>(_data.AsSpan(at + 2, 4));
        (longs[0], longs[1]) = (readUnits, loadUnits);
        (_at[2 * e], _at[2 * e + 1]) = (at, _conductances.Count - entries);
        return true;
    }

    private int ValueSlot(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (_valueIndex.TryGetValue(bits, out var index)) return index;
        index = _values.Count;
        if (index > CellMask) return -1;
        _values.Add(value);
        _valueIndex.Add(bits, index);
        return index;
    }

    /// <summary>Room for <paramref name="more"/> ints; false when the records would outgrow one array.</summary>
    /// <remarks>
    /// <see cref="Budget"/> counts macro rows, not cells: a large dense node's records can pass 2^30 ints, where
    /// doubling in int arithmetic would overflow. Growth is in longs, capped at <see cref="Array.MaxLength"/>;
    /// past it the node gives up its records and reads through its macros, as nodes over budget do.
    /// </remarks>
    private bool Reserve(int more)
    {
        var needed = (long)_length + more;
        if (needed <= _data.Length) return true;
        if (needed > Array.MaxLength) return false;
        Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _data.Length)));
        return true;
    }
}
