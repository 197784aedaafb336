using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Neurons;

/// <summary>How a leak-free integrator (NIR <c>I</c>, <c>IF</c>) turns <c>dv/dt = r I</c> into a step.</summary>
public enum IntegratorTimeBase
{
    /// <summary><c>v += r I</c> each timestep: the discrete integrate-and-fire of Sinabs, SpikingJelly and snnTorch, whose NIR exports carry r = 1 (default).</summary>
    PerTimestep,

    /// <summary><c>v += dt r I</c>: forward Euler of the continuous equation with I in units per second.</summary>
    ContinuousEuler,
}

/// <summary>
/// NIR integrator <c>I</c> (<c>dv/dt = r I</c>, output v) and integrate-and-fire <c>IF</c>
/// (spike when <c>v &gt; v_threshold</c>, then <c>v = v_reset</c>).
/// </summary>
public sealed record IntegratorModel : NeuronModel
{
    /// <summary>Creates a population; a null threshold gives the non-spiking integrator I.</summary>
    public IntegratorModel(double[] r, double[]? vThreshold, double[]? vReset = null,
        IntegratorTimeBase timeBase = IntegratorTimeBase.PerTimestep)
    {
        R = r; VThreshold = vThreshold; TimeBase = timeBase;
        VReset = vThreshold is null ? null : vReset ?? new double[r.Length];
        Validate();
    }

    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Threshold; null for the integrator I.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for I).</summary>
    public double[]? VReset { get; }
    /// <summary>Discretisation of the integral.</summary>
    public IntegratorTimeBase TimeBase { get; }

    /// <inheritdoc />
    public override int Size => R.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "I" : "IF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters =>
        VThreshold is null ? [("r", R)] : [("r", R), ("v_threshold", VThreshold), ("v_reset", VReset!)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this, dt);

    private sealed class Dynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _gain, _v;
        private readonly NirFiring<T> _firing;

        public Dynamics(IntegratorModel m, double dt)
        {
            var scale = m.TimeBase == IntegratorTimeBase.PerTimestep ? 1.0 : dt;
            _gain = Coefficients.Map<T>(m.R, r => r * scale);
            _firing = new NirFiring<T>(m.VThreshold, m.VReset);
            _v = new T[m.Size];
        }

        public int Size => _v.Length;
        public bool Spiking => _firing.Spiking;
        public ReadOnlySpan<T> Membrane => _v;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);
        public void Reset() => Array.Clear(_v);

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            TensorPrimitives.MultiplyAdd(input, _gain, _v, _v);
            _firing.Apply(_v, output);
        }
    }
}
