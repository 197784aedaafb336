using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers.Operators;

namespace Neuromorphic.Sim.Transformers.Execution;

/// <summary>
/// Seeded random weights for functional runs of untrained spike-driven transformers, calibrated
/// so that the hidden LIFs neither fall silent nor saturate; see
/// <see cref="TransformerExecutor.RandomWeights"/> for the rules. The calibration runs the model
/// layer by layer over all T timesteps on a seeded random image (LSUV-style) and fixes one scale
/// per conv or linear layer.
/// </summary>
internal sealed class RandomWeightInitialiser
{
    /// <summary>Firing rate the hidden LIFs are calibrated to.</summary>
    public const double DefaultTargetRate = 0.15;

    /// <summary>Firing rate the attention neurons are calibrated to (through their Q, K and V rates).</summary>
    public const double AttentionTargetRate = 0.10;

    /// <summary>Range of the Q, K, V firing rates searched for the attention target.</summary>
    public const double MinQkvRate = 0.02, MaxQkvRate = 0.45;

    /// <summary>Scales are searched within this factor of the unit-variance scale.</summary>
    private const double ScaleRange = 16;

    private const int Bisections = 20;

    private readonly TransformerModel _model;
    private readonly int _t;
    private readonly double _target;
    private readonly Dictionary<string, ModelLayer> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ModelLayer>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int C, int H, int W)> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _binary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[][]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Conv> _convs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastUse = new(StringComparer.Ordinal);
    private float[] _scratch = [];
    private Action<double>? _progress;

    private sealed class Conv(ConvGeometry geometry, float[] weight, float[] bias, bool binaryInput)
    {
        public ConvGeometry Geometry { get; } = geometry;
        public float[] Weight { get; } = weight;       // BN folded, before the calibrated scale
        public float[] Bias { get; } = bias;           // BN folded (not scaled)
        public bool BinaryInput { get; } = binaryInput;
        public float[][] Raw { get; set; } = [];       // W x per timestep, without bias
        public double Scale { get; set; } = 1;
    }

    private RandomWeightInitialiser(TransformerModel model, double target)
    {
        _model = model;
        _t = model.Timesteps;
        _target = target;
    }

    public static TransformerWeights Create(TransformerModel model, ulong seed, double targetRate, float[]? calibrationImage, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(targetRate > 0 && targetRate < 0.5)) throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "the target firing rate must lie in (0, 0.5)");
        if (model.Timesteps < 1) throw new ArgumentException($"{model.Name}: T must be at least 1");
        var length = model.ImageChannels * model.ImageSize * model.ImageSize;
        if (calibrationImage is not null && calibrationImage.Length != length)
            throw new ArgumentException($"{model.Name}: the calibration image has {calibrationImage.Length} elements, expected {length}", nameof(calibrationImage));
        return new RandomWeightInitialiser(model, targetRate) { _progress = progress }.Run(seed, calibrationImage);
    }

    private TransformerWeights Run(ulong seed, float[]? calibrationImage)
    {
        var m = _model;
        _shapes[TransformerModel.ImageInput] = (m.ImageChannels, m.ImageSize, m.ImageSize);
        _binary[TransformerModel.ImageInput] = false;
        for (var i = 0; i < m.Layers.Count; i++)
        {
            var l = m.Layers[i];
            _byName[l.Name] = l;
            foreach (var input in l.Inputs)
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = new();
                list.Add(l);
                _lastUse[input] = i;
            }
        }

        // The calibration image: the caller's, or one normalised like the papers' inputs (mean 0, std 1 per pixel).
        var image = calibrationImage;
        if (image is null)
        {
            var imageRng = DeterministicRandom.ForComponent(seed, "transformer.weights/calibration-image");
            image = new float[m.ImageChannels * m.ImageSize * m.ImageSize];
            for (var i = 0; i < image.Length; i++) image[i] = (float)imageRng.NextNormal();
        }
        _values[TransformerModel.ImageInput] = Enumerable.Repeat(image, _t).ToArray();

        for (var i = 0; i < m.Layers.Count; i++)
        {
            var layer = m.Layers[i];
            foreach (var input in layer.Inputs)
                if (!_values.ContainsKey(input))
                    throw new ArgumentException($"{m.Name}: layer '{layer.Name}' reads '{input}', which is not an earlier layer or the image");
            var inShape = _shapes[layer.Inputs[0]];
            _shapes[layer.Name] = (layer.Channels, layer.Height, layer.Width);
            _binary[layer.Name] = layer.Kind switch
            {
                LayerKind.Lif or LayerKind.SdsaV1 => true,
                LayerKind.MaxPool => _binary[layer.Inputs[0]],
                _ => false,
            };
            switch (layer.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.Linear:
                    _values[layer.Name] = Weighted(layer, inShape, seed);
                    break;
                case LayerKind.SdsaV1:
                case LayerKind.SdsaV2:
                    CalibrateAttention(layer);
                    _values[layer.Name] = Apply(layer);
                    break;
                default:
                    _values[layer.Name] = Apply(layer);
                    break;
            }
            // Free what no later layer reads (Q, K, V pre-activations stay with their conv until the attention).
            foreach (var input in layer.Inputs)
                if (_lastUse[input] == i && input != TransformerModel.ImageInput) _values.Remove(input);
            _progress?.Invoke((i + 1) / (double)m.Layers.Count);
        }

        var weights = new Dictionary<string, LayerWeights>(StringComparer.Ordinal);
        foreach (var (name, conv) in _convs)
        {
            var w = new float[conv.Weight.Length];
            for (var i = 0; i < w.Length; i++) w[i] = (float)(conv.Weight[i] * conv.Scale);
            weights[name] = new LayerWeights(w, conv.Bias);
        }
        return new TransformerWeights(weights);
    }

    /// <summary>
    /// Draws a conv or linear layer (Kaiming normal, BN folded), computes W x on its input for
    /// every timestep, and fixes its scale: to the target rate of the LIF it drives (through
    /// sums, scalings, pooling and means), else to unit standard deviation.
    /// </summary>
    private float[][] Weighted(ModelLayer layer, (int C, int H, int W) inShape, ulong seed)
    {
        var rng = DeterministicRandom.ForComponent(seed, "transformer.weights/" + layer.Name);
        var g = layer.Kind == LayerKind.Linear
            ? ConvGeometry.Linear(inShape.C * inShape.H * inShape.W, layer.Channels)
            : new ConvGeometry(inShape.C, inShape.H, inShape.W, layer.Channels, layer.Kernel, layer.Stride, layer.Padding, layer.Groups);
        if (g.OutputLength != layer.Channels * layer.Height * layer.Width)
            throw new ArgumentException($"{_model.Name}: layer '{layer.Name}' computes {g.OutChannels}x{g.OutHeight}x{g.OutWidth}, the layer says {layer.Channels}x{layer.Height}x{layer.Width}");
        var fanIn = (double)g.InChannelsPerGroup * g.Kernel * g.Kernel;
        var w = new float[g.WeightLength];
        var sigma = Math.Sqrt(2 / fanIn);
        for (var i = 0; i < w.Length; i++) w[i] = (float)rng.NextNormal(0, sigma);
        float[]? bias = null;
        if (layer.Bias)
        {
            bias = new float[g.OutChannels];
            var bound = 1 / Math.Sqrt(fanIn);
            for (var i = 0; i < bias.Length; i++) bias[i] = (float)rng.NextDouble(-bound, bound);
        }
        if (layer.BatchNorm)
        {
            var c = g.OutChannels;
            float[] gamma = new float[c], beta = new float[c], mean = new float[c], variance = new float[c];
            for (var i = 0; i < c; i++)
            {
                gamma[i] = (float)rng.NextNormal(1, 0.1);
                beta[i] = (float)rng.NextNormal(0, 0.05);
                variance[i] = 1f;
            }
            (w, bias) = BatchNormFolding.Fold(w, bias, gamma, beta, mean, variance);
        }
        var conv = new Conv(g, w, bias ?? [], _binary[layer.Inputs[0]]);
        _convs[layer.Name] = conv;

        var packed = new float[g.WeightLength];
        SpikingConv.Pack(g, w, packed);
        if (_scratch.Length < g.OutputLength) _scratch = new float[g.OutputLength];
        var input = _values[layer.Inputs[0]];
        conv.Raw = new float[_t][];
        for (var t = 0; t < _t; t++)
        {
            conv.Raw[t] = new float[g.OutputLength];
            SpikingConv.ForwardPacked(g, input[t], packed, default, conv.Raw[t], _scratch, conv.BinaryInput);
        }

        var unit = UnitScale(conv.Raw);
        var chain = DrivenLif(layer.Name);
        conv.Scale = chain is null ? unit : ScaleForRate(layer.Name, conv, chain, _target, unit);
        var output = Scaled(conv, conv.Scale);
        var feedsAttention = chain is [{ Kind: LayerKind.Lif } lif] && _consumers.TryGetValue(lif.Name, out var users)
            && users.Any(u => u.Kind is LayerKind.SdsaV1 or LayerKind.SdsaV2);
        if (!feedsAttention) conv.Raw = [];
        return output;
    }

    /// <summary>
    /// Attention sees coincidences of three spike trains, so at the rates that suit the other LIFs
    /// its neurons die in small models (few tokens) and saturate in large ones. The rate of its Q,
    /// K and V LIFs is chosen by bisection in [<see cref="MinQkvRate"/>, <see cref="MaxQkvRate"/>]
    /// so that the attention output (V1: the masked output; V2: the first LIF after the scaling)
    /// fires at <see cref="AttentionTargetRate"/>, and the three convs are rescaled to that rate.
    /// </summary>
    private void CalibrateAttention(ModelLayer attention)
    {
        var sources = new List<(ModelLayer Lif, string ConvName, Conv Conv)>();
        foreach (var input in attention.Inputs)
        {
            if (!_byName.TryGetValue(input, out var lif) || lif.Kind != LayerKind.Lif || lif.Inputs.Count != 1) return;
            if (!_convs.TryGetValue(lif.Inputs[0], out var conv) || conv.Raw.Length == 0) return;
            if (sources.Any(s => s.Lif.Name == lif.Name)) continue;
            sources.Add((lif, lif.Inputs[0], conv));
        }

        // The attention neurons: V1's output itself, or V2's first LIF after Scale layers.
        var after = new List<ModelLayer>();
        if (attention.Kind == LayerKind.SdsaV2)
        {
            var at = attention.Name;
            while (true)
            {
                if (!_consumers.TryGetValue(at, out var users) || users.Count != 1) return;
                var u = users[0];
                after.Add(u);
                if (u.Kind == LayerKind.Lif && u.Inputs.Count == 1) break;
                if (u.Kind != LayerKind.Scale) return;
                at = u.Name;
            }
        }

        double AttentionRate(double p)
        {
            foreach (var (lif, convName, conv) in sources)
            {
                conv.Scale = ScaleForRate(convName, conv, [lif], p, UnitScale(conv.Raw));
                _values[lif.Name] = RunChain(Scaled(conv, conv.Scale), [lif]);
            }
            var x = Apply(attention);
            foreach (var l in after)
            {
                var current = x;
                x = Apply(l, _ => current);
            }
            return SpikeRate(x);
        }

        double lo = MinQkvRate, hi = MaxQkvRate;
        if (AttentionRate(hi) <= AttentionTargetRate) lo = hi;
        else if (AttentionRate(lo) >= AttentionTargetRate) hi = lo;
        for (var i = 0; i < 10 && hi - lo > 1e-3; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (AttentionRate(mid) < AttentionTargetRate) lo = mid; else hi = mid;
        }
        AttentionRate(0.5 * (lo + hi)); // leaves the chosen scales and Q, K, V spikes in place
        foreach (var (_, _, conv) in sources) conv.Raw = [];
    }

    /// <summary>
    /// The LIF a layer drives: following its consumers through Add (whose other inputs are
    /// already computed), Scale, MaxPool and GlobalMean, preferring a LIF consumer at every step.
    /// Returns the chain of layers ending with that LIF, or null.
    /// </summary>
    private List<ModelLayer>? DrivenLif(string name)
    {
        var chain = new List<ModelLayer>();
        var at = name;
        for (var depth = 0; depth < 16; depth++)
        {
            if (!_consumers.TryGetValue(at, out var users) || users.Count == 0) return null;
            var next = users.FirstOrDefault(u => u.Kind == LayerKind.Lif)
                ?? users.FirstOrDefault(u => u.Kind is LayerKind.Add or LayerKind.Scale or LayerKind.MaxPool or LayerKind.GlobalMean);
            if (next is null) return null;
            foreach (var other in next.Inputs)
                if (other != at && !_values.ContainsKey(other)) return null;
            chain.Add(next);
            if (next.Kind == LayerKind.Lif) return chain;
            at = next.Name;
        }
        return null;
    }

    /// <summary>Scale (geometric bisection within <see cref="ScaleRange"/> of <paramref name="unit"/>) that gives the chain's LIF the rate.</summary>
    private double ScaleForRate(string name, Conv conv, List<ModelLayer> chain, double rate, double unit)
    {
        double Rate(double a) => SpikeRate(RunChain(Scaled(conv, a), chain, name));
        double lo = unit / ScaleRange, hi = unit * ScaleRange;
        if (Rate(hi) <= rate) return hi;
        if (Rate(lo) >= rate) return lo;
        for (var i = 0; i < Bisections; i++)
        {
            var mid = Math.Sqrt(lo * hi);
            if (Rate(mid) < rate) lo = mid; else hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }

    /// <summary>Runs the layers of a chain on <paramref name="x"/> (the output of <paramref name="from"/>, or of the chain's first input).</summary>
    private float[][] RunChain(float[][] x, List<ModelLayer> chain, string? from = null)
    {
        var prev = from ?? chain[0].Inputs[0];
        foreach (var l in chain)
        {
            var name = prev;
            var current = x;
            x = Apply(l, input => input == name ? current : null);
            prev = l.Name;
        }
        return x;
    }

    /// <summary>
    /// Evaluates a non-weighted layer over all timesteps. <paramref name="substitute"/> may supply
    /// an input's values by name (null: the stored ones).
    /// </summary>
    private float[][] Apply(ModelLayer layer, Func<string, float[][]?>? substitute = null)
    {
        float[][] In(int i) => substitute?.Invoke(layer.Inputs[i]) ?? _values[layer.Inputs[i]];
        var len = layer.Channels * layer.Height * layer.Width;
        var output = new float[_t][];
        for (var t = 0; t < _t; t++) output[t] = new float[len];
        switch (layer.Kind)
        {
            case LayerKind.Lif:
            {
                var membrane = new float[len];
                var sum = new float[len];
                for (var t = 0; t < _t; t++)
                {
                    In(0)[t].AsSpan().CopyTo(sum);
                    for (var i = 1; i < layer.Inputs.Count; i++) Add(sum, In(i)[t]);
                    MultiStepLif.Step(membrane, sum, output[t], (float)layer.Threshold);
                }
                break;
            }
            case LayerKind.Add:
                for (var t = 0; t < _t; t++)
                {
                    In(0)[t].AsSpan().CopyTo(output[t]);
                    for (var i = 1; i < layer.Inputs.Count; i++) Add(output[t], In(i)[t]);
                }
                break;
            case LayerKind.Scale:
                for (var t = 0; t < _t; t++)
                    for (var i = 0; i < len; i++) output[t][i] = (float)(In(0)[t][i] * layer.Factor);
                break;
            case LayerKind.MaxPool:
            {
                var (c, h, w) = _shapes[layer.Inputs[0]];
                for (var t = 0; t < _t; t++) Pooling.MaxPool(In(0)[t], c, h, w, layer.Kernel, layer.Stride, layer.Padding, output[t]);
                break;
            }
            case LayerKind.GlobalMean:
                for (var t = 0; t < _t; t++) Pooling.GlobalMean(In(0)[t], layer.Channels, output[t]);
                break;
            case LayerKind.SdsaV1:
            case LayerKind.SdsaV2:
            {
                int d = layer.Channels, n = layer.Height * layer.Width;
                float[] q = new float[len], k = new float[len], v = new float[len], o = new float[len], membrane = new float[d];
                for (var t = 0; t < _t; t++)
                {
                    Transpose(In(0)[t], d, n, q);
                    Transpose(In(1)[t], d, n, k);
                    Transpose(In(2)[t], d, n, v);
                    if (layer.Kind == LayerKind.SdsaV1) Sdsa.V1(q, k, v, n, d, membrane, o, Math.Max(1, layer.Heads), (float)layer.Threshold);
                    else Sdsa.V2(q, k, v, n, d, Math.Max(1, layer.Heads), o);
                    Transpose(o, n, d, output[t]);
                }
                break;
            }
            default:
                throw new NotSupportedException($"{_model.Name}: layer '{layer.Name}' has unknown kind {layer.Kind}");
        }
        return output;
    }

    private float[][] Scaled(Conv conv, double scale)
    {
        var output = new float[_t][];
        var a = (float)scale;
        for (var t = 0; t < _t; t++)
        {
            var raw = conv.Raw[t];
            var y = output[t] = new float[raw.Length];
            var positions = raw.Length / conv.Geometry.OutChannels;
            for (var c = 0; c < conv.Geometry.OutChannels; c++)
            {
                var b = conv.Bias.Length == 0 ? 0f : conv.Bias[c];
                for (var i = c * positions; i < (c + 1) * positions; i++) y[i] = raw[i] * a + b;
            }
        }
        return output;
    }

    /// <summary>1 / (root mean square of W x over all elements and timesteps), 1 if it is all zero.</summary>
    private static double UnitScale(float[][] raw)
    {
        double sum = 0;
        long n = 0;
        foreach (var r in raw)
        {
            foreach (var x in r) sum += (double)x * x;
            n += r.Length;
        }
        return sum > 0 ? 1 / Math.Sqrt(sum / n) : 1;
    }

    private static double SpikeRate(float[][] x)
    {
        long active = 0, n = 0;
        foreach (var r in x)
        {
            active += TransformerExecutor.CountNonZero(r);
            n += r.Length;
        }
        return n == 0 ? 0 : (double)active / n;
    }

    private static void Add(Span<float> into, ReadOnlySpan<float> x) => System.Numerics.Tensors.TensorPrimitives.Add(into, x, into);

    /// <summary>[rows, cols] -&gt; [cols, rows].</summary>
    private static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
    }
}
