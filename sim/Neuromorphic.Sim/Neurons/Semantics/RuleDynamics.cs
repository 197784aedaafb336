using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// Runs a <see cref="NeuronUpdateRule"/>: every NIR neuron model (LIF, LI, CubaLIF, CubaLI, IF, I)
/// under every semantics. Vectorised with TensorPrimitives; snnTorch's subtract rule, which needs
/// the previous step's flag per neuron, runs as a scalar loop. Nothing is allocated per step.
/// </summary>
internal sealed class RuleDynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _synDecay, _synGain, _synLeak, _current;
    private readonly T[] _memDecay, _memGain, _memLeak, _v, _drive;
    private readonly T[]? _threshold, _reset;
    private readonly ResetRule _rule;
    private readonly bool _integrator; // decay 1, no leak, one state: v += g x in one pass (IF / I)

    public RuleDynamics(NeuronUpdateRule rule)
    {
        static T[] Map(double[] values) => Coefficients.Map<T>(values, x => x);
        if (rule.HasSynapse)
        {
            _synDecay = Map(rule.SynapseDecay!);
            _synGain = Map(rule.SynapseGain!);
            _synLeak = Map(rule.SynapseLeak!);
            _current = new T[rule.Size];
        }
        _memDecay = Map(rule.MembraneDecay);
        _memGain = Map(rule.MembraneGain);
        _memLeak = Map(rule.MembraneLeak);
        if (rule.Spiking)
        {
            _threshold = Map(rule.Threshold!);
            _reset = Map(rule.ResetValue!);
        }
        _rule = rule.Reset;
        _integrator = !rule.HasSynapse && rule.MembraneDecay.All(a => a == 1) && rule.MembraneLeak.All(c => c == 0);
        _v = new T[rule.Size];
        _drive = new T[rule.Size];
    }

    public int Size => _v.Length;
    public bool Spiking => _threshold is not null;
    public ReadOnlySpan<T> Membrane => _v;

    /// <summary>The synaptic current after this step (empty for one-state models).</summary>
    public ReadOnlySpan<T> Current => _current;

    public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);

    public void Reset()
    {
        Array.Clear(_v);
        if (_current is not null) Array.Clear(_current);
    }

    public void Step(ReadOnlySpan<T> input, Span<T> output)
    {
        ReadOnlySpan<T> into = input;
        if (_current is not null)
        {
            // I = a_s I + (g_s x + c_s): the membrane then sees the new current (all three frameworks agree).
            TensorPrimitives.MultiplyAdd(input, _synGain!, _synLeak!, _drive);
            TensorPrimitives.MultiplyAdd(_current, _synDecay!, _drive, _current);
            into = _current;
        }
        if (_integrator && _rule != ResetRule.SnnTorchSubtract)
        {
            // Exactly v * 1 + (g x + 0), in one pass.
            TensorPrimitives.MultiplyAdd(into, _memGain, _v, _v);
            Fire(output);
            return;
        }
        TensorPrimitives.MultiplyAdd(into, _memGain, _memLeak, _drive);
        if (_rule == ResetRule.SnnTorchSubtract && _threshold is not null)
        {
            SnnTorchSubtract(output);
            return;
        }
        TensorPrimitives.MultiplyAdd(_v, _memDecay, _drive, _v);
        Fire(output);
    }

    /// <summary>Output and reset from the updated membrane.</summary>
    private void Fire(Span<T> output)
    {
        if (_threshold is null)
        {
            _v.CopyTo(output);
            return;
        }
        switch (_rule)
        {
            case ResetRule.Subtract:
                SpikeKernels.FireSubtractReset<T>(_v, _threshold, output, inclusive: false);
                break;
            default:
                SpikeKernels.FireHardReset<T>(_v, _threshold, _reset!, output, inclusive: false);
                break;
        }
    }

    private void SnnTorchSubtract(Span<T> output)
    {
        var th = _threshold!;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The scalar loop below, lane by lane (same operations, so the same rounding).
            for (; i <= _v.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var previous = new Vector<T>(_v, i);
                var t = new Vector<T>(th, i);
                var flag = Vector.ConditionalSelect(Vector.GreaterThan(previous, t), Vector<T>.One, Vector<T>.Zero);
                var v = previous * new Vector<T>(_memDecay, i) + new Vector<T>(_drive, i) - flag * t;
                var spike = Vector.ConditionalSelect(Vector.GreaterThan(v, t), Vector<T>.One, Vector<T>.Zero);
                (v - (spike - flag) * t).CopyTo(_v, i);
                spike.CopyTo(output[i..]);
            }
        }
        for (; i < _v.Length; i++)
        {
            var flag = _v[i] > th[i] ? T.One : T.Zero;
            var v = _v[i] * _memDecay[i] + _drive[i] - flag * th[i];
            var spike = v > th[i] ? T.One : T.Zero;
            _v[i] = v - (spike - flag) * th[i];
            output[i] = spike;
        }
    }
}
