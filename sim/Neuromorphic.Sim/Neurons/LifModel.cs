using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// NIR leaky integrate-and-fire: <c>tau dv/dt = (v_leak - v) + r I</c>; spike when
/// <c>v &gt; v_threshold</c> (strict), then <c>v = v_reset</c>. Forward Euler at the run's dt with
/// the input of step t entering at step t, which reproduces Norse and snnTorch exports.
/// Without a threshold (<see cref="VThreshold"/> null) this is NIR's LI, a non-spiking leaky
/// integrator whose output is its membrane potential.
/// </summary>
public sealed record LifModel : NeuronModel
{
    /// <summary>Creates a population; every array has one entry per neuron.</summary>
    public LifModel(double[] tau, double[] r, double[] vLeak, double[]? vThreshold, double[]? vReset = null)
    {
        Tau = tau; R = r; VLeak = vLeak; VThreshold = vThreshold;
        VReset = vThreshold is null ? null : vReset ?? new double[tau.Length];
        Validate();
        RequirePositive(Kind, "tau", Tau);
    }

    /// <summary>Membrane time constant (s).</summary>
    public double[] Tau { get; }
    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Leak (resting) potential.</summary>
    public double[] VLeak { get; }
    /// <summary>Firing threshold; null for the non-spiking LI.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for LI).</summary>
    public double[]? VReset { get; }

    /// <inheritdoc />
    public override int Size => Tau.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "LI" : "LIF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters =>
        VThreshold is null
            ? [("tau", Tau), ("r", R), ("v_leak", VLeak)]
            : [("tau", Tau), ("r", R), ("v_leak", VLeak), ("v_threshold", VThreshold), ("v_reset", VReset!)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this, dt);

    private sealed class Dynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _decay, _leak, _gain, _v, _drive;
        private readonly NirFiring<T> _firing;

        public Dynamics(LifModel m, double dt)
        {
            // v' = v + dt/tau (v_leak - v + r I) = v (1 - dt/tau) + dt/tau v_leak + dt/tau r I
            _decay = Coefficients.Map<T>(m.Tau, tau => 1 - dt / tau);
            _leak = Coefficients.Map<T>(m.Tau, m.VLeak, (tau, vl) => dt / tau * vl);
            _gain = Coefficients.Map<T>(m.Tau, m.R, (tau, r) => dt / tau * r);
            _firing = new NirFiring<T>(m.VThreshold, m.VReset);
            _v = new T[m.Size];
            _drive = new T[m.Size];
        }

        public int Size => _v.Length;
        public bool Spiking => _firing.Spiking;
        public ReadOnlySpan<T> Membrane => _v;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);
        public void Reset() => Array.Clear(_v);

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            TensorPrimitives.MultiplyAdd(input, _gain, _leak, _drive);
            TensorPrimitives.MultiplyAdd(_v, _decay, _drive, _v);
            _firing.Apply(_v, output);
        }
    }
}
