namespace Neuromorphic.Sim.Networks;

/// <summary>
/// A 1-D or 2-D convolution as PyTorch and NIR define it: weight [C_out, C_in / groups, k(, k)],
/// optional bias, stride, zero padding, dilation and groups; input [C_in, L] or [C_in, H, W].
/// A 1-D convolution runs as a 2-D one of height 1.
/// </summary>
public sealed record ConvNode : Node
{
    /// <summary>Creates the convolution; per-dimension arrays have one entry per spatial dimension.</summary>
    /// <param name="name">Node name.</param>
    /// <param name="weight">Weights, row-major [C_out, C_in/groups, k...].</param>
    /// <param name="weightShape">Shape of <paramref name="weight"/> (rank 3 or 4).</param>
    /// <param name="bias">Bias per output channel, or null.</param>
    /// <param name="stride">Stride per spatial dimension.</param>
    /// <param name="padding">Zero padding per spatial dimension (both sides).</param>
    /// <param name="dilation">Dilation per spatial dimension.</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="inputSpatial">Input spatial size (L or H, W), as NIR's <c>input_shape</c>.</param>
    public ConvNode(string name, float[] weight, int[] weightShape, float[]? bias, int[] stride, int[] padding,
        int[] dilation, int groups, int[] inputSpatial) : base(name)
    {
        var dims = weightShape.Length - 2;
        if (dims is not (1 or 2)) throw new ArgumentException($"node '{name}': convolution weight must have rank 3 or 4, found {Shape.Format(weightShape)}");
        if (Shape.Size(weightShape) != weight.Length) throw new ArgumentException($"node '{name}': weight has {weight.Length} values, shape {Shape.Format(weightShape)}");
        foreach (var (label, a) in new[] { ("stride", stride), ("padding", padding), ("dilation", dilation), ("input_shape", inputSpatial) })
            if (a.Length != dims) throw new ArgumentException($"node '{name}': {label} has {a.Length} entries, expected {dims}");
        if (groups < 1 || weightShape[0] % groups != 0) throw new ArgumentException($"node '{name}': {weightShape[0]} output channels do not split into {groups} groups");
        if (stride.Any(s => s < 1) || dilation.Any(d => d < 1) || padding.Any(p => p < 0))
            throw new ArgumentException($"node '{name}': stride and dilation must be >= 1 and padding >= 0");
        if (bias is not null && bias.Length != weightShape[0]) throw new ArgumentException($"node '{name}': bias has {bias.Length} values, expected {weightShape[0]}");
        Weight = weight; WeightShape = weightShape; Bias = bias; Stride = stride; Padding = padding; Dilation = dilation;
        Groups = groups; InputSpatial = inputSpatial;
        var outSpatial = new int[dims];
        for (var d = 0; d < dims; d++)
        {
            var k = weightShape[2 + d];
            outSpatial[d] = (inputSpatial[d] + 2 * padding[d] - dilation[d] * (k - 1) - 1) / stride[d] + 1;
            if (outSpatial[d] < 1) throw new ArgumentException($"node '{name}': kernel larger than the padded input");
        }
        OutputSpatial = outSpatial;
    }

    /// <summary>Weights [C_out, C_in/groups, k...], row-major.</summary>
    public float[] Weight { get; }
    /// <summary>Shape of the weights.</summary>
    public int[] WeightShape { get; }
    /// <summary>Bias per output channel, or null.</summary>
    public float[]? Bias { get; }
    /// <summary>Stride per spatial dimension.</summary>
    public int[] Stride { get; }
    /// <summary>Zero padding per spatial dimension.</summary>
    public int[] Padding { get; }
    /// <summary>Dilation per spatial dimension.</summary>
    public int[] Dilation { get; }
    /// <summary>Number of groups.</summary>
    public int Groups { get; }
    /// <summary>Input spatial size.</summary>
    public int[] InputSpatial { get; }
    /// <summary>Output spatial size.</summary>
    public int[] OutputSpatial { get; }
    /// <summary>Number of spatial dimensions (1 or 2).</summary>
    public int Dimensions => WeightShape.Length - 2;
    /// <summary>Input channels.</summary>
    public int InputChannels => WeightShape[1] * Groups;
    /// <summary>Output channels.</summary>
    public int OutputChannels => WeightShape[0];

    /// <inheritdoc />
    public override string NirType => Dimensions == 1 ? "Conv1d" : "Conv2d";
    /// <inheritdoc />
    public override int[]? InputShape => [InputChannels, .. InputSpatial];
    /// <inheritdoc />
    public override int[]? OutputShape => [OutputChannels, .. OutputSpatial];
    /// <inheritdoc />
    public override long SynapseCount => Weight.LongCount(w => w != 0);
    /// <inheritdoc />
    public override long ParameterCount => Weight.Length + (Bias?.Length ?? 0);
}
