namespace Neuromorphic.Sim.Transformers.Execution;

/// <summary>
/// Lets hardware models take part in a <see cref="TransformerExecutor"/> run: compute a weighted
/// layer, a LIF or attention on their own units instead of the software operators, and see every
/// layer's actual input and output tensors after it ran (to price the activity that really
/// occurred). Tensors are the executor's buffers, valid only during the call; do not keep them.
/// </summary>
public abstract class TransformerExecutionHooks
{
    /// <summary>
    /// Whether a run without early exit should go layer by layer, each layer over all T timesteps
    /// before the next (the outputs are the same; the executor keeps every layer's output of every
    /// timestep meanwhile): for hooks whose layers are expensive to set up per call. Default false.
    /// </summary>
    public virtual bool LayerByLayer => false;

    /// <summary>Called when a run of one image starts (before timestep 0): state kept across timesteps starts afresh.</summary>
    public virtual void RunStarted()
    {
    }

    /// <summary>
    /// Computes a conv or linear layer (<paramref name="input"/> its [C, H, W] input, binary spikes when
    /// <paramref name="binaryInput"/>) or a LIF (<paramref name="input"/> its input current, the sum of its
    /// inputs; the hook keeps the membranes) into <paramref name="output"/>; returns false to leave the
    /// layer to the software operator. <paramref name="synapticOps"/> receives the operations as
    /// <see cref="LayerActivity.SynapticOps"/> counts them.
    /// </summary>
    public virtual bool TryLayer(ModelLayer layer, int timestep, ReadOnlySpan<float> input, bool binaryInput, Span<float> output, out long synapticOps)
    {
        synapticOps = 0;
        return false;
    }

    /// <summary>
    /// Computes an attention layer (Q, K, V and output token-major [N, D]); returns false to leave
    /// it to the software operator. <paramref name="v1Membrane"/> holds V1's per-channel attention
    /// membranes (kept across timesteps; empty for V2).
    /// </summary>
    public virtual bool TryAttention(ModelLayer layer, int timestep, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        Span<float> v1Membrane, Span<float> output, out long adds, out long ands)
    {
        adds = ands = 0;
        return false;
    }

    /// <summary>Called after <paramref name="layer"/> ran in <paramref name="timestep"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="timestep">0-based.</param>
    /// <param name="inputs">Its input tensors ([C, H, W], channel-major), in <see cref="ModelLayer.Inputs"/> order.</param>
    /// <param name="binaryInput">Whether the first input is binary spikes.</param>
    /// <param name="output">Its output tensor.</param>
    /// <param name="synapticOps">The operations the executor counted (<see cref="LayerActivity.SynapticOps"/>).</param>
    public virtual void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
    {
    }
}
