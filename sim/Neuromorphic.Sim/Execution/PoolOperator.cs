using System.Numerics;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Execution;

/// <summary>2-D sum or average pooling over [C, H, W] (average counts padding, as PyTorch by default).</summary>
internal sealed class PoolOperator<T> : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _c, _ih, _iw, _oh, _ow;
    private readonly PoolNode _node;
    private readonly T _scale;

    public PoolOperator(PoolNode node)
    {
        _node = node;
        var input = node.InputShape!;
        var output = node.OutputShape!;
        (_c, _ih, _iw) = (input[0], input[1], input[2]);
        (_oh, _ow) = (output[1], output[2]);
        _scale = node.Kind == PoolKind.Sum ? T.One : T.One / T.CreateChecked(node.Kernel[0] * node.Kernel[1]);
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        int kh = _node.Kernel[0], kw = _node.Kernel[1], sh = _node.Stride[0], sw = _node.Stride[1];
        int ph = _node.Padding[0], pw = _node.Padding[1];
        for (var c = 0; c < _c; c++)
            for (var oy = 0; oy < _oh; oy++)
                for (var ox = 0; ox < _ow; ox++)
                {
                    var sum = T.Zero;
                    for (var ky = 0; ky < kh; ky++)
                    {
                        var iy = oy * sh - ph + ky;
                        if (iy < 0 || iy >= _ih) continue;
                        for (var kx = 0; kx < kw; kx++)
                        {
                            var ix = ox * sw - pw + kx;
                            if (ix < 0 || ix >= _iw) continue;
                            sum += input[(c * _ih + iy) * _iw + ix];
                        }
                    }
                    output[(c * _oh + oy) * _ow + ox] = sum * _scale;
                }
    }

    public bool Stateless => true;
    public void Reset() { }
}
