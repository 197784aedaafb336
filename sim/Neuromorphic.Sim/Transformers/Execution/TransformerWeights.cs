namespace Neuromorphic.Sim.Transformers.Execution;

/// <summary>Inference weights of one conv or linear layer, BatchNorm already folded in.</summary>
/// <param name="Weight">[C_out, C_in / groups, k, k] for a conv, [out, in] for a linear layer.</param>
/// <param name="Bias">[C_out], or empty when the layer has none.</param>
public sealed record LayerWeights(float[] Weight, float[] Bias);

/// <summary>The weights of every conv and linear layer of a model, by layer name.</summary>
public sealed class TransformerWeights
{
    private readonly Dictionary<string, LayerWeights> _layers;

    /// <summary>Wraps a name -&gt; weights map (copied).</summary>
    public TransformerWeights(IReadOnlyDictionary<string, LayerWeights> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = new Dictionary<string, LayerWeights>(layers, StringComparer.Ordinal);
    }

    /// <summary>All layers with weights.</summary>
    public IReadOnlyDictionary<string, LayerWeights> Layers => _layers;

    /// <summary>The weights of a layer.</summary>
    public LayerWeights this[string layer] =>
        _layers.TryGetValue(layer, out var w) ? w : throw new KeyNotFoundException($"no weights for layer '{layer}'");

    /// <summary>Whether a layer has weights.</summary>
    public bool Contains(string layer) => _layers.ContainsKey(layer);
}
