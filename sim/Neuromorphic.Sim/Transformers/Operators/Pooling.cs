using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>Pooling of a [C, H, W] tensor: max pooling (V1's SPS encoder) and the spatial mean (the heads).</summary>
public static class Pooling
{
    /// <summary>
    /// Max pooling with a square window, stride and padding (padded positions never win, as in
    /// PyTorch's -inf padding). On spikes it is an OR over the window.
    /// </summary>
    /// <param name="input">[C, H, W].</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="kernel">Window.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding.</param>
    /// <param name="output">[C, H', W'] with H' = floor((H + 2 p - k) / s) + 1.</param>
    public static void MaxPool(ReadOnlySpan<float> input, int channels, int height, int width, int kernel, int stride, int padding, Span<float> output)
    {
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel)
            throw new ArgumentException($"maxpool: kernel {kernel}, stride {stride}, padding {padding} out of range (padding at most half the kernel)");
        int oh = OutputSize(height, kernel, stride, padding), ow = OutputSize(width, kernel, stride, padding);
        if (oh < 1 || ow < 1) throw new ArgumentException($"maxpool: a {kernel}x{kernel} window leaves nothing of {height}x{width}");
        if (input.Length != channels * height * width || output.Length != channels * oh * ow)
            throw new ArgumentException($"maxpool: input {input.Length} / output {output.Length} do not fit [{channels}, {height}, {width}] -> [{channels}, {oh}, {ow}]");
        for (var c = 0; c < channels; c++)
        {
            var plane = input.Slice(c * height * width, height * width);
            for (var oy = 0; oy < oh; oy++)
            {
                int y0 = Math.Max(0, oy * stride - padding), y1 = Math.Min(height, oy * stride - padding + kernel);
                for (var ox = 0; ox < ow; ox++)
                {
                    int x0 = Math.Max(0, ox * stride - padding), x1 = Math.Min(width, ox * stride - padding + kernel);
                    var best = float.NegativeInfinity;
                    for (var y = y0; y < y1; y++)
                        for (var x = x0; x < x1; x++)
                            best = MathF.Max(best, plane[y * width + x]);
                    output[(c * oh + oy) * ow + ox] = best;
                }
            }
        }
    }

    /// <summary>Spatial mean of every channel: [C, positions] -&gt; [C].</summary>
    public static void GlobalMean(ReadOnlySpan<float> input, int channels, Span<float> output)
    {
        if (channels < 1 || input.Length % channels != 0 || input.Length == 0 || output.Length != channels)
            throw new ArgumentException($"global mean: input {input.Length} / output {output.Length} do not fit {channels} channels");
        var positions = input.Length / channels;
        for (var c = 0; c < channels; c++) output[c] = TensorPrimitives.Sum(input.Slice(c * positions, positions)) / positions;
    }

    /// <summary>floor((n + 2 p - k) / s) + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding) => (input + 2 * padding - kernel) / stride + 1;
}
