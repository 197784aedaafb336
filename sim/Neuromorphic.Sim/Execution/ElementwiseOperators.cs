using System.Numerics;
using System.Numerics.Tensors;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Execution;

/// <summary>Element-wise scaling.</summary>
internal sealed class ScaleOperator<T>(float[] scale) : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _scale = scale.Select(T.CreateChecked).ToArray();
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => TensorPrimitives.Multiply(input, _scale, output);
    public bool Stateless => true;
    public void Reset() { }
}

/// <summary>Element-wise Heaviside step, <c>x &gt; threshold</c>.</summary>
internal sealed class ThresholdOperator<T>(float[] threshold) : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _threshold = threshold.Select(T.CreateChecked).ToArray();
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => SpikeKernels.Fire<T>(input, _threshold, output, inclusive: false);
    public bool Stateless => true;
    public void Reset() { }
}

/// <summary>Per-element delay line of whole timesteps (a ring of past inputs).</summary>
internal sealed class DelayOperator<T> : IOperator<T> where T : unmanaged
{
    private readonly int[] _steps;
    private readonly T[] _ring; // [(max + 1) x n]
    private readonly int _slots, _n;
    private int _now;

    public DelayOperator(double[] delaySeconds, double dt)
    {
        _steps = delaySeconds.Select(d => checked((int)Math.Round(d / dt))).ToArray();
        if (_steps.Any(s => s < 0)) throw new ArgumentException("negative delay");
        _n = _steps.Length;
        _slots = (_steps.Length == 0 ? 0 : _steps.Max()) + 1;
        _ring = new T[_slots * _n];
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        for (var i = 0; i < _n; i++) _ring[(_now + _steps[i]) % _slots * _n + i] = input[i];
        var current = _ring.AsSpan(_now * _n, _n);
        current.CopyTo(output);
        current.Clear();
        _now = (_now + 1) % _slots;
    }

    public bool Stateless => false;
    public void Reset() { Array.Clear(_ring); _now = 0; }
}
