using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// SpikingJelly's (multi-step) LIFNode: with <c>decay_input</c>,
/// <c>H = V + (X - (V - V_reset)) / tau</c>, otherwise <c>H = V - (V - V_reset) / tau + X</c>;
/// spike when <c>H &gt;= V_th</c>; hard reset <c>V = V_reset</c>, or soft reset
/// <c>V = H - V_th</c> when <see cref="VReset"/> is null (SpikingJelly's <c>v_reset=None</c>,
/// which also leaks towards 0). The spike-driven transformers use tau 2, V_th 1 (0.5 for
/// attention), hard reset to 0.
/// </summary>
public sealed record SpikingJellyLifModel : NeuronModel
{
    /// <summary>Creates a population of <paramref name="size"/> identical neurons.</summary>
    public SpikingJellyLifModel(int size, double tau = 2.0, double vThreshold = 1.0, double? vReset = 0.0, bool decayInput = true)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size));
        if (!(tau >= 1)) throw new ArgumentException($"spikingjelly.LIF: tau must be >= 1 (a decay of 1/tau per step), found {tau}");
        _size = size; Tau = tau; VThreshold = vThreshold; VReset = vReset; DecayInput = decayInput;
    }

    private readonly int _size;
    /// <summary>Membrane time constant in timesteps.</summary>
    public double Tau { get; }
    /// <summary>Threshold (spike when H &gt;= V_th).</summary>
    public double VThreshold { get; }
    /// <summary>Reset potential; null = soft reset by subtraction.</summary>
    public double? VReset { get; }
    /// <summary>Whether the input is divided by tau.</summary>
    public bool DecayInput { get; }

    /// <inheritdoc />
    public override int Size => _size;
    /// <inheritdoc />
    public override string Kind => "spikingjelly.LIF";
    /// <inheritdoc />
    public override bool Spiking => true;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters =>
        [("tau", Fill(_size, Tau)), ("v_threshold", Fill(_size, VThreshold)), ("v_reset", Fill(_size, VReset ?? double.NaN))];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this);

    private sealed class Dynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _decay, _rest, _gain;
        private readonly T[] _threshold, _reset, _v, _drive;
        private readonly bool _hard;

        public Dynamics(SpikingJellyLifModel m)
        {
            var rest = m.VReset ?? 0.0;
            _decay = T.CreateChecked(1 - 1 / m.Tau);
            _rest = T.CreateChecked(rest / m.Tau);
            _gain = T.CreateChecked(m.DecayInput ? 1 / m.Tau : 1.0);
            _hard = m.VReset is not null;
            _threshold = Enumerable.Repeat(T.CreateChecked(m.VThreshold), m.Size).ToArray();
            _reset = Enumerable.Repeat(T.CreateChecked(rest), m.Size).ToArray();
            _v = new T[m.Size];
            Array.Fill(_v, T.CreateChecked(rest));
            _drive = new T[m.Size];
        }

        public int Size => _v.Length;
        public bool Spiking => true;
        public ReadOnlySpan<T> Membrane => _v;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);
        public void Reset() => _reset.CopyTo(_v);

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            // H = V (1 - 1/tau) + V_reset/tau + g X
            TensorPrimitives.Multiply(input, _gain, _drive);
            TensorPrimitives.Add(_drive, _rest, _drive);
            TensorPrimitives.MultiplyAdd(_v, _decay, _drive, _v);
            if (_hard) SpikeKernels.FireHardReset<T>(_v, _threshold, _reset, output, inclusive: true);
            else SpikeKernels.FireSubtractReset<T>(_v, _threshold, output, inclusive: true);
        }
    }
}
