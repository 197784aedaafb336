using Neuromorphic.Hw.Digital;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// The transformers' LIF neurons as the digital neuron core computes them: SpikingJelly's
/// multi-step LIF (tau = 2, decay_input, hard reset to 0), H = V + (X - V) / tau, spike when
/// H &gt;= V_th, in the core's fixed-point format (<see cref="DigitalNeuronUnit.Format"/>): the input
/// current X and the threshold are quantised to the format (round to nearest, ties up, saturated),
/// X - V is saturated, multiplied by 1/tau in the format (rounded, ties up) and added to V with
/// saturation, as <see cref="FixedPointFormat"/> defines. The membranes of every LIF layer are
/// kept across timesteps (one raw integer per neuron) and cleared by <see cref="Reset"/>.
/// </summary>
internal sealed class NeuronCoreLif(FixedPointFormat format)
{
    private readonly Dictionary<string, int[]> _membranes = new(StringComparer.Ordinal);
    private readonly int _inverseTau = format.Quantise(1.0 / Sim.Transformers.Operators.MultiStepLif.DefaultTau);

    /// <summary>The membrane format.</summary>
    public FixedPointFormat Format => format;

    /// <summary>Clears every membrane (a new image).</summary>
    public void Reset()
    {
        foreach (var m in _membranes.Values) System.Array.Clear(m);
    }

    /// <summary>Advances the LIF layer <paramref name="layer"/> one timestep; returns its spikes.</summary>
    /// <param name="layer">Layer name (its membranes).</param>
    /// <param name="input">The input current X.</param>
    /// <param name="threshold">V_th.</param>
    /// <param name="spikes">Receives 0 or 1 per neuron.</param>
    public long Step(string layer, ReadOnlySpan<float> input, double threshold, Span<float> spikes)
    {
        if (!_membranes.TryGetValue(layer, out var v)) _membranes[layer] = v = new int[input.Length];
        if (v.Length != input.Length || spikes.Length != input.Length)
            throw new ArgumentException($"lif '{layer}': {v.Length} neurons, input {input.Length}, output {spikes.Length}");
        var theta = format.Quantise(threshold);
        long fired = 0;
        for (var i = 0; i < v.Length; i++)
        {
            var x = format.Quantise(input[i]);
            var h = format.Add(v[i], format.Multiply(format.Saturate((long)x - v[i]), _inverseTau));
            var fire = h >= theta;
            spikes[i] = fire ? 1f : 0f;
            v[i] = fire ? 0 : h;
            if (fire) fired++;
        }
        return fired;
    }
}
