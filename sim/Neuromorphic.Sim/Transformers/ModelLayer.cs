namespace Neuromorphic.Sim.Transformers;

/// <summary>
/// One layer of a spike-driven transformer as plain data: what it computes, where its inputs come
/// from (layer names; <c>image</c> is the network input), its per-timestep output shape
/// [C, H, W] (tokens = H x W), and for weighted layers the kernel, parameters and FLOPs as the
/// papers count them. The functional executor and the hardware model both read this list.
/// </summary>
public sealed record ModelLayer
{
    /// <summary>Unique name, dotted by stage and block (e.g. <c>stage3.block2.attn.q_conv</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What it computes.</summary>
    public required LayerKind Kind { get; init; }

    /// <summary>Names of the layers feeding it, in order (Q, K, V for attention).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Output channels.</summary>
    public required int Channels { get; init; }

    /// <summary>Output height.</summary>
    public required int Height { get; init; }

    /// <summary>Output width.</summary>
    public required int Width { get; init; }

    /// <summary>Conv/Linear: input channels (features).</summary>
    public int InChannels { get; init; }

    /// <summary>Conv: kernel size (square); pooling: window.</summary>
    public int Kernel { get; init; } = 1;

    /// <summary>Conv/pooling: stride.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Conv/pooling: zero padding.</summary>
    public int Padding { get; init; }

    /// <summary>Conv: groups (channels for depthwise).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Conv/Linear: has a bias.</summary>
    public bool Bias { get; init; }

    /// <summary>Conv: followed by BatchNorm (folded into the conv at inference; its scale and shift count as parameters).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Conv/Linear: the input is binary spikes (false only for the encoding conv that sees the image).</summary>
    public bool SpikingInput { get; init; } = true;

    /// <summary>LIF: firing threshold (1.0; 0.5 for attention neurons).</summary>
    public double Threshold { get; init; } = 1.0;

    /// <summary>Attention: heads.</summary>
    public int Heads { get; init; } = 1;

    /// <summary>Scale: the factor.</summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>Parameters as PyTorch counts them (weights, biases, BatchNorm scale and shift; no running statistics).</summary>
    public long Parameters { get; init; }

    /// <summary>
    /// FLOPs per timestep and sample as the papers count them: conv k^2 h w c_in c_out / groups (h, w
    /// of the output), linear in x out; attention its binary matrix products; 0 for the rest.
    /// </summary>
    public long Flops { get; init; }

    /// <summary>Elements of the output per timestep.</summary>
    public long OutputElements => (long)Channels * Height * Width;
}
