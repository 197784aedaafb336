namespace Neuromorphic.Arch.Execution;

// A crossbar that adds its events straight into an ideal CUBA population's conductances (CubaEventSink): its reads of a
// step of spikes only count events (every recorded value is 1), which the population would turn back into additions of
// the weight; adding the weight as each event is read skips the output's writes, its clearing and the population's pass
// over it. The written outputs are still listed (Written: the counts of active outputs and the population's input list).
// The one-row reads are the unfused ones (CrossbarRuntime.ReadRecorded, RecordedCells) with a CubaSink in place of the
// OutputSink (ReadSinks.cs); the reads of several rows count each column's events as an integer (CountRows, AddEvents).
internal sealed partial class CrossbarRuntime
{
    private CubaEventSink? _sink;
    // True while a step adds into _sink (set by Step for its reads).
    private bool _fusing;

    // A recorded value within this of 1 is one event: up to 65,536 such values (at most one per word line) sum to within
    // 1e-9 per event of their count, which CubaCore's AddEvents rounds the unfused output to; so the fused reads count
    // them as integers (CountRows) and add the same events.
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
}
