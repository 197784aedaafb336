namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// Shape of a 2-D convolution on one [C_in, H, W] input (PyTorch <c>nn.Conv2d</c> with square
/// kernel, stride and zero padding, no dilation): weights [C_out, C_in / groups, k, k], output
/// [C_out, H', W'] with H' = floor((H + 2 p - k) / s) + 1. A fully connected layer is the 1x1
/// convolution of a [C_in, 1, 1] input (<see cref="Linear"/>), whose weight [out, in] is
/// PyTorch's <c>nn.Linear</c> layout.
/// </summary>
public readonly record struct ConvGeometry
{
    /// <summary>Creates and checks a geometry.</summary>
    public ConvGeometry(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1)
    {
        if (inChannels < 1 || inHeight < 1 || inWidth < 1 || outChannels < 1)
            throw new ArgumentException($"conv: sizes must be positive (C_in {inChannels}, H {inHeight}, W {inWidth}, C_out {outChannels})");
        if (kernel < 1 || stride < 1 || padding < 0 || groups < 1)
            throw new ArgumentException($"conv: kernel {kernel}, stride {stride}, padding {padding}, groups {groups} out of range");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"conv: {inChannels} -> {outChannels} channels are not divisible into {groups} groups");
        if (inHeight + 2 * padding < kernel || inWidth + 2 * padding < kernel)
            throw new ArgumentException($"conv: a {kernel}x{kernel} kernel does not fit a padded {inHeight}x{inWidth} input");
        InChannels = inChannels; InHeight = inHeight; InWidth = inWidth; OutChannels = outChannels;
        Kernel = kernel; Stride = stride; Padding = padding; Groups = groups;
    }

    /// <summary>The geometry of a fully connected layer <paramref name="inFeatures"/> -&gt; <paramref name="outFeatures"/>.</summary>
    public static ConvGeometry Linear(int inFeatures, int outFeatures) => new(inFeatures, 1, 1, outFeatures, 1);

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Input height.</summary>
    public int InHeight { get; }
    /// <summary>Input width.</summary>
    public int InWidth { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size (square).</summary>
    public int Kernel { get; }
    /// <summary>Stride.</summary>
    public int Stride { get; }
    /// <summary>Zero padding on every border.</summary>
    public int Padding { get; }
    /// <summary>Groups (= channels for a depthwise conv).</summary>
    public int Groups { get; }

    /// <summary>Output height.</summary>
    public int OutHeight => (InHeight + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OutWidth => (InWidth + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Input channels seen by one output channel.</summary>
    public int InChannelsPerGroup => InChannels / Groups;
    /// <summary>Output channels per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;
    /// <summary>Elements of the input.</summary>
    public int InputLength => InChannels * InHeight * InWidth;
    /// <summary>Elements of the output.</summary>
    public int OutputLength => OutChannels * OutHeight * OutWidth;
    /// <summary>Elements of the weight tensor [C_out, C_in / groups, k, k].</summary>
    public int WeightLength => OutChannels * InChannelsPerGroup * Kernel * Kernel;
    /// <summary>FLOPs as the papers count them: k^2 H' W' C_in C_out / groups (padding taps included).</summary>
    public long Flops => (long)Kernel * Kernel * OutHeight * OutWidth * InChannelsPerGroup * OutChannels;
}
