using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Pooling, scaling, thresholds and delay lines as the neuron core's adders compute them, with the
/// functional executor's semantics. Each returns the element operations it performed (one
/// accumulate per non-zero input reaching an output), which set its core batch and its count.
/// </summary>
internal sealed class DigitalRuntime
{
    private readonly Node _node;
    private readonly int[] _delaySteps = [];
    private readonly double[][] _ring = [];
    private int _now;

    public DigitalRuntime(Node node, double dt)
    {
        _node = node;
        if (node is DelayNode d)
        {
            _delaySteps = d.DelaySeconds.Select(x => checked((int)Math.Round(x / dt))).ToArray();
            var slots = (_delaySteps.Length == 0 ? 0 : _delaySteps.Max()) + 1;
            _ring = Enumerable.Range(0, slots).Select(_ => new double[_delaySteps.Length]).ToArray();
        }
    }

    public void Reset()
    {
        foreach (var r in _ring) Array.Clear(r);
        _now = 0;
    }

    public long Forward(ReadOnlySpan<double> input, Span<double> output)
    {
        switch (_node)
        {
            case PoolNode p: return Pool(p, input, output);
            case ScaleNode s:
                long scaled = 0;
                for (var k = 0; k < output.Length; k++) { output[k] = input[k] * s.Scale[k]; if (input[k] != 0) scaled++; }
                return scaled;
            case ThresholdNode t:
                for (var k = 0; k < output.Length; k++) output[k] = input[k] > t.Threshold[k] ? 1 : 0;
                return output.Length;
            case DelayNode:
                long moved = 0;
                for (var k = 0; k < input.Length; k++)
                {
                    _ring[(_now + _delaySteps[k]) % _ring.Length][k] = input[k];
                    if (input[k] != 0) moved++;
                }
                _ring[_now].AsSpan().CopyTo(output);
                Array.Clear(_ring[_now]);
                _now = (_now + 1) % _ring.Length;
                return moved;
            default:
                input.CopyTo(output);
                return 0;
        }
    }

    private static long Pool(PoolNode p, ReadOnlySpan<double> input, Span<double> output)
    {
        var inShape = p.InputShape!;
        var outShape = p.OutputShape!;
        int c = inShape[0], ih = inShape[1], iw = inShape[2], oh = outShape[1], ow = outShape[2];
        int kh = p.Kernel[0], kw = p.Kernel[1], sh = p.Stride[0], sw = p.Stride[1], ph = p.Padding[0], pw = p.Padding[1];
        var scale = p.Kind == PoolKind.Sum ? 1.0 : 1.0 / (kh * kw);
        long adds = 0;
        for (var ch = 0; ch < c; ch++)
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    var sum = 0.0;
                    for (var ky = 0; ky < kh; ky++)
                    {
                        var iy = oy * sh - ph + ky;
                        if (iy < 0 || iy >= ih) continue;
                        for (var kx = 0; kx < kw; kx++)
                        {
                            var ix = ox * sw - pw + kx;
                            if (ix < 0 || ix >= iw) continue;
                            var x = input[(ch * ih + iy) * iw + ix];
                            if (x == 0) continue;
                            sum += x;
                            adds++;
                        }
                    }
                    output[(ch * oh + oy) * ow + ox] = sum * scale;
                }
        return adds;
    }
}
