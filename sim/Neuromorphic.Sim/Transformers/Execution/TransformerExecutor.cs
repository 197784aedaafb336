using System.Numerics;
using System.Numerics.Tensors;
using Neuromorphic.Sim.Transformers.Operators;

namespace Neuromorphic.Sim.Transformers.Execution;

/// <summary>
/// Runs a <see cref="TransformerModel"/> functionally on one image: the [C, H, W] image is fed
/// again at every one of the model's T timesteps (as the papers do), and the layers are evaluated
/// in list order every timestep. Convs and linear layers use the event-driven
/// <see cref="SpikingConv"/> (additions only when their input is spikes), LIF layers are
/// SpikingJelly multi-step neurons whose membranes carry across timesteps (a LIF with several
/// inputs integrates their sum, the membrane shortcut), Add sums real tensors, attention uses
/// <see cref="Sdsa"/> (V1 keeps its talking-heads LIF state across timesteps).
/// All buffers are allocated once, in the constructor; a run allocates only its results. An
/// executor is not thread-safe: use one per thread.
/// </summary>
public sealed class TransformerExecutor
{
    /// <summary>Firing rate the hidden LIFs are calibrated to by <see cref="RandomWeights"/>.</summary>
    public const double DefaultTargetFiringRate = RandomWeightInitialiser.DefaultTargetRate;

    private const int ImageIndex = 0;

    private readonly Node[] _nodes;
    private readonly float[][] _tensors;      // 0: image; i + 1: output of layer i
    private readonly long[] _active;          // non-zero elements of each tensor in the current timestep
    private readonly float[] _convScratch;
    private readonly float[] _sdsaScratch;    // Q, K, V, out token-major
    private readonly int _imageLength;

