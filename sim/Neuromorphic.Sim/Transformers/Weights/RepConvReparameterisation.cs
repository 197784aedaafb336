using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Models;
using Neuromorphic.Sim.Transformers.Operators;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>
/// Re-parameterises every Meta-SpikeFormer RepConv for inference: the layers <c>P.pw1</c>
/// (1x1, zero padding 1, BatchNorm folded: its bias is the BN's zero-input value, which is what
/// BNAndPadLayer pads with), <c>P.dw</c> (depthwise 3x3, no padding) and <c>P.pw2</c> (1x1, both
/// BatchNorms folded) become one 3x3 conv <c>P</c> with zero padding 1 and a bias, and readers of
/// <c>P.pw2</c> read <c>P</c>. With W1, b1, D, W2, b2 the folded tensors:
/// W[o, i, k] = sum_c W2[o, c] D[c, k] W1[c, i] and b_o = b2_o + sum_c W2[o, c] b1_c sum_k D[c, k],
/// exact at the borders too (computed in double). The folded conv is what a chip runs: its
/// input is the spikes feeding the RepConv, so it drives word lines like any spiking conv.
/// </summary>
public static class RepConvReparameterisation
{
    /// <summary>The RepConvs of <paramref name="model"/> (prefixes P with P.pw1, P.dw, P.pw2 in a row).</summary>
    public static IReadOnlyList<string> Find(TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = new List<string>();
        var layers = model.Layers;
        for (var i = 0; i + 2 < layers.Count; i++)
        {
            if (!layers[i].Name.EndsWith(".pw1", StringComparison.Ordinal)) continue;
            var p = layers[i].Name[..^4];
            var (a, b, c) = (layers[i], layers[i + 1], layers[i + 2]);
            if (b.Name == p + ".dw" && c.Name == p + ".pw2" && a.Kind == LayerKind.Conv && a.Kernel == 1 && a.Padding == 1
                && a.Channels == a.InChannels && b.Kernel == 3 && b.Padding == 0 && b.Groups == b.Channels && c.Kernel == 1
                && b.Inputs.SequenceEqual([a.Name]) && c.Inputs.SequenceEqual([b.Name]))
                found.Add(p);
        }
        return found;
    }

    /// <summary>The model with each RepConv folded into one 3x3 conv (its layers only: what <see cref="Apply"/> returns as the model).</summary>
    public static TransformerModel Folded(TransformerModel model) => Fold(model, null, 1).Model;

    /// <summary>Returns the model with each RepConv folded into one 3x3 conv, and its weights (computed on <paramref name="threads"/> threads, at least 1; the result does not depend on them).</summary>
    public static (TransformerModel Model, TransformerWeights Weights) Apply(TransformerModel model, TransformerWeights weights, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var (folded, w) = Fold(model, weights, threads);
        return (folded, w!);
    }

    private static (TransformerModel Model, TransformerWeights? Weights) Fold(TransformerModel model, TransformerWeights? weights, int threads)
    {
        ArgumentNullException.ThrowIfNull(model);
        var prefixes = Find(model).ToHashSet(StringComparer.Ordinal);
        if (prefixes.Count == 0) return (model, weights);
        var rename = prefixes.ToDictionary(p => p + ".pw2", p => p, StringComparer.Ordinal);
        var layers = new List<ModelLayer>();
        var folded = weights?.Layers.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var layer in model.Layers)
        {
            var dot = layer.Name.LastIndexOf('.');
            var prefix = dot < 0 ? "" : layer.Name[..dot];
            if (prefixes.Contains(prefix))
            {
                folded?.Remove(layer.Name);
                if (!layer.Name.EndsWith(".pw2", StringComparison.Ordinal)) continue;
                var pw1 = model[prefix + ".pw1"];
                int cin = pw1.InChannels, cout = layer.Channels;
                if (folded is not null) folded[prefix] = Fold(cin, cout, weights![prefix + ".pw1"], weights[prefix + ".dw"], weights[layer.Name], threads);
                layers.Add(new ModelLayer
                {
                    Name = prefix, Kind = LayerKind.Conv, Inputs = pw1.Inputs,
                    Channels = cout, Height = layer.Height, Width = layer.Width, InChannels = cin,
                    Kernel = 3, Stride = 1, Padding = 1, Groups = 1, Bias = true, BatchNorm = false,
                    Parameters = (long)cout * cin * 9 + cout,
                    Flops = ModelCounts.ConvFlops(cin, cout, 3, 1, layer.Height, layer.Width),
                });
                continue;
            }
            layers.Add(layer.Inputs.Any(rename.ContainsKey)
                ? layer with { Inputs = layer.Inputs.Select(i => rename.GetValueOrDefault(i, i)).ToArray() }
                : layer);
        }
        return (model with { Layers = layers }, folded is null ? null : new TransformerWeights(folded));
    }

    private static LayerWeights Fold(int cin, int cout, LayerWeights pw1, LayerWeights dw, LayerWeights pw2, int threads)
    {
        var w = new float[cout * cin * 9];
        var b = new float[cout];
        RepConvComposition.Fold(cin, cout, RepConvComposition.Widen(pw1.Weight, cin), RepConvComposition.Widen(pw1.Bias, 1), dw.Weight,
            RepConvComposition.Widen(pw2.Weight, cin), RepConvComposition.Widen(pw2.Bias, 1), w, b, threads);
        return new LayerWeights(w, b);
    }
}
