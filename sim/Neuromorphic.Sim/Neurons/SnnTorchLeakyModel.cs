using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// snnTorch <c>Leaky</c>: <c>mem = beta mem + x - reset threshold</c> (subtract) with
/// <c>reset = H(mem_prev - threshold)</c>; spike when <c>mem &gt; threshold</c>. With
/// <see cref="ResetDelay"/> false the reset is applied in the spiking step itself (snnTorch's
/// <c>reset_delay=False</c>), which is how <c>lif_snntorch.csv</c> was recorded.
/// </summary>
public sealed record SnnTorchLeakyModel : NeuronModel
{
    /// <summary>Creates a population; <paramref name="beta"/> and <paramref name="threshold"/> per neuron.</summary>
    public SnnTorchLeakyModel(double[] beta, double[] threshold,
        SnnTorchResetMechanism reset = SnnTorchResetMechanism.Subtract, bool resetDelay = true)
    {
        Beta = beta; Threshold = threshold; ResetMechanism = reset; ResetDelay = resetDelay;
        Validate();
        foreach (var b in beta)
            if (b < 0 || b > 1) throw new ArgumentException($"snntorch.Leaky: beta must lie in [0, 1], found {b}");
    }

    /// <summary>Membrane decay per step (snnTorch clamps it to [0, 1]).</summary>
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
    public override string Kind => "snntorch.Leaky";
    /// <inheritdoc />
    public override bool Spiking => true;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters => [("beta", Beta), ("threshold", Threshold)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => new Dynamics<T>(this);

    private sealed class Dynamics<T>(SnnTorchLeakyModel m) : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _beta = Coefficients.Map<T>(m.Beta, x => x);
        private readonly T[] _threshold = Coefficients.Map<T>(m.Threshold, x => x);
        private readonly T[] _mem = new T[m.Size];

        public int Size => _mem.Length;
        public bool Spiking => true;
        public ReadOnlySpan<T> Membrane => _mem;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_mem);
        public void Reset() => Array.Clear(_mem);

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            var mechanism = m.ResetMechanism;
            for (var i = 0; i < _mem.Length; i++)
            {
                var th = _threshold[i];
                var reset = _mem[i] > th ? T.One : T.Zero;
                var decayed = _beta[i] * _mem[i];
                var mem = SnnTorchReset.BeforeSpike(mechanism, decayed + input[i], decayed, reset, th);
                var spike = mem > th ? T.One : T.Zero;
                if (!m.ResetDelay) mem = SnnTorchReset.AfterSpike(mechanism, mem, spike, reset, th);
                _mem[i] = mem;
                output[i] = spike;
            }
        }
    }
}
