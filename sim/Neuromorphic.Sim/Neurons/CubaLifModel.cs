using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// NIR current-based LIF (CubaLIF): <c>tau_syn dI/dt = -I + w_in S</c>,
/// <c>tau_mem dv/dt = (v_leak - v) + r I</c>; spike when <c>v &gt; v_threshold</c>, then
/// <c>v = v_reset</c>. Forward Euler with the freshly updated current driving the membrane,
/// which is snnTorch's Synaptic order (so its exports run unchanged). Without a threshold
/// (<see cref="VThreshold"/> null) this is NIR's CubaLI, a non-spiking readout.
/// </summary>
public sealed record CubaLifModel : NeuronModel
{
    /// <summary>Creates a population; every array has one entry per neuron.</summary>
    public CubaLifModel(double[] tauMem, double[] tauSyn, double[] r, double[] vLeak, double[]? vThreshold,
        double[]? vReset = null, double[]? wIn = null)
    {
        TauMem = tauMem; TauSyn = tauSyn; R = r; VLeak = vLeak; VThreshold = vThreshold;
        VReset = vThreshold is null ? null : vReset ?? new double[tauMem.Length];
        WIn = wIn ?? Fill(tauMem.Length, 1.0);
        Validate();
        RequirePositive(Kind, "tau_mem", TauMem);
        RequirePositive(Kind, "tau_syn", TauSyn);
    }

    /// <summary>Membrane time constant (s).</summary>
    public double[] TauMem { get; }
    /// <summary>Synaptic current time constant (s).</summary>
    public double[] TauSyn { get; }
    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Leak potential.</summary>
    public double[] VLeak { get; }
    /// <summary>Firing threshold; null for the non-spiking CubaLI.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for CubaLI).</summary>
    public double[]? VReset { get; }
    /// <summary>Input weight into the synaptic current.</summary>
    public double[] WIn { get; }

    /// <inheritdoc />
    public override int Size => TauMem.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "CubaLI" : "CubaLIF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters
    {
        get
        {
            var list = new List<(string, double[])> { ("tau_mem", TauMem), ("tau_syn", TauSyn), ("r", R), ("v_leak", VLeak) };
            if (VThreshold is not null) list.Add(("v_threshold", VThreshold));
            if (VReset is not null) list.Add(("v_reset", VReset));
            list.Add(("w_in", WIn));
            return list;
        }
    }

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this, dt);

    private sealed class Dynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _synDecay, _synGain, _memDecay, _leak, _memGain, _v, _i, _drive;
        private readonly NirFiring<T> _firing;

        public Dynamics(CubaLifModel m, double dt)
        {
            _synDecay = Coefficients.Map<T>(m.TauSyn, tau => 1 - dt / tau);
            _synGain = Coefficients.Map<T>(m.TauSyn, m.WIn, (tau, w) => dt / tau * w);
            _memDecay = Coefficients.Map<T>(m.TauMem, tau => 1 - dt / tau);
            _leak = Coefficients.Map<T>(m.TauMem, m.VLeak, (tau, vl) => dt / tau * vl);
            _memGain = Coefficients.Map<T>(m.TauMem, m.R, (tau, r) => dt / tau * r);
            _firing = new NirFiring<T>(m.VThreshold, m.VReset);
            _v = new T[m.Size];
            _i = new T[m.Size];
            _drive = new T[m.Size];
        }

        public int Size => _v.Length;
        public bool Spiking => _firing.Spiking;
        public ReadOnlySpan<T> Membrane => _v;
        /// <summary>The synaptic current after this step.</summary>
        public ReadOnlySpan<T> Current => _i;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);
        public void Reset() { Array.Clear(_v); Array.Clear(_i); }

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            TensorPrimitives.Multiply(input, _synGain, _drive);
            TensorPrimitives.MultiplyAdd(_i, _synDecay, _drive, _i);
            TensorPrimitives.MultiplyAdd(_i, _memGain, _leak, _drive);
            TensorPrimitives.MultiplyAdd(_v, _memDecay, _drive, _v);
            _firing.Apply(_v, output);
        }
    }
}
