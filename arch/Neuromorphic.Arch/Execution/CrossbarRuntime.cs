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
internal sealed class CrossbarRuntime
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

    public CrossbarRuntime(ChipNode node, MacroRuntime[] macros, int inputs, int maxColumns)
    {
        _node = node;
        _macros = macros;
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
        }
        var slots = _delay.Max() + 1;
        if (slots > 1) _ring = Enumerable.Range(0, slots).Select(_ => new double[Shape.Size(node.Node.OutputShape!)]).ToArray();
    }

    public IReadOnlyList<MacroRuntime> Macros => _macros;

    /// <summary>The input on each word line of a matrix whose unconnected inputs take none (<see cref="MappedMatrix.InputRows"/>).</summary>
    public static int[] WordLineInputs(int[] rowOf)
    {
        var lines = new int[rowOf.Count(r => r >= 0)];
        for (var e = 0; e < rowOf.Length; e++)
            if (rowOf[e] >= 0) lines[rowOf[e]] = e;
        return lines;
    }

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
    }

    /// <summary>Computes this step's output from <paramref name="input"/>; <paramref name="sourceTile"/> gives each input's tile.</summary>
    public void Step(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<int> sourceTile, DeterministicRandom? noise, bool costOnly)
    {
        if (_wordLineInput is { } lines)
        {
            // Inputs without a synapse have no word line: the matrix sees its word lines' inputs only.
            for (var r = 0; r < lines.Length; r++)
            {
                _lineValues[r] = input[lines[r]];
                _lineTiles[r] = sourceTile[lines[r]];
            }
            input = _lineValues;
            sourceTile = _lineTiles;
        }
        foreach (var m in _macros) m.ClearWork();
        Additions = 0;
        var planes = Planes(input);
        // Spikes travel to the macros holding their rows, once per macro and bit-serial plane set.
        for (var e = 0; e < input.Length; e++)
        {
            if (input[e] == 0) continue;
            var row = _node.Conv is null ? e : e / _inputPlane * _kernel;
            foreach (var m in _macros)
            {
                var t = m.Tile;
                var inBlock = _node.Conv is null ? row >= t.RowStart && row < t.RowStart + t.RowCount
                    : row < t.RowStart + t.RowCount && row + _kernel > t.RowStart;
                if (inBlock) m.SpikesFrom[m.TileToSource[sourceTile[e]]]++;
            }
        }
        if (_ring is null) output.Clear();
        for (var c = 0; c < _node.Matrices.Count; c++)
        {
            var target = _ring is null ? output : _ring[(_now + _delay[c]) % _ring.Length].AsSpan();
            if (_node.Conv is null) Dense(c, input, planes, target, noise, costOnly);
            else Conv(c, input, planes, target, noise, costOnly);
        }
        if (_ring is not null)
        {
            _ring[_now].AsSpan().CopyTo(output);
            Array.Clear(_ring[_now]);
            _now = (_now + 1) % _ring.Length;
        }
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

    /// <summary>Bit planes of the input (1 for spikes); throws unless every input is a non-negative integer.</summary>
    private int Planes(ReadOnlySpan<double> input)
    {
        var max = 0.0;
        for (var e = 0; e < input.Length; e++)
        {
            var x = input[e];
            if (x == 0) continue;
            if (x < 0 || x != Math.Floor(x) || x > int.MaxValue)
                throw new ChipExecutionException($"node '{_node.Name}': input {e} is {x}; a crossbar's word lines take spikes or spike counts (non-negative integers)");
            max = Math.Max(max, x);
        }
        return max <= 1 ? 1 : 32 - int.LeadingZeroCount((int)max);
    }

    private void Dense(int matrix, ReadOnlySpan<double> input, int planes, Span<double> output, DeterministicRandom? noise, bool costOnly)
    {
        for (var b = 0; b < planes; b++)
        {
            var count = 0;
            for (var e = 0; e < input.Length; e++)
                if (input[e] != 0 && (((long)input[e] >> b) & 1) != 0) _rows[count++] = e;
            if (count == 0) continue;
            var scale = (double)(1L << b);
            foreach (var m in _macros)
            {
                if (m.DelayClass != matrix) continue;
                var t = m.Tile;
                var next = 0;
                while (next < count && _rows[next] < t.RowStart) next++;
                var k = 0;
                for (var r = next; r < count && _rows[r] < t.RowStart + t.RowCount; r++) _planeRows[k++] = _rows[r] - t.RowStart;
                if (k == 0) continue;
                Execute(m, _planeRows.AsSpan(0, k), output, scale, position: -1, noise, costOnly);
            }
        }
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
        m.Reads += op.ActiveGroups;
        foreach (var j in m.Function.Touched)
        {
            var o = position < 0 ? t.ColumnStart + j : (t.ColumnStart + j) * _positions + position;
            output[o] += columns[j] * scale;
            columns[j] = 0;
            m.ValuesTo[m.TileToTarget[_node.OutputTile[o]]]++;
            if (t.RowStart > 0) Additions++;
        }
    }
}
