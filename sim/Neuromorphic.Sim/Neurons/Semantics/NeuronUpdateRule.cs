namespace Neuromorphic.Sim.Neurons;

/// <summary>How a spiking neuron's membrane is reset, as a rule of arithmetic.</summary>
public enum ResetRule
{
    /// <summary><c>v = reset value</c> where <c>v &gt; threshold</c>.</summary>
    ToValue,

    /// <summary><c>v -= threshold</c> where <c>v &gt; threshold</c>.</summary>
    Subtract,

    /// <summary>
    /// snnTorch's subtract with <c>reset_delay=False</c>: a flag <c>r = H(v_prev - threshold)</c> from the
    /// previous step's (reset) membrane is subtracted before thresholding, <c>v = a v_prev + drive - r threshold</c>,
    /// <c>s = H(v - threshold)</c>, then <c>v -= (s - r) threshold</c>. Differs from <see cref="Subtract"/>
    /// only when a membrane stays above threshold after its reset.
    /// </summary>
    SnnTorchSubtract,
}

/// <summary>
/// One timestep of a NIR neuron population under one <see cref="Discretisation"/>, as per-neuron
/// coefficients of affine updates (the form every semantics shares, so a fixed-point golden model
/// can reuse it):
/// <code>
/// I = SynapseDecay * I + SynapseGain * x + SynapseLeak        (two-state models only)
/// v = MembraneDecay * v + MembraneGain * u + MembraneLeak      (u = I, or x for one-state models)
/// spike where v &gt; Threshold (strict), then reset by <see cref="Reset"/>
/// </code>
/// The state is in the semantics' units: NIR's membrane equals <c>v * StateScale</c>.
/// </summary>
public sealed record NeuronUpdateRule
{
    /// <summary>The discretisation this rule implements.</summary>
    public required Discretisation Discretisation { get; init; }

    /// <summary>Synaptic current decay per step; null for one-state models (LIF, LI, IF, I).</summary>
    public double[]? SynapseDecay { get; init; }
    /// <summary>Input gain into the synaptic current; null for one-state models.</summary>
    public double[]? SynapseGain { get; init; }
    /// <summary>Constant added to the synaptic current each step; null for one-state models.</summary>
    public double[]? SynapseLeak { get; init; }

    /// <summary>Membrane decay per step.</summary>
    public required double[] MembraneDecay { get; init; }
    /// <summary>Gain from the input (or synaptic current) into the membrane.</summary>
    public required double[] MembraneGain { get; init; }
    /// <summary>Constant added to the membrane each step (the leak towards v_leak).</summary>
    public required double[] MembraneLeak { get; init; }

    /// <summary>Threshold in state units; null for non-spiking models (LI, CubaLI, I), whose output is the membrane.</summary>
    public double[]? Threshold { get; init; }
    /// <summary>Reset value in state units (used by <see cref="ResetRule.ToValue"/>); null for non-spiking models.</summary>
    public double[]? ResetValue { get; init; }
    /// <summary>The reset arithmetic.</summary>
    public ResetRule Reset { get; init; }

    /// <summary>NIR membrane = state x this (1 except under snnTorch, which leaves the input unscaled).</summary>
    public required double[] StateScale { get; init; }

    /// <summary>Number of neurons.</summary>
    public int Size => MembraneDecay.Length;

    /// <summary>True if the model has a synaptic current.</summary>
    public bool HasSynapse => SynapseDecay is not null;

    /// <summary>True if the model spikes.</summary>
    public bool Spiking => Threshold is not null;

    /// <summary>The reset rule a mechanism takes under a semantics.</summary>
    public static ResetRule RuleFor(Discretisation d) => d.Reset switch
    {
        ResetMechanism.Subtract when d.Semantics == NirSemantics.SnnTorch => ResetRule.SnnTorchSubtract,
        ResetMechanism.Subtract => ResetRule.Subtract,
        _ => ResetRule.ToValue,
    };
}
