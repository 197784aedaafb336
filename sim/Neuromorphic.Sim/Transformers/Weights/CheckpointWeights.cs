using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Operators;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>Weights read from a checkpoint, and what the file held that the model does not use.</summary>
/// <param name="Weights">Per conv and linear layer, BatchNorms folded in.</param>
/// <param name="TensorsRead">State-dict entries read.</param>
/// <param name="Unused">Entries the model does not read (e.g. <c>head_kd.*</c>, <c>talking_heads</c>, <c>num_batches_tracked</c>).</param>
public sealed record LoadedWeights(TransformerWeights Weights, int TensorsRead, IReadOnlyList<string> Unused);

/// <summary>
/// Loads a trained Spike-driven Transformer V1 or Meta-SpikeFormer from a state dict saved as
/// <c>.safetensors</c> or <c>.npz</c> under the BICLab parameter names (<see cref="BiclabNames"/>),
/// folding every BatchNorm into the conv before it (eps 1e-5, PyTorch's default). Layers are
/// checked in model order, so the error names the first missing or mis-shaped tensor.
/// </summary>
public static class CheckpointWeights
{
    /// <summary>BatchNorm epsilon of the BICLab modules (PyTorch's default).</summary>
    public const float BatchNormEpsilon = 1e-5f;

    /// <summary>Loads the weights of <paramref name="model"/> from <paramref name="path"/>.</summary>
    /// <exception cref="InputFormatException">The file is malformed, or a tensor is missing, mis-shaped or not floating point.</exception>
    public static LoadedWeights Load(TransformerModel model, string path) => Load(model, TensorArchive.Open(path));

    /// <summary>Loads the weights of <paramref name="model"/> from an open archive.</summary>
    public static LoadedWeights Load(TransformerModel model, TensorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(archive);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var layers = new Dictionary<string, LayerWeights>(StringComparer.Ordinal);
        foreach (var layer in model.Layers.Where(l => l.Kind is LayerKind.Conv or LayerKind.Linear))
        {
            var source = BiclabNames.For(model, layer);
            var weight = Tensor(archive, source.Weight, source.WeightShape, used, layer.Name);
            float[]? bias = source.Bias is null ? null : Tensor(archive, source.Bias, [layer.Channels], used, layer.Name);
            foreach (var bn in source.BatchNorms)
            {
                long[] c = [layer.Channels];
                var gamma = Tensor(archive, bn + ".weight", c, used, layer.Name);
                var beta = Tensor(archive, bn + ".bias", c, used, layer.Name);
                var mean = Tensor(archive, bn + ".running_mean", c, used, layer.Name);
                var variance = Tensor(archive, bn + ".running_var", c, used, layer.Name);
                if (archive.Find(bn + ".num_batches_tracked") is { } tracked) used.Add(tracked.Name);
                for (var i = 0; i < variance.Length; i++)
                    if (!(variance[i] + BatchNormEpsilon > 0))
                        throw new InputFormatException(archive.Path, $"tensor '{bn}.running_var'", $"element {i} is {variance[i]}: a variance must be non-negative");
                (weight, bias) = BatchNormFolding.Fold(weight, bias, gamma, beta, mean, variance, BatchNormEpsilon);
            }
            layers[layer.Name] = new LayerWeights(weight, bias ?? []);
        }
        var unused = archive.Tensors.Select(t => t.Name).Where(n => !used.Contains(n)).Order(StringComparer.Ordinal).ToList();
        return new LoadedWeights(new TransformerWeights(layers), used.Count, unused);
    }

    private static float[] Tensor(TensorArchive archive, string name, IReadOnlyList<long> shape, HashSet<string> used, string layer)
    {
        var info = archive.Find(name)
            ?? throw new InputFormatException(archive.Path, $"tensor '{name}'", $"missing (needed by layer '{layer}', shape [{string.Join(", ", shape)}])");
        if (!info.Shape.SequenceEqual(shape))
            throw new InputFormatException(archive.Path, $"tensor '{name}'", $"has shape {info.ShapeText}, layer '{layer}' needs [{string.Join(", ", shape)}]");
        var values = archive.Read(info);
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InputFormatException(archive.Path, $"tensor '{name}'", $"element {i} is {values[i]}");
        used.Add(name);
        return values;
    }
}
