using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// snnTorch <c>Synaptic</c>: <c>syn = alpha syn + x</c>, <c>mem = beta mem + syn - reset threshold</c>
/// (subtract; zero reset clears the membrane only, as snnTorch does), spike when
/// <c>mem &gt; threshold</c>; reset timing as in <see cref="SnnTorchLeakyModel"/>.
/// </summary>
public sealed record SnnTorchSynapticModel : NeuronModel
{
    /// <summary>Creates a population; parameters per neuron.</summary>
    public SnnTorchSynapticModel(double[] alpha, double[] beta, double[] threshold,
        SnnTorchResetMechanism reset = SnnTorchResetMechanism.Subtract, bool resetDelay = true)
    {
        Alpha = alpha; Beta = beta; Threshold = threshold; ResetMechanism = reset; ResetDelay = resetDelay;
        Validate();
        foreach (var b in alpha.Concat(beta))
            if (b < 0 || b > 1) throw new ArgumentException($"snntorch.Synaptic: alpha and beta must lie in [0, 1], found {b}");
    }

    /// <summary>Synaptic current decay per step.</summary>
    public double[] Alpha { get; }
    /// <summary>Membrane decay per step.</summary>
    public double[] Beta { get; }
    /// <summary>Threshold.</summary>
    public double[] Threshold { get; }
    /// <summary>Reset mechanism.</summary>
    public SnnTorchResetMechanism ResetMechanism { get; }
    /// <summary>Whether the reset waits for the next step (snnTorch's default).</summary>
    public bool ResetDelay { get; }

    /// <inheritdoc />
    public override int Size => Beta.Length;
    /// <inheritdoc />
    public override string Kind => "snntorch.Synaptic";
    /// <inheritdoc />
    public override bool Spiking => true;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters => [("alpha", Alpha), ("beta", Beta), ("threshold", Threshold)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this);

    private sealed class Dynamics<T>(SnnTorchSynapticModel m) : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _alpha = Coefficients.Map<T>(m.Alpha, x => x);
        private readonly T[] _beta = Coefficients.Map<T>(m.Beta, x => x);
        private readonly T[] _threshold = Coefficients.Map<T>(m.Threshold, x => x);
        private readonly T[] _mem = new T[m.Size];
        private readonly T[] _syn = new T[m.Size];

        public int Size => _mem.Length;
        public bool Spiking => true;
        public ReadOnlySpan<T> Membrane => _mem;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_mem);
        public void Reset() { Array.Clear(_mem); Array.Clear(_syn); }

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            var mechanism = m.ResetMechanism;
            for (var i = 0; i < _mem.Length; i++)
            {
                var th = _threshold[i];
                var reset = _mem[i] > th ? T.One : T.Zero;
                _syn[i] = _alpha[i] * _syn[i] + input[i];
                var decayed = _beta[i] * _mem[i];
                var mem = SnnTorchReset.BeforeSpike(mechanism, decayed + _syn[i], decayed, reset, th);
                var spike = mem > th ? T.One : T.Zero;
                if (!m.ResetDelay) mem = SnnTorchReset.AfterSpike(mechanism, mem, spike, reset, th);
                _mem[i] = mem;
                output[i] = spike;
            }
        }
    }
}
