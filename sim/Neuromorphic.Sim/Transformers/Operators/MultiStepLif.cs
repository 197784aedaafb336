using System.Numerics;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// One timestep of SpikingJelly's <c>MultiStepLIFNode(tau, v_reset=0, decay_input=True)</c> on
/// every element, in float32 as SpikingJelly computes it: H = V + (X - V) / tau,
/// S = [H &gt;= V_th], V = H (1 - S) (hard reset to 0). Call it once per timestep with the same
/// membrane span to run the multi-step neuron (the state carries across timesteps); a fresh
/// neuron starts at V = 0.
/// </summary>
public static class MultiStepLif
{
    /// <summary>The spike-driven transformers' time constant.</summary>
    public const float DefaultTau = 2f;

    /// <summary>Advances every neuron one step; returns the number of spikes.</summary>
    /// <param name="membrane">V, updated in place.</param>
    /// <param name="input">X.</param>
    /// <param name="spikes">Receives S (0 or 1); may alias <paramref name="input"/>.</param>
    /// <param name="threshold">V_th (1.0; 0.5 for attention neurons).</param>
    /// <param name="tau">Time constant (&gt;= 1).</param>
    public static int Step(Span<float> membrane, ReadOnlySpan<float> input, Span<float> spikes, float threshold = 1f, float tau = DefaultTau)
    {
        if (input.Length != membrane.Length || spikes.Length != membrane.Length)
            throw new ArgumentException($"lif: membrane {membrane.Length}, input {input.Length} and spikes {spikes.Length} differ in length");
        if (!(tau >= 1)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be >= 1");
        var count = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && membrane.Length >= Vector<float>.Count)
        {
            var th = new Vector<float>(threshold);
            var t = new Vector<float>(tau);
            var counts = Vector<int>.Zero;
            for (; i <= membrane.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(membrane[i..]);
                var h = v + (new Vector<float>(input[i..]) - v) / t;
                var fire = Vector.GreaterThanOrEqual(h, th);
                Vector.ConditionalSelect(fire, Vector<float>.Zero, h).CopyTo(membrane[i..]);
                Vector.ConditionalSelect(fire, Vector<float>.One, Vector<float>.Zero).CopyTo(spikes[i..]);
                counts -= fire; // true lanes are -1
            }
            count = Vector.Sum(counts);
        }
        for (; i < membrane.Length; i++)
        {
            var v = membrane[i];
            var h = v + (input[i] - v) / tau;
            var fire = h >= threshold;
            spikes[i] = fire ? 1f : 0f;
            membrane[i] = fire ? 0f : h;
            if (fire) count++;
        }
        return count;
    }
}
