namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>
/// The counting rules the model builders use: output sizes, parameters as PyTorch counts them
/// and FLOPs as the spike-driven transformer papers count them.
/// </summary>
public static class ModelCounts
{
    /// <summary>Output size of a convolution or pooling window: floor((n + 2 p - k) / s) + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding) =>
        (input + 2 * padding - kernel) / stride + 1;

    /// <summary>
    /// Parameters of a conv as PyTorch counts them: k^2 (c_in / groups) c_out weights, c_out biases
    /// if <paramref name="bias"/>, and 2 c_out (scale and shift; running statistics are buffers, not
    /// parameters) per BatchNorm that follows it.
    /// </summary>
    public static long ConvParameters(int inChannels, int outChannels, int kernel, int groups, bool bias, int batchNorms) =>
        (long)kernel * kernel * (inChannels / groups) * outChannels + (bias ? outChannels : 0) + 2L * outChannels * batchNorms;

    /// <summary>FLOPs of a conv per timestep: k^2 h w c_in c_out / groups with h, w of the output.</summary>
    public static long ConvFlops(int inChannels, int outChannels, int kernel, int groups, int outHeight, int outWidth) =>
        (long)kernel * kernel * outHeight * outWidth * inChannels * outChannels / groups;

    /// <summary>
    /// FLOPs of V1 SDSA per timestep: N D for the AND and token sum (kv = sum over tokens of K AND V)
    /// plus N D for the mask (Q AND kv'), N tokens, D channels.
    /// </summary>
    public static long SdsaV1Flops(long tokens, int channels) => 2 * tokens * channels;

    /// <summary>
    /// FLOPs of the V2 SDSA core per timestep: per head (d = D / heads) K^T V costs N d^2 and
    /// Q (K^T V) costs N d^2; times the heads: 2 N D^2 / heads.
    /// </summary>
    public static long SdsaV2Flops(long tokens, int channels, int heads)
    {
        long d = channels / heads;
        return 2 * tokens * d * d * heads;
    }
}
