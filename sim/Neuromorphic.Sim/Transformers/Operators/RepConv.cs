using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// Parameters of a Meta-SpikeFormer RepConv(C_in, C_out): Conv1x1 C_in -&gt; C_in (no bias),
/// BatchNorm whose output is padded by one pixel with its own value for a zero input
/// (<c>BNAndPadLayer</c>), depthwise Conv3x3 (no bias, no padding), Conv1x1 C_in -&gt; C_out
/// (no bias), BatchNorm.
/// </summary>
/// <param name="InChannels">C_in.</param>
/// <param name="OutChannels">C_out.</param>
/// <param name="PointwiseIn">First 1x1 conv weight [C_in, C_in, 1, 1].</param>
/// <param name="Bn1">BatchNorm after it (C_in channels), also the padding value.</param>
/// <param name="Depthwise">Depthwise 3x3 weight [C_in, 1, 3, 3].</param>
/// <param name="PointwiseOut">Second 1x1 conv weight [C_out, C_in, 1, 1].</param>
/// <param name="Bn2">Final BatchNorm (C_out channels).</param>
public sealed record RepConvParameters(int InChannels, int OutChannels, float[] PointwiseIn, BatchNormParameters Bn1, float[] Depthwise,
    float[] PointwiseOut, BatchNormParameters Bn2)
{
    /// <summary>Throws unless every tensor has the shape the channel counts imply.</summary>
    public void Validate()
    {
        if (InChannels < 1 || OutChannels < 1) throw new ArgumentException($"repconv: channels {InChannels} -> {OutChannels} must be positive");
        if (PointwiseIn.Length != InChannels * InChannels) throw new ArgumentException($"repconv: first 1x1 weight has {PointwiseIn.Length} elements, expected {InChannels * InChannels}");
        if (Depthwise.Length != InChannels * 9) throw new ArgumentException($"repconv: depthwise weight has {Depthwise.Length} elements, expected {InChannels * 9}");
        if (PointwiseOut.Length != OutChannels * InChannels) throw new ArgumentException($"repconv: second 1x1 weight has {PointwiseOut.Length} elements, expected {OutChannels * InChannels}");
        if (Bn1.Channels != InChannels || Bn2.Channels != OutChannels) throw new ArgumentException("repconv: BatchNorm channels do not match");
        Bn1.Validate();
        Bn2.Validate();
    }

    /// <summary>
    /// Random parameters (for tests and functional runs): Kaiming-normal convs, and BatchNorms with
    /// gamma ~ U(0.5, 1.5), beta ~ N(0, 0.1^2), mean ~ N(0, 0.1^2) and variance ~ U(0.5, 1.5), so the
    /// padding value differs from zero.
    /// </summary>
    public static RepConvParameters Random(int inChannels, int outChannels, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return new RepConvParameters(inChannels, outChannels,
            Normal(rng, inChannels * inChannels, Math.Sqrt(2.0 / inChannels)), RandomBn(rng, inChannels),
            Normal(rng, inChannels * 9, Math.Sqrt(2.0 / 9)),
            Normal(rng, outChannels * inChannels, Math.Sqrt(2.0 / inChannels)), RandomBn(rng, outChannels));
    }

    private static BatchNormParameters RandomBn(DeterministicRandom rng, int c)
    {
        float[] gamma = new float[c], beta = new float[c], mean = new float[c], variance = new float[c];
        for (var i = 0; i < c; i++)
        {
            gamma[i] = (float)rng.NextDouble(0.5, 1.5);
            beta[i] = (float)rng.NextNormal(0, 0.1);
            mean[i] = (float)rng.NextNormal(0, 0.1);
            variance[i] = (float)rng.NextDouble(0.5, 1.5);
        }
        return new BatchNormParameters(gamma, beta, mean, variance);
    }

    private static float[] Normal(DeterministicRandom rng, int n, double sigma)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)rng.NextNormal(0, sigma);
        return a;
    }
}

