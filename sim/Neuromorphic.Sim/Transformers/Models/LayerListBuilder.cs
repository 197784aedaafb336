namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>
/// Appends <see cref="ModelLayer"/>s in execution order, deriving each layer's output shape from
/// its input's shape and its parameters and FLOPs from <see cref="ModelCounts"/>. Shared by the
/// model builders; checks names are unique and inputs exist.
/// </summary>
internal sealed class LayerListBuilder
{
    private readonly List<ModelLayer> _layers = new();
    private readonly Dictionary<string, ModelLayer> _byName = new(StringComparer.Ordinal);
    private readonly int _imageChannels;
    private readonly int _imageSize;

    public LayerListBuilder(int imageChannels, int imageSize)
    {
        _imageChannels = imageChannels;
        _imageSize = imageSize;
    }

    public IReadOnlyList<ModelLayer> Layers => _layers;

    /// <summary>Output shape [C, H, W] of a layer, or of the image.</summary>
    public (int Channels, int Height, int Width) ShapeOf(string name) =>
        name == TransformerModel.ImageInput
            ? (_imageChannels, _imageSize, _imageSize)
            : _byName.TryGetValue(name, out var l) ? (l.Channels, l.Height, l.Width)
            : throw new InvalidOperationException($"no layer '{name}' before this one");

    /// <summary>
    /// A 2-D convolution (BatchNorm folded in when batchNorms &gt; 0: the BatchNorms directly after
    /// the conv, all folding into it, each adding 2 C_out parameters).
    /// </summary>
    public string Conv(string name, string input, int outChannels, int kernel, int stride = 1, int padding = 0,
        int groups = 1, bool bias = false, int batchNorms = 1, bool spikingInput = true)
    {
        var (c, h, w) = ShapeOf(input);
        if (c % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{name}: {c} -> {outChannels} channels not divisible into {groups} groups");
        var ho = ModelCounts.OutputSize(h, kernel, stride, padding);
        var wo = ModelCounts.OutputSize(w, kernel, stride, padding);
        if (ho < 1 || wo < 1)
            throw new ArgumentException($"{name}: a {kernel}x{kernel} stride {stride} conv on {h}x{w} has no output; use a larger image");
        return Add(new ModelLayer
        {
            Name = name, Kind = LayerKind.Conv, Inputs = [input],
            Channels = outChannels, Height = ho, Width = wo, InChannels = c,
            Kernel = kernel, Stride = stride, Padding = padding, Groups = groups,
            Bias = bias, BatchNorm = batchNorms > 0, SpikingInput = spikingInput,
            Parameters = ModelCounts.ConvParameters(c, outChannels, kernel, groups, bias, batchNorms),
            Flops = ModelCounts.ConvFlops(c, outChannels, kernel, groups, ho, wo),
        });
    }

    /// <summary>A fully connected layer on a [C, 1, 1] vector.</summary>
    public string Linear(string name, string input, int outFeatures, bool bias = true)
    {
        var (c, h, w) = ShapeOf(input);
        if (h != 1 || w != 1) throw new ArgumentException($"{name}: a linear layer needs a [C, 1, 1] input, got [{c}, {h}, {w}]");
        return Add(new ModelLayer
        {
            Name = name, Kind = LayerKind.Linear, Inputs = [input],
            Channels = outFeatures, Height = 1, Width = 1, InChannels = c, Bias = bias,
            Parameters = (long)c * outFeatures + (bias ? outFeatures : 0),
            Flops = (long)c * outFeatures,
        });
    }

    /// <summary>A multi-step LIF neuron per element.</summary>
    public string Lif(string name, string input, double threshold = 1.0)
    {
        var (c, h, w) = ShapeOf(input);
        return Add(new ModelLayer { Name = name, Kind = LayerKind.Lif, Inputs = [input], Channels = c, Height = h, Width = w, Threshold = threshold });
    }

    /// <summary>Max pooling.</summary>
    public string MaxPool(string name, string input, int kernel, int stride, int padding)
    {
        var (c, h, w) = ShapeOf(input);
        var ho = ModelCounts.OutputSize(h, kernel, stride, padding);
        var wo = ModelCounts.OutputSize(w, kernel, stride, padding);
        if (ho < 1 || wo < 1) throw new ArgumentException($"{name}: pooling {h}x{w} leaves nothing; use a larger image");
        return Add(new ModelLayer
        {
            Name = name, Kind = LayerKind.MaxPool, Inputs = [input], Channels = c, Height = ho, Width = wo,
            Kernel = kernel, Stride = stride, Padding = padding,
        });
    }

    /// <summary>Spatial mean to [C, 1, 1].</summary>
    public string GlobalMean(string name, string input)
    {
        var (c, _, _) = ShapeOf(input);
        return Add(new ModelLayer { Name = name, Kind = LayerKind.GlobalMean, Inputs = [input], Channels = c, Height = 1, Width = 1 });
    }

    /// <summary>Element-wise sum (membrane shortcut); all inputs must have one shape.</summary>
    public string Sum(string name, params string[] inputs)
    {
        var shape = ShapeOf(inputs[0]);
        foreach (var i in inputs)
            if (ShapeOf(i) != shape) throw new InvalidOperationException($"{name}: inputs {inputs[0]} {shape} and {i} {ShapeOf(i)} differ in shape");
        return Add(new ModelLayer { Name = name, Kind = LayerKind.Add, Inputs = inputs, Channels = shape.Channels, Height = shape.Height, Width = shape.Width });
    }

    /// <summary>Multiply by a constant.</summary>
    public string Scale(string name, string input, double factor)
    {
        var (c, h, w) = ShapeOf(input);
        return Add(new ModelLayer { Name = name, Kind = LayerKind.Scale, Inputs = [input], Channels = c, Height = h, Width = w, Factor = factor });
    }

    /// <summary>Spike-driven self-attention (V1 or V2 core) on Q, K, V of one shape.</summary>
    public string Attention(string name, LayerKind kind, string q, string k, string v, int heads, double threshold, long parameters)
    {
        var shape = ShapeOf(q);
        if (ShapeOf(k) != shape || ShapeOf(v) != shape) throw new InvalidOperationException($"{name}: Q, K, V differ in shape");
        if (shape.Channels % heads != 0) throw new ArgumentException($"{name}: {shape.Channels} channels not divisible into {heads} heads");
        var tokens = (long)shape.Height * shape.Width;
        return Add(new ModelLayer
        {
            Name = name, Kind = kind, Inputs = [q, k, v],
            Channels = shape.Channels, Height = shape.Height, Width = shape.Width,
            Heads = heads, Threshold = threshold, Parameters = parameters,
            Flops = kind == LayerKind.SdsaV1
                ? ModelCounts.SdsaV1Flops(tokens, shape.Channels)
                : ModelCounts.SdsaV2Flops(tokens, shape.Channels, heads),
        });
    }

    private string Add(ModelLayer layer)
    {
        foreach (var input in layer.Inputs)
            if (input != TransformerModel.ImageInput && !_byName.ContainsKey(input))
                throw new InvalidOperationException($"{layer.Name}: input '{input}' is not an earlier layer");
        if (!_byName.TryAdd(layer.Name, layer)) throw new InvalidOperationException($"duplicate layer name '{layer.Name}'");
        _layers.Add(layer);
        return layer.Name;
    }
}