    /// <summary>Prepares the buffers and packed weights for <paramref name="model"/>.</summary>
    public TransformerExecutor(TransformerModel model, TransformerWeights weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        if (model.Layers.Count == 0) throw new ArgumentException($"{model.Name}: the model has no layers");
        if (model.Timesteps < 1) throw new ArgumentException($"{model.Name}: T must be at least 1");
        Model = model;
        _imageLength = model.ImageChannels * model.ImageSize * model.ImageSize;
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [TransformerModel.ImageInput] = ImageIndex };
        var shapes = new List<(int C, int H, int W)> { (model.ImageChannels, model.ImageSize, model.ImageSize) };
        var binary = new List<bool> { false };
        _nodes = new Node[model.Layers.Count];
        int convScratch = 0, sdsaScratch = 0;
        for (var li = 0; li < model.Layers.Count; li++)
        {
            var layer = model.Layers[li];
            var inputs = new int[layer.Inputs.Count];
            for (var i = 0; i < inputs.Length; i++)
                inputs[i] = index.TryGetValue(layer.Inputs[i], out var at) ? at
                    : throw new ArgumentException($"{model.Name}: layer '{layer.Name}' reads '{layer.Inputs[i]}', which is not an earlier layer or the image");
            if (inputs.Length == 0) throw new ArgumentException($"{model.Name}: layer '{layer.Name}' has no inputs");
            if (!index.TryAdd(layer.Name, li + 1)) throw new ArgumentException($"{model.Name}: duplicate layer name '{layer.Name}'");
            var node = new Node(layer, inputs, layer.Channels * layer.Height * layer.Width);
            var inShape = shapes[inputs[0]];
            var outShape = (layer.Channels, layer.Height, layer.Width);
            void Expect(bool ok, string what)
            {
                if (!ok) throw new ArgumentException($"{model.Name}: layer '{layer.Name}' ({layer.Kind}): {what}");
            }
            void SameShapes()
            {
                foreach (var i in inputs) Expect(shapes[i] == outShape, $"input {shapes[i]} differs from its output shape {outShape}");
            }
            switch (layer.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.Linear:
                {
                    ConvGeometry g;
                    if (layer.Kind == LayerKind.Conv)
                    {
                        Expect(layer.InChannels == 0 || layer.InChannels == inShape.C, $"declares {layer.InChannels} input channels, its input has {inShape.C}");
                        g = new ConvGeometry(inShape.C, inShape.H, inShape.W, layer.Channels, layer.Kernel, layer.Stride, layer.Padding, layer.Groups);
                        Expect(g.OutHeight == layer.Height && g.OutWidth == layer.Width, $"computes {g.OutHeight}x{g.OutWidth}, the layer says {layer.Height}x{layer.Width}");
                    }
                    else
                    {
                        var features = inShape.C * inShape.H * inShape.W;
                        Expect(layer.InChannels == 0 || layer.InChannels == features, $"declares {layer.InChannels} inputs, its input has {features}");
                        Expect(layer.Height == 1 && layer.Width == 1, "a linear layer's output must be [C, 1, 1]");
                        g = ConvGeometry.Linear(features, layer.Channels);
                    }
                    var w = weights[layer.Name];
                    Expect(w.Weight.Length == g.WeightLength, $"weights have {w.Weight.Length} elements, expected {g.WeightLength}");
                    Expect(w.Bias.Length == 0 || w.Bias.Length == g.OutChannels, $"bias has {w.Bias.Length} elements, expected {g.OutChannels} or none");
                    node.Geometry = g;
                    node.Packed = new float[g.WeightLength];
                    SpikingConv.Pack(g, w.Weight, node.Packed);
                    node.Bias = w.Bias;
                    node.BinaryInput = binary[inputs[0]];
                    convScratch = Math.Max(convScratch, g.OutputLength);
                    break;
                }
                case LayerKind.Lif:
                    SameShapes();
                    Expect(layer.Threshold > 0, $"threshold {layer.Threshold} must be positive");
                    node.Membrane = new float[node.Length];
                    if (inputs.Length > 1) node.Sum = new float[node.Length];
                    break;
                case LayerKind.Add:
                case LayerKind.Scale:
                    SameShapes();
                    Expect(layer.Kind != LayerKind.Scale || inputs.Length == 1, "scale takes one input");
                    break;
                case LayerKind.MaxPool:
                    Expect(inputs.Length == 1 && inShape.C == layer.Channels, "max pooling keeps the channels of its one input");
                    Expect(Pooling.OutputSize(inShape.H, layer.Kernel, layer.Stride, layer.Padding) == layer.Height
                        && Pooling.OutputSize(inShape.W, layer.Kernel, layer.Stride, layer.Padding) == layer.Width,
                        $"pooling {inShape.H}x{inShape.W} does not give {layer.Height}x{layer.Width}");
                    break;
                case LayerKind.GlobalMean:
                    Expect(inputs.Length == 1 && inShape.C == layer.Channels && layer.Height == 1 && layer.Width == 1, "the spatial mean maps [C, H, W] to [C, 1, 1]");
                    break;
                case LayerKind.SdsaV1:
                case LayerKind.SdsaV2:
                    Expect(inputs.Length == 3, "attention takes Q, K and V");
                    SameShapes();
                    Expect(layer.Heads >= 1 && layer.Channels % layer.Heads == 0, $"{layer.Channels} channels are not divisible into {layer.Heads} heads");
                    if (layer.Kind == LayerKind.SdsaV1) node.Membrane = new float[layer.Channels];
                    sdsaScratch = Math.Max(sdsaScratch, node.Length);
                    break;
                default:
                    throw new NotSupportedException($"{model.Name}: layer '{layer.Name}' has unknown kind {layer.Kind}");
            }
            node.Output = new float[node.Length];
            node.InputShape = inShape;
            node.BinaryOutput = layer.Kind switch
            {
                LayerKind.Lif or LayerKind.SdsaV1 => true,
                LayerKind.MaxPool => binary[inputs[0]],
                _ => false,
            };
            shapes.Add(outShape);
            binary.Add(node.BinaryOutput);
            _nodes[li] = node;
        }
        _tensors = new float[_nodes.Length + 1][];
        _tensors[ImageIndex] = new float[_imageLength];
        for (var i = 0; i < _nodes.Length; i++) _tensors[i + 1] = _nodes[i].Output;
        _active = new long[_tensors.Length];
        foreach (var n in _nodes) n.InputTensors = n.Inputs.Select(i => _tensors[i]).ToArray();
        _convScratch = new float[convScratch];
        _sdsaScratch = new float[4 * sdsaScratch];
        SpikingLayers = _nodes.Where(n => n.BinaryOutput).Select(n => n.Layer.Name).ToArray();
    }

    /// <summary>The model being run.</summary>
    public TransformerModel Model { get; }

    /// <summary>Layers whose output is binary spikes (LIF, V1 attention, max pooling of spikes), in order.</summary>
    public IReadOnlyList<string> SpikingLayers { get; }

    /// <summary>
    /// Seeded random weights for a functional run of an untrained model (every draw from
    /// <see cref="Randomness.DeterministicRandom.ForComponent(ulong, string)"/> with the layer's
    /// name). Each conv and linear layer draws Kaiming-normal weights N(0, 2 / fan_in) with
    /// fan_in = (C_in / groups) k^2, a bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) where it has one, and
    /// a BatchNorm with gamma ~ N(1, 0.1^2), beta ~ N(0, 0.05^2), mean 0, variance 1, folded in.
    /// Untrained, such a network falls silent within a few spiking layers (Kaiming's variance
    /// assumes dense inputs, spikes at rate p carry p of it, and every LIF from rest needs a
    /// strong drive to fire within T = 4 steps), so the weights are then calibrated LSUV-style: the model is run layer by layer over all T
    /// timesteps on a seeded random image (N(0, 1) pixels, the normalised images the papers
    /// feed), and each layer's folded weight (not its bias) is multiplied by one factor, which is
    /// what a BatchNorm running variance measured on data would do. The factor makes the LIF the
    /// layer drives (through membrane-shortcut sums, scalings, pooling and spatial means) fire at
    /// <paramref name="targetFiringRate"/> (15 % by default) over the T steps, found by bisection
    /// within a factor 16 of the unit-variance scale; a layer that drives no LIF (inside RepConv
    /// or SepConv, the head) is scaled to unit output variance. The Q, K and V LIFs of every
    /// attention are set instead to the common rate (2 % to 45 %) at which the attention neurons
    /// (V1: the masked output; V2: the LIF after the 0.125 scaling) fire at 10 %: with few
    /// tokens (small images) attention needs denser Q, K, V, with many it needs sparser ones.
    /// Other images of the same statistics give rates close to the targets; images of other
    /// statistics do not (un-normalised pixels in [0, 1] have a third of the variance and
    /// leave the first stages of Meta-SpikeFormer at 1-3 %): normalise them, or pass one as
    /// <paramref name="calibrationImage"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="seed">Run seed; every layer draws from its own stream.</param>
    /// <param name="targetFiringRate">Rate of the hidden LIFs, in (0, 0.5).</param>
    /// <param name="calibrationImage">[C, H, W] image to calibrate on; default a seeded N(0, 1) image.</param>
    /// <param name="progress">Called with the share of layers calibrated (long for full-size models), or null.</param>
    public static TransformerWeights RandomWeights(TransformerModel model, ulong seed, double targetFiringRate = DefaultTargetFiringRate,
        float[]? calibrationImage = null, Action<double>? progress = null) =>
        RandomWeightInitialiser.Create(model, seed, targetFiringRate, calibrationImage, progress);

    /// <summary>
    /// Runs the model on one image [C, H, W] for up to T timesteps. After each timestep t (0-based)
    /// <paramref name="stopAfterStep"/>, if given, receives t and that timestep's class scores and
    /// may return true to stop there (early exit; e.g. Dynamic Confidence).
    /// </summary>
    /// <param name="image">[C, H, W].</param>
    /// <param name="stopAfterStep">Early-exit callback, or null.</param>
    /// <param name="hooks">Hardware models that compute attention and see every layer's tensors, or null.</param>
    public TransformerRunResult Run(ReadOnlySpan<float> image, Func<int, float[], bool>? stopAfterStep = null, TransformerExecutionHooks? hooks = null)
    {
        if (image.Length != _imageLength)
            throw new ArgumentException($"{Model.Name}: the image has {image.Length} elements, expected {Model.ImageChannels} x {Model.ImageSize} x {Model.ImageSize}");
        image.CopyTo(_tensors[ImageIndex]);
        _active[ImageIndex] = CountNonZero(_tensors[ImageIndex]);
        foreach (var n in _nodes) n.Membrane?.AsSpan().Clear();
        hooks?.RunStarted();

        var T = Model.Timesteps;
        if (stopAfterStep is null && hooks is { LayerByLayer: true } && T > 1) return RunLayerByLayer(hooks);
        var activity = new List<LayerActivity>(_nodes.Length * T);
        var scores = new List<float[]>(T);
        var spikes = new long[_nodes.Length][];
        for (var i = 0; i < _nodes.Length; i++) spikes[i] = new long[T];
        var stopped = false;
        var steps = 0;
        for (var t = 0; t < T && !stopped; t++)
        {
            for (var i = 0; i < _nodes.Length; i++)
            {
                var node = _nodes[i];
                var (ops, ands) = Execute(node, t, hooks);
                hooks?.LayerDone(node.Layer, t, node.InputTensors, node.BinaryInput, node.Output, ops);
                var active = CountNonZero(node.Output);
                _active[i + 1] = active;
                long inElements = 0, inActive = 0;
                foreach (var input in node.Inputs) { inElements += _tensors[input].Length; inActive += _active[input]; }
                activity.Add(new LayerActivity(node.Layer.Name, t, inElements, inActive, node.Length, active, ops, ands));
                spikes[i][t] = active;
            }
            var s = (float[])_nodes[^1].Output.Clone();
            scores.Add(s);
            steps = t + 1;
            if (stopAfterStep is not null && stopAfterStep(t, s) && steps < T) stopped = true;
        }

        return new TransformerRunResult(Model.Name, steps, scores, activity, Rates(spikes, steps), stopped);
    }

    /// <summary>
    /// The run layer by layer: each layer over all T timesteps (its membranes carry from one to the
    /// next) before the next layer, every layer's outputs of every timestep kept. Layers depend only
    /// on earlier layers at the same timestep and on their own state, so the outputs equal the
    /// timestep-by-timestep run's; the activity comes layer-major.
    /// </summary>
    private TransformerRunResult RunLayerByLayer(TransformerExecutionHooks hooks)
    {
        var T = Model.Timesteps;
        var outputs = new float[_nodes.Length][][];
        var active = new long[_tensors.Length][];
        active[ImageIndex] = new long[T];
        Array.Fill(active[ImageIndex], _active[ImageIndex]);
        var activity = new List<LayerActivity>(_nodes.Length * T);
        var spikes = new long[_nodes.Length][];
        try
        {
            for (var i = 0; i < _nodes.Length; i++)
            {
                var node = _nodes[i];
                outputs[i] = new float[T][];
                outputs[i][0] = node.Output;
                for (var t = 1; t < T; t++) outputs[i][t] = new float[node.Length];
                active[i + 1] = new long[T];
                spikes[i] = new long[T];
                for (var t = 0; t < T; t++)
                {
                    for (var k = 0; k < node.Inputs.Length; k++)
                    {
                        var input = node.Inputs[k];
                        if (input != ImageIndex) _tensors[input] = outputs[input - 1][t];
                        node.InputTensors[k] = _tensors[input];
                    }
                    node.Output = outputs[i][t];
                    _tensors[i + 1] = node.Output;
                    var (ops, ands) = Execute(node, t, hooks);
                    hooks.LayerDone(node.Layer, t, node.InputTensors, node.BinaryInput, node.Output, ops);
                    var count = CountNonZero(node.Output);
                    active[i + 1][t] = count;
                    long inElements = 0, inActive = 0;
                    foreach (var input in node.Inputs) { inElements += _tensors[input].Length; inActive += active[input][t]; }
                    activity.Add(new LayerActivity(node.Layer.Name, t, inElements, inActive, node.Length, count, ops, ands));
                    spikes[i][t] = count;
                }
            }
        }
        finally
        {
            // Back to the buffers of timestep 0 (the executor's own) for the next run.
            for (var i = 0; i < _nodes.Length; i++)
                if (outputs[i] is { } own) { _nodes[i].Output = own[0]; _tensors[i + 1] = own[0]; }
            foreach (var n in _nodes)
                for (var k = 0; k < n.Inputs.Length; k++) n.InputTensors[k] = _tensors[n.Inputs[k]];
        }
        var scores = outputs[^1].Select(o => (float[])o.Clone()).ToList<float[]>();
        for (var i = 0; i < _nodes.Length; i++) _active[i + 1] = active[i + 1][T - 1];
        return new TransformerRunResult(Model.Name, T, scores, activity, Rates(spikes, T), false);
    }

    private List<LayerFiringRate> Rates(long[][] spikes, int steps)
    {
        var rates = new List<LayerFiringRate>();
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (!_nodes[i].BinaryOutput) continue;
            var len = (double)_nodes[i].Length;
            var per = new double[steps];
            long total = 0;
            for (var t = 0; t < steps; t++) { per[t] = spikes[i][t] / len; total += spikes[i][t]; }
            rates.Add(new LayerFiringRate(_nodes[i].Layer.Name, total / (len * steps), per));
        }
        return rates;
    }

    private (long Ops, long Ands) Execute(Node node, int t, TransformerExecutionHooks? hooks)
    {
        var layer = node.Layer;
        var output = node.Output.AsSpan();
        switch (layer.Kind)
        {
            case LayerKind.Conv:
            case LayerKind.Linear:
                if (hooks is not null && hooks.TryLayer(layer, t, _tensors[node.Inputs[0]], node.BinaryInput, output, out var layerOps)) return (layerOps, 0);
                return (SpikingConv.ForwardPacked(node.Geometry, _tensors[node.Inputs[0]], node.Packed, node.Bias, output, _convScratch, node.BinaryInput), 0);
            case LayerKind.Lif:
            {
                ReadOnlySpan<float> x = _tensors[node.Inputs[0]];
                if (node.Sum is not null)
                {
                    SumInputs(node, node.Sum);
                    x = node.Sum;
                }
                if (hooks is not null && hooks.TryLayer(layer, t, x, false, output, out _)) return (0, 0);
                MultiStepLif.Step(node.Membrane!, x, output, (float)layer.Threshold);
                return (0, 0);
            }
            case LayerKind.Add:
                SumInputs(node, output);
                return (0, 0);
            case LayerKind.Scale:
                TensorPrimitives.Multiply(_tensors[node.Inputs[0]], (float)layer.Factor, output);
                return (0, 0);
            case LayerKind.MaxPool:
            {
                var (c, h, w) = node.InputShape;
                Pooling.MaxPool(_tensors[node.Inputs[0]], c, h, w, layer.Kernel, layer.Stride, layer.Padding, output);
                return (0, 0);
            }
            case LayerKind.GlobalMean:
                Pooling.GlobalMean(_tensors[node.Inputs[0]], layer.Channels, output);
                return (0, 0);
            case LayerKind.SdsaV1:
            case LayerKind.SdsaV2:
            {
                int d = layer.Channels, n = layer.Height * layer.Width, len = node.Length;
                var q = _sdsaScratch.AsSpan(0, len);
                var k = _sdsaScratch.AsSpan(len, len);
                var v = _sdsaScratch.AsSpan(2 * len, len);
                var o = _sdsaScratch.AsSpan(3 * len, len);
                ToTokenMajor(_tensors[node.Inputs[0]], d, n, q);
                ToTokenMajor(_tensors[node.Inputs[1]], d, n, k);
                ToTokenMajor(_tensors[node.Inputs[2]], d, n, v);
                if (hooks is not null && hooks.TryAttention(layer, t, q, k, v, node.Membrane ?? Span<float>.Empty, o, out var hAdds, out var hAnds))
                {
                    ToChannelMajor(o, d, n, output);
                    return (hAdds, hAnds);
                }
                var ops = layer.Kind == LayerKind.SdsaV1
                    ? Sdsa.V1(q, k, v, n, d, node.Membrane!, o, layer.Heads, (float)layer.Threshold)
                    : Sdsa.V2(q, k, v, n, d, layer.Heads, o);
                ToChannelMajor(o, d, n, output);
                return (ops.Adds, ops.Ands);
            }
            default:
                throw new NotSupportedException(layer.Kind.ToString());
        }
    }

    private void SumInputs(Node node, Span<float> into)
    {
        _tensors[node.Inputs[0]].AsSpan().CopyTo(into);
        for (var i = 1; i < node.Inputs.Length; i++) TensorPrimitives.Add(into, _tensors[node.Inputs[i]], into);
    }

    /// <summary>[D, N] -&gt; [N, D].</summary>
    private static void ToTokenMajor(ReadOnlySpan<float> src, int channels, int tokens, Span<float> dst)
    {
        for (var c = 0; c < channels; c++)
        {
            var row = src.Slice(c * tokens, tokens);
            for (var n = 0; n < tokens; n++) dst[n * channels + c] = row[n];
        }
    }

    /// <summary>[N, D] -&gt; [D, N].</summary>
    private static void ToChannelMajor(ReadOnlySpan<float> src, int channels, int tokens, Span<float> dst)
    {
        for (var c = 0; c < channels; c++)
        {
            var row = dst.Slice(c * tokens, tokens);
            for (var n = 0; n < tokens; n++) row[n] = src[n * channels + c];
        }
    }

    /// <summary>Non-zero elements.</summary>
    internal static long CountNonZero(ReadOnlySpan<float> x)
    {
        long zeros = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<int>.Zero;
            var lanes = 0;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                acc -= Vector.Equals(new Vector<float>(x[i..]), Vector<float>.Zero);
                if (++lanes == 1 << 20) { zeros += Vector.Sum(acc); acc = Vector<int>.Zero; lanes = 0; }
            }
            zeros += Vector.Sum(acc);
        }
        for (; i < x.Length; i++) if (x[i] == 0f) zeros++;
        return x.Length - zeros;
    }

    private sealed class Node(ModelLayer layer, int[] inputs, int length)
    {
        public ModelLayer Layer { get; } = layer;
        public int[] Inputs { get; } = inputs;
        public int Length { get; } = length;
        public float[] Output { get; set; } = [];
        public bool BinaryOutput { get; set; }
        public bool BinaryInput { get; set; }
        public (int C, int H, int W) InputShape { get; set; }
        public ConvGeometry Geometry { get; set; }
        public float[] Packed { get; set; } = [];
        public float[] Bias { get; set; } = [];
        public float[]? Membrane { get; set; }
        public float[]? Sum { get; set; }
        public float[][] InputTensors { get; set; } = [];
    }
}
