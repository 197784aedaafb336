namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// The Vogels-Abbott CUBA network as Brian2's examples/CUBA.py defines it (Brette et al. 2007,
/// benchmark 2). Voltages in mV, times in ms. Defaults are the published values.
/// </summary>
public sealed record CubaParameters
{
    /// <summary>Neurons; the first 80 % are excitatory.</summary>
    public int Neurons { get; init; } = 4000;
    /// <summary>Mean synapses per presynaptic neuron; the connection probability is this / <see cref="Neurons"/> (0.02 at 4000).</summary>
    public double SynapsesPerNeuron { get; init; } = 80;
    /// <summary>Membrane time constant (ms).</summary>
    public double TauMembrane { get; init; } = 20;
    /// <summary>Excitatory synaptic time constant (ms).</summary>
    public double TauExcitatory { get; init; } = 5;
    /// <summary>Inhibitory synaptic time constant (ms).</summary>
    public double TauInhibitory { get; init; } = 10;
    /// <summary>Threshold (mV); a neuron fires when v exceeds it.</summary>
    public double Threshold { get; init; } = -50;
    /// <summary>Reset potential (mV).</summary>
    public double Reset { get; init; } = -60;
    /// <summary>Leak (resting) potential (mV); above threshold, so the network is self-sustained.</summary>
    public double Leak { get; init; } = -49;
    /// <summary>Refractory period (ms): the membrane is held while t - lastspike &lt; this.</summary>
    public double Refractory { get; init; } = 5;
    /// <summary>Excitatory weight (mV added to ge): 60 x 0.27 / 10.</summary>
    public double WeightExcitatory { get; init; } = 60 * 0.27 / 10;
    /// <summary>Inhibitory weight (mV added to gi): -20 x 4.5 / 10.</summary>
    public double WeightInhibitory { get; init; } = -20 * 4.5 / 10;
    /// <summary>Timestep (ms).</summary>
    public double Dt { get; init; } = 0.1;
    /// <summary>Fraction of excitatory neurons.</summary>
    public double ExcitatoryFraction { get; init; } = 0.8;

    /// <summary>Number of excitatory neurons (they come first).</summary>
    public int Excitatory => (int)Math.Round(Neurons * ExcitatoryFraction);

    /// <summary>Connection probability.</summary>
    public double ConnectionProbability => Math.Min(1.0, SynapsesPerNeuron / Neurons);

    /// <summary>Refractory period in whole timesteps.</summary>
    public int RefractorySteps => (int)Math.Round(Refractory / Dt);

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (Neurons < 1) throw new ArgumentException($"neurons must be >= 1, found {Neurons}");
        if (!(SynapsesPerNeuron >= 0)) throw new ArgumentException($"synapses per neuron must be >= 0, found {SynapsesPerNeuron}");
        // The synapses live in one array per field: refuse a size that cannot be built before drawing any.
        var expectedSynapses = (double)Neurons * Neurons * ConnectionProbability;
        if (expectedSynapses > Array.MaxLength * 0.95)
            throw new ArgumentException($"{Neurons} neurons would draw about {expectedSynapses:E2} synapses, more than one array holds ({Array.MaxLength})");
        CubaNetworkBuilder.CheckBlockEnds(Neurons, CubaNetworkBuilder.DestinationBlocks(Neurons, CubaNetwork.MaxBlockNeurons));
        foreach (var (name, value) in new[] { ("tau_m", TauMembrane), ("tau_e", TauExcitatory), ("tau_i", TauInhibitory), ("dt", Dt) })
            if (!(value > 0)) throw new ArgumentException($"{name} must be > 0, found {value}");
        if (TauExcitatory == TauMembrane || TauInhibitory == TauMembrane)
            throw new ArgumentException("the exact solution used needs synaptic time constants different from tau_m");
        foreach (var (name, value) in new[] { ("threshold", Threshold), ("reset", Reset), ("leak", Leak), ("w_e", WeightExcitatory), ("w_i", WeightInhibitory) })
            if (!(Math.Abs(value) <= 1e5)) throw new ArgumentException($"{name} must lie in [-1e5, 1e5] mV, found {value}");
        if (!(Refractory >= 0) || RefractorySteps >= 1 << 23) throw new ArgumentException($"refractory must lie in [0, {(1 << 23) - 1} steps], found {Refractory} ms");
        if (ExcitatoryFraction is < 0 or > 1) throw new ArgumentException($"excitatory fraction must lie in [0, 1], found {ExcitatoryFraction}");
    }
}
