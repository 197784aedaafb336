using System.Runtime.CompilerServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Where a crossbar's one-row reads put their recorded values, cell by cell: the node's output (<see cref="OutputSink"/>),
/// or an ideal CUBA population's conductances (<see cref="CubaSink"/>). The recorded reads' loops of
/// <see cref="CrossbarRuntime"/> (<c>ReadRecorded</c>, <c>RecordedCells</c>) are generic over it, so both ways share one
/// bookkeeping (counts, written marks, values per tile) and the JIT compiles each loop once per sink with the sink's code
/// inlined. Converted columns go to the output only (<see cref="OutputSink.Column"/>); a fused read of several rows counts
/// each column's events itself (<c>CrossbarRuntime.CountRows</c>, <see cref="CubaSink.Events"/>).
/// </summary>
internal interface IReadSink
{
    /// <summary>A one-row read's recorded cell (its value at <see cref="OneRowReads.ValueIndex"/> in the records' values) reaching output <paramref name="o"/>.</summary>
    void Recorded(int o, int cell);
}

/// <summary>Adds each value, times the block's scale, to the node's output: recorded cells and converted columns.</summary>
internal readonly ref struct OutputSink(Span<double> output, double[] values, double scale) : IReadSink
{
    private readonly Span<double> _output = output;
    private readonly double[] _values = values;
    private readonly double _scale = scale;

    /// <summary>A sink for converted columns only (<see cref="Column"/>): no recorded values.</summary>
    public OutputSink(Span<double> output, double scale) : this(output, [], scale) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Recorded(int o, int cell) => _output[o] += _values[OneRowReads.ValueIndex(cell)] * _scale;

    /// <summary>A converted column's value (before the block's scale) reaching output <paramref name="o"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Column(int o, double value) => _output[o] += value * _scale;
}

/// <summary>
/// Adds each event's weight into the population's ge (outputs below N) or gi (the others): every recorded value is one
/// event (<see cref="CrossbarRuntime.CanFuse"/>), and a fused read of several rows hands over each column's count of events
/// (<see cref="Events"/>); each event is the one addition of the weight the population would have made.
/// </summary>
internal readonly ref struct CubaSink(CubaEventSink sink) : IReadSink
{
    private readonly float[] _ge = sink.Ge, _gi = sink.Gi;
    private readonly int _n = sink.N;
    private readonly float _we = sink.WeightE, _wi = sink.WeightI;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Recorded(int o, int cell)
    {
        if (o < _n) _ge[o] += _we;
        else _gi[o - _n] += _wi;
    }

    /// <summary>Adds <paramref name="events"/> events' weight to output <paramref name="o"/>'s conductance, one addition each.</summary>
    // Inlined into AddEvents' loop (the JIT would leave it a call: its loop makes it too large to inline on its own).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Events(int o, int events)
    {
        ref var g = ref o < _n ? ref _ge[o] : ref _gi[o - _n];
        var w = o < _n ? _we : _wi;
        for (; events > 0; events--) g += w;
    }
}
