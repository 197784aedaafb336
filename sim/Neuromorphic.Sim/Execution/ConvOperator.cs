using System.Numerics;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// Convolution computed by scattering each non-zero input element into the outputs it reaches,
/// so binary, sparse inputs cost in proportion to their spikes. 1-D convolutions run with height 1.
/// </summary>
internal sealed class ConvOperator<T> : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weight;
    private readonly T[]? _bias;
    private readonly int _cin, _ih, _iw, _cout, _oh, _ow, _kh, _kw, _sh, _sw, _ph, _pw, _dh, _dw, _groups;

    public ConvNode Node { get; }

    public ConvOperator(ConvNode node)
    {
        Node = node;
        var two = node.Dimensions == 2;
        _cin = node.InputChannels; _cout = node.OutputChannels; _groups = node.Groups;
        _ih = two ? node.InputSpatial[0] : 1; _iw = node.InputSpatial[^1];
        _oh = two ? node.OutputSpatial[0] : 1; _ow = node.OutputSpatial[^1];
        _kh = two ? node.WeightShape[2] : 1; _kw = node.WeightShape[^1];
        _sh = two ? node.Stride[0] : 1; _sw = node.Stride[^1];
        _ph = two ? node.Padding[0] : 0; _pw = node.Padding[^1];
        _dh = two ? node.Dilation[0] : 1; _dw = node.Dilation[^1];
        _weight = node.Weight.Select(T.CreateChecked).ToArray();
        _bias = node.Bias?.Select(T.CreateChecked).ToArray();
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        var plane = _oh * _ow;
        if (_bias is null) output.Clear();
        else for (var co = 0; co < _cout; co++) output.Slice(co * plane, plane).Fill(_bias[co]);
        var cinPerGroup = _cin / _groups;
        var coutPerGroup = _cout / _groups;
        for (var ci = 0; ci < _cin; ci++)
        {
            var g = ci / cinPerGroup;
            var ciLocal = ci - g * cinPerGroup;
            for (var iy = 0; iy < _ih; iy++)
                for (var ix = 0; ix < _iw; ix++)
                {
                    var x = input[(ci * _ih + iy) * _iw + ix];
                    if (x == T.Zero) continue;
                    Scatter(x, ciLocal, cinPerGroup, g * coutPerGroup, coutPerGroup, iy, ix, output);
                }
        }
    }

    private void Scatter(T x, int ciLocal, int cinPerGroup, int coFirst, int coCount, int iy, int ix, Span<T> output)
    {
        for (var ky = 0; ky < _kh; ky++)
        {
            var ny = iy + _ph - ky * _dh;
            if (ny < 0 || ny % _sh != 0) continue;
            var oy = ny / _sh;
            if (oy >= _oh) continue;
            for (var kx = 0; kx < _kw; kx++)
            {
                var nx = ix + _pw - kx * _dw;
                if (nx < 0 || nx % _sw != 0) continue;
                var ox = nx / _sw;
                if (ox >= _ow) continue;
                var outIndex = oy * _ow + ox;
                for (var co = coFirst; co < coFirst + coCount; co++)
                    output[co * _oh * _ow + outIndex] += x * _weight[((co * cinPerGroup + ciLocal) * _kh + ky) * _kw + kx];
            }
        }
    }

    public bool Stateless => true;
    public void Reset() { }
}
