using System.Numerics;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// <c>y = W x</c> with W sparse, delivered per presynaptic spike along its fan-out (CSR of the
/// transpose). With synaptic delays, contributions land in a ring of future timesteps.
/// </summary>
internal sealed class SparseOperator<T> : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _start, _target;
    private readonly T[] _weight;
    private readonly int[]? _delay;
    private readonly T[]? _ring; // [(maxDelay + 1) x out]
    private readonly int _outputs, _slots;
    private int _now;

    public SparseOperator(SparseNode node)
    {
        // Transpose with delays carried along: rows of the transpose are inputs.
        var w = node.Weights;
        _outputs = w.Rows;
        var fanOut = new int[w.Columns + 1];
        foreach (var c in w.ColumnIndices) fanOut[c + 1]++;
        for (var c = 0; c < w.Columns; c++) fanOut[c + 1] += fanOut[c];
        var next = (int[])fanOut.Clone();
        _target = new int[w.NonZeros];
        _weight = new T[w.NonZeros];
        if (node.DelaySteps is not null) _delay = new int[w.NonZeros];
        for (var r = 0; r < w.Rows; r++)
            for (var k = w.RowPointers[r]; k < w.RowPointers[r + 1]; k++)
            {
                var pos = next[w.ColumnIndices[k]]++;
                _target[pos] = r;
                _weight[pos] = T.CreateChecked(w.Values[k]);
                if (_delay is not null) _delay[pos] = node.DelaySteps![k];
            }
        _start = fanOut;
        if (_delay is not null && _delay.Length > 0 && _delay.Max() > 0)
        {
            _slots = _delay.Max() + 1;
            _ring = new T[_slots * _outputs];
        }
        else _delay = null;
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        if (_ring is null)
        {
            output.Clear();
            for (var j = 0; j < input.Length; j++)
            {
                var x = input[j];
                if (x == T.Zero) continue;
                for (var k = _start[j]; k < _start[j + 1]; k++) output[_target[k]] += _weight[k] * x;
            }
            return;
        }
        for (var j = 0; j < input.Length; j++)
        {
            var x = input[j];
            if (x == T.Zero) continue;
            for (var k = _start[j]; k < _start[j + 1]; k++)
            {
                var slot = (_now + _delay![k]) % _slots;
                _ring[slot * _outputs + _target[k]] += _weight[k] * x;
            }
        }
        var current = _ring.AsSpan(_now * _outputs, _outputs);
        current.CopyTo(output);
        current.Clear();
        _now = (_now + 1) % _slots;
    }

    public bool Stateless => _ring is null;
    public void Reset()
    {
        if (_ring is not null) Array.Clear(_ring);
        _now = 0;
    }
}
