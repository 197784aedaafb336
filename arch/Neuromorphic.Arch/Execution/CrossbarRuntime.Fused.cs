namespace Neuromorphic.Arch.Execution;

// A crossbar that adds its events straight into an ideal CUBA population's conductances (CubaEventSink): its reads of a
// step of spikes only count events (every recorded value is 1), which the population would turn back into additions of
// the weight; adding the weight as each event is read skips the output's writes, its clearing and the population's pass
// over it. The written outputs are still listed (Written: the counts of active outputs and the population's input list).
internal sealed partial class CrossbarRuntime
{
    private CubaEventSink? _sink;
    // True while a step adds into _sink (set by Step for its reads).
    private bool _fusing;

    // A recorded value within this of 1 is one event: a count of up to 65,536 such values (at most one per word line)
    // sums to within 1e-9 per event of the whole number, which CubaCore's AddEvents rounds it to.
    private const double UnitTolerance = 1e-12;

    /// <summary>
    /// True when every read of a step of spikes comes from the records and only counts events: one delay class whose records
    /// carry the spikes, every recorded value 1 (within <see cref="UnitTolerance"/>: the converted path's rounding), at most
    /// 65,536 word lines (no output can count more events, the most CubaCore adds one by one), and no bias, delay ring,
    /// convolution or routed rows. A step whose rows fill a group past the ADC's exact range is not fused
    /// (<see cref="GroupsExact"/>): those macros read through their ADCs.
    /// </summary>
    internal bool CanFuse => _recordsCarrySpikes && _bias is null && _ring is null && _node.Conv is null && _routes is null
        && _recorded.Length == 1 && _rows.Length <= 1 << 16 && Array.TrueForAll(_recorded[0].Values, v => Math.Abs(v - 1) <= UnitTolerance);

    /// <summary>
    /// True when no row block of this plane (<paramref name="hit"/> blocks in <c>_blocksHit</c>, their rows in <c>_rows</c>)
    /// has more rows in one group than the ADC adds exactly, so every read comes from the records (as <see cref="ReadRecordedRows"/> decides).
    /// </summary>
    private bool GroupsExact(int hit, OneRowReads reads)
    {
        var (exact, perGroup) = (reads.ExactRowsPerGroup, reads.RowsPerGroup);
        for (var h = 0; h < hit; h++)
        {
            var (first, end) = (_blockRows[h], _blockRows[h + 1]);
            if (end - first <= exact) continue;
            var rowStart = _byRowBlock[_blocksHit[h]][0].RowStart;
            int run = 0, previous = -1;
            for (var i = first; i < end; i++)
            {
                var g = (_rows[i] - rowStart) / perGroup;
                if (g != previous) { run = 0; previous = g; }
                if (++run > exact) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// From now on a step of spikes adds each event's weight into <paramref name="sink"/> (output o &lt; N into ge[o], others
    /// into gi[o - N]) instead of writing the output; the caller makes sure the sink's population is this crossbar's only
    /// reader and takes this step's input after it (<see cref="Fused"/> says which steps did).
    /// </summary>
    internal void FuseInto(CubaEventSink sink)
    {
        if (!CanFuse) throw new InvalidOperationException($"node '{_node.Name}': its reads do not only count events");
        if (_written.Length != 2 * sink.N) throw new InvalidOperationException($"node '{_node.Name}': {_written.Length} outputs for {sink.N} neurons");
        _sink = sink;
    }

    /// <summary>Tests: whether <see cref="FuseInto"/> was called (the steps may still not all be fused).</summary>
    internal bool FusesEvents => _sink is not null;

    /// <summary>Tests: back to writing the output (before a run), for a reference run of the same chip.</summary>
    internal void Unfuse() => _sink = null;

    /// <summary>
    /// True when the last step added its events into the population (<see cref="FuseInto"/>): the output holds zeros, and
    /// each output listed in <see cref="Written"/> received at least one event.
    /// </summary>
    public bool Fused { get; private set; }

    /// <summary><see cref="ReadRecorded"/>, each event's weight added into the sink (every value is 1, the scale 1).</summary>
    private void ReadRecordedFused(OneRowReads reads, int at, int spikeTile)
    {
        var data = reads.Data;
        var entries = OneRowReads.Entries(data, at);
        var (pending, counterOf) = (reads.PendingOneRow, reads.CounterOf);
        var (readUnits, loadUnits) = OneRowReads.Units(data, at);
        reads.PendingReadUnits += readUnits;
        reads.PendingLoadUnits += loadUnits;
        Additions += OneRowReads.Additions(data, at);
        var entry = OneRowReads.FirstEntry(at);
        var (marks, written, count) = (_writtenMarks, _written, _writtenCount);
        var sink = _sink!;
        var (ge, gi, n, we, wi) = (sink.Ge, sink.Gi, sink.N, sink.WeightE, sink.WeightI);
        for (var x = 0; x < entries; x++)
        {
            var (slot, from, cellCount) = OneRowReads.Entry(data, entry);
            var cells = data.AsSpan(OneRowReads.CellsOf(entry), cellCount);
            entry = OneRowReads.CellsOf(entry) + cellCount;
            var m = Hit(_macros[slot]);
            m.Reads++;
            if (spikeTile >= 0) m.SpikesFrom[m.SourceIndex(spikeTile)]++;
            pending[counterOf[slot]]++;
            var valuesTo = m.ValuesTo;
            if (valuesTo.Length == 1)
            {
                valuesTo[0] += cellCount;
                foreach (var cell in cells)
                {
                    var o = from + OneRowReads.Column(cell);
                    if (o < n) ge[o] += we;
                    else gi[o - n] += wi;
                    Mark(marks, written, ref count, o);
                }
                continue;
            }
            var targetOf = m.TargetOfColumns(_node.OutputTile);
            foreach (var cell in cells)
            {
                var j = OneRowReads.Column(cell);
                var o = from + j;
                if (o < n) ge[o] += we;
                else gi[o - n] += wi;
                valuesTo[targetOf[j]]++;
                Mark(marks, written, ref count, o);
            }
        }
        _writtenCount = count;
    }

    /// <summary>
    /// <see cref="AddColumns"/> into the sink: column j's value is its events (a sum of values within UnitTolerance of 1, rounded), each one addition of
    /// the weight, as <c>CubaCore</c>'s AddEvents makes of a count.
    /// </summary>
    private void AddColumnsFused(MacroRuntime m, ReadOnlySpan<int> touched, Span<double> columns, int from)
    {
        var valuesTo = m.ValuesTo;
        var (marks, written, count) = (_writtenMarks, _written, _writtenCount);
        var sink = _sink!;
        var (ge, gi, n, we, wi) = (sink.Ge, sink.Gi, sink.N, sink.WeightE, sink.WeightI);
        ReadOnlySpan<int> targetOf = valuesTo.Length == 1 ? default : m.TargetOfColumns(_node.OutputTile);
        if (valuesTo.Length == 1) valuesTo[0] += touched.Length;
        foreach (var j in touched)
        {
            var o = from + j;
            var events = (int)Math.Round(columns[j]);
            columns[j] = 0;
            ref var g = ref o < n ? ref ge[o] : ref gi[o - n];
            var w = o < n ? we : wi;
            for (; events > 0; events--) g += w;
            if (!targetOf.IsEmpty) valuesTo[targetOf[j]]++;
            Mark(marks, written, ref count, o);
        }
        _writtenCount = count;
    }
}
