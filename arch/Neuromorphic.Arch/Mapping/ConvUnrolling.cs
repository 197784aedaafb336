using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// A convolution unrolled onto crossbars: the im2col matrix has one row per (input channel, kernel
/// row, kernel column) and one column per output channel, so one macro read computes every output
/// channel of one output position. <see cref="Gather"/> turns this step's input into the work of
/// the macros: for each output position with an active input in its receptive field, the active
/// rows (ascending) and their values. A 1-D convolution is a 2-D one of height 1.
/// </summary>
public sealed class ConvUnrolling
{
    private readonly int _cin, _ih, _iw, _oh, _ow, _kh, _kw, _sh, _sw, _ph, _pw, _dh, _dw;
    private readonly int[] _count, _start, _fill;
    private int[] _rows = [], _positions = [];
    private double[] _values = [];

    /// <summary>The geometry of <paramref name="conv"/>.</summary>
    public ConvUnrolling(ConvNode conv)
    {
        var two = conv.Dimensions == 2;
        _cin = conv.InputChannels;
        (_ih, _iw) = (two ? conv.InputSpatial[0] : 1, conv.InputSpatial[^1]);
        (_oh, _ow) = (two ? conv.OutputSpatial[0] : 1, conv.OutputSpatial[^1]);
        (_kh, _kw) = (two ? conv.WeightShape[2] : 1, conv.WeightShape[^1]);
        (_sh, _sw) = (two ? conv.Stride[0] : 1, conv.Stride[^1]);
        (_ph, _pw) = (two ? conv.Padding[0] : 0, conv.Padding[^1]);
        (_dh, _dw) = (two ? conv.Dilation[0] : 1, conv.Dilation[^1]);
        OutputChannels = conv.OutputChannels;
        Groups = conv.Groups;
        _count = new int[Positions];
        _start = new int[Positions + 1];
        _fill = new int[Positions];
    }

    /// <summary>Output positions (oh x ow).</summary>
    public int Positions => _oh * _ow;

    /// <summary>Rows of the unrolled matrix: input channels x kernel size.</summary>
    public int Rows => _cin * _kh * _kw;

    /// <summary>Output channels (columns of the unrolled matrix).</summary>
    public int OutputChannels { get; }

    /// <summary>Groups (the unrolled matrix is block-diagonal over them).</summary>
    public int Groups { get; }

    /// <summary>Output positions with at least one active row after the last <see cref="Gather"/>, ascending.</summary>
    public ReadOnlySpan<int> ActivePositions => _positions.AsSpan(0, ActivePositionCount);

    /// <summary>How many positions are active.</summary>
    public int ActivePositionCount { get; private set; }

    /// <summary>Active rows (ascending) of output position <paramref name="position"/>.</summary>
    public ReadOnlySpan<int> RowsOf(int position) => _rows.AsSpan(_start[position], _start[position + 1] - _start[position]);

    /// <summary>Input values of the rows of <see cref="RowsOf"/>, aligned.</summary>
    public ReadOnlySpan<double> ValuesOf(int position) => _values.AsSpan(_start[position], _start[position + 1] - _start[position]);

    /// <summary>
    /// Distributes the non-zero inputs ([C_in, H, W], C order) over the output positions whose
    /// receptive field they fall in. Allocates only when the activity exceeds every earlier step's.
    /// </summary>
    public void Gather(ReadOnlySpan<double> input)
    {
        Array.Clear(_count);
        long total = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                _start[0] = 0;
                for (var p = 0; p < Positions; p++) _start[p + 1] = _start[p] + _count[p];
                if (_rows.Length < total) { _rows = new int[total]; _values = new double[total]; }
                Array.Copy(_start, _fill, Positions);
            }
            for (var ci = 0; ci < _cin; ci++)
                for (var iy = 0; iy < _ih; iy++)
                    for (var ix = 0; ix < _iw; ix++)
                    {
                        var x = input[(ci * _ih + iy) * _iw + ix];
                        if (x == 0) continue;
                        for (var ky = 0; ky < _kh; ky++)
                        {
                            var ny = iy + _ph - ky * _dh;
                            if (ny < 0 || ny % _sh != 0 || ny / _sh >= _oh) continue;
                            for (var kx = 0; kx < _kw; kx++)
                            {
                                var nx = ix + _pw - kx * _dw;
                                if (nx < 0 || nx % _sw != 0 || nx / _sw >= _ow) continue;
                                var position = ny / _sh * _ow + nx / _sw;
                                if (pass == 0) { _count[position]++; total++; continue; }
                                var at = _fill[position]++;
                                _rows[at] = (ci * _kh + ky) * _kw + kx;
                                _values[at] = x;
                            }
                        }
                    }
        }
        if (_positions.Length < Positions) _positions = new int[Positions];
        ActivePositionCount = 0;
        for (var p = 0; p < Positions; p++)
        {
            if (_count[p] == 0) continue;
            _positions[ActivePositionCount++] = p;
            SortRows(_start[p], _start[p + 1]);
        }
    }

    /// <summary>Insertion sort of one position's rows (a receptive field is small), values alongside.</summary>
    private void SortRows(int from, int to)
    {
        for (var i = from + 1; i < to; i++)
        {
            var row = _rows[i];
            var value = _values[i];
            var j = i - 1;
            while (j >= from && _rows[j] > row)
            {
                _rows[j + 1] = _rows[j];
                _values[j + 1] = _values[j];
                j--;
            }
            _rows[j + 1] = row;
            _values[j + 1] = value;
        }
    }
}
