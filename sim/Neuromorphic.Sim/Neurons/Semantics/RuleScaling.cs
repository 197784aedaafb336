namespace Neuromorphic.Sim.Neurons;

/// <summary>Assembles <see cref="NeuronUpdateRule"/>s: in NIR's units, or in snnTorch's (input unscaled).</summary>
internal static class RuleScaling
{
    /// <summary>The synaptic stage of a two-state model: decay, input gain, constant.</summary>
    public readonly record struct Synapse(double[] Decay, double[] Gain, double[] Leak);

    /// <summary>A rule in NIR's units (state scale 1).</summary>
    public static NeuronUpdateRule Unscaled(Discretisation d, double[] decay, double[] gain, double[] leak,
        double[]? threshold, double[]? reset, Synapse? synapse = null) => new()
    {
        Discretisation = d,
        SynapseDecay = synapse?.Decay,
        SynapseGain = synapse?.Gain,
        SynapseLeak = synapse?.Leak,
        MembraneDecay = decay,
        MembraneGain = gain,
        MembraneLeak = leak,
        Threshold = threshold,
        ResetValue = threshold is null ? null : reset ?? new double[decay.Length],
        Reset = NeuronUpdateRule.RuleFor(d),
        StateScale = NeuronModel.Fill(decay.Length, 1.0),
    };

    /// <summary>
    /// snnTorch's form, as its importer builds it: every gain between the input and the membrane is
    /// taken out (the input enters unscaled), and the threshold, reset value and leak are divided by
    /// their product instead, so the state is NIR's membrane divided by that product. A neuron whose
    /// product is not positive (r = 0, or a negative r or w_in, which would flip the threshold test)
    /// keeps NIR's units.
    /// </summary>
    public static NeuronUpdateRule InputUnscaled(Discretisation d, double[] decay, double[] gain, double[] leak,
        double[] threshold, double[] reset, Synapse? synapse = null)
    {
        var n = decay.Length;
        var scale = new double[n];
        double[] memGain = new double[n], memLeak = new double[n], th = new double[n], rv = new double[n];
        double[]? synGain = synapse is null ? null : new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = gain[i] * (synapse?.Gain[i] ?? 1.0);
            var ok = s > 0;
            scale[i] = ok ? s : 1.0;
            memGain[i] = ok ? 1.0 : gain[i];
            if (synGain is not null) synGain[i] = ok ? 1.0 : synapse!.Value.Gain[i];
            memLeak[i] = leak[i] / scale[i];
            th[i] = threshold[i] / scale[i];
            rv[i] = reset[i] / scale[i];
        }
        return new NeuronUpdateRule
        {
            Discretisation = d,
            SynapseDecay = synapse?.Decay,
            SynapseGain = synGain,
            SynapseLeak = synapse is null ? null : new double[n],
            MembraneDecay = decay,
            MembraneGain = memGain,
            MembraneLeak = memLeak,
            Threshold = th,
            ResetValue = rv,
            Reset = NeuronUpdateRule.RuleFor(d),
            StateScale = scale,
        };
    }
}