/// <summary>
/// Meta-SpikeFormer's re-parameterisable convolution: the branch as trained
/// (<see cref="Forward"/>) and its fold into one 3x3 convolution C_in -&gt; C_out with bias and
/// zero padding 1 (<see cref="Fold"/>). Because the first BatchNorm pads with its zero-input
/// value, the fold is exact everywhere, borders included:
/// W[o, i, ky, kx] = s2_o sum_c P2[o, c] D[c, ky, kx] s1_c P1[c, i] and
/// b_o = s2_o sum_c P2[o, c] t1_c sum_k D[c, k] + t2_o, with (s, t) the BatchNorms' scale and shift.
/// </summary>
public static class RepConv
{
    /// <summary>Geometry of the folded conv on an H x W input (3x3, stride 1, padding 1).</summary>
    public static ConvGeometry FoldedGeometry(RepConvParameters p, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ConvGeometry(p.InChannels, height, width, p.OutChannels, 3, 1, 1);
    }

    /// <summary>
    /// The unfolded branch on a [C_in, H, W] input (real or spikes) into [C_out, H, W]. A reference
    /// implementation: it allocates its intermediate tensors.
    /// </summary>
    public static void Forward(RepConvParameters p, ReadOnlySpan<float> input, int height, int width, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(p);
        p.Validate();
        int cin = p.InChannels, hw = height * width, ph = height + 2, pw = width + 2;
        if (input.Length != cin * hw) throw new ArgumentException($"repconv: input has {input.Length} elements, expected {cin} x {height} x {width}");
        if (output.Length != p.OutChannels * hw) throw new ArgumentException($"repconv: output has {output.Length} elements, expected {p.OutChannels} x {height} x {width}");

        // 1x1 C_in -> C_in, then BN.
        var y1 = new float[cin * hw];
        SpikingConv.ForwardMultiply(new ConvGeometry(cin, height, width, cin, 1), input, p.PointwiseIn, default, y1);
        p.Bn1.Apply(y1, hw);

        // Pad by one pixel with the BN's zero-input value (beta - gamma mean / sqrt(var + eps)).
        var padded = new float[cin * ph * pw];
        for (var c = 0; c < cin; c++)
        {
            var plane = padded.AsSpan(c * ph * pw, ph * pw);
            plane.Fill((float)p.Bn1.Shift(c));
            for (var y = 0; y < height; y++)
                y1.AsSpan(c * hw + y * width, width).CopyTo(plane.Slice((y + 1) * pw + 1, width));
        }

        // Depthwise 3x3 without padding, then 1x1 C_in -> C_out, then BN.
        var y2 = new float[cin * hw];
        SpikingConv.ForwardMultiply(new ConvGeometry(cin, ph, pw, cin, 3, 1, 0, cin), padded, p.Depthwise, default, y2);
        SpikingConv.ForwardMultiply(new ConvGeometry(cin, height, width, p.OutChannels, 1), y2, p.PointwiseOut, default, output);
        p.Bn2.Apply(output, hw);
    }

    /// <summary>Folds the branch into one 3x3 conv: weight [C_out, C_in, 3, 3] and bias [C_out] (computed in double, on <paramref name="threads"/> threads, at least 1; the result does not depend on them).</summary>
    public static (float[] Weight, float[] Bias) Fold(RepConvParameters p, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(p);
        p.Validate();
        int cin = p.InChannels, cout = p.OutChannels;
        var weight = new float[cout * cin * 9];
        var bias = new float[cout];
        var w1 = RepConvComposition.Widen(p.PointwiseIn, cin, c => p.Bn1.Scale(c));
        var b1 = Enumerable.Range(0, cin).Select(c => p.Bn1.Shift(c)).ToArray();
        var w2 = RepConvComposition.Widen(p.PointwiseOut, cin, o => p.Bn2.Scale(o));
        var b2 = Enumerable.Range(0, cout).Select(o => p.Bn2.Shift(o)).ToArray();
        RepConvComposition.Fold(cin, cout, w1, b1, p.Depthwise, w2, b2, weight, bias, threads);
        return (weight, bias);
    }
}
