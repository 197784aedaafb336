namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// Inference-time BatchNorm over channels: y = gamma (x - mean) / sqrt(var + eps) + beta, i.e.
/// y = scale x + shift with scale = gamma / sqrt(var + eps) and shift = beta - mean scale.
/// </summary>
/// <param name="Gamma">Per-channel scale (PyTorch <c>weight</c>).</param>
/// <param name="Beta">Per-channel shift (PyTorch <c>bias</c>).</param>
/// <param name="Mean">Running mean.</param>
/// <param name="Variance">Running variance.</param>
/// <param name="Epsilon">Added to the variance (PyTorch's default 1e-5).</param>
public sealed record BatchNormParameters(float[] Gamma, float[] Beta, float[] Mean, float[] Variance, float Epsilon = 1e-5f)
{
    /// <summary>Channels.</summary>
    public int Channels => Gamma.Length;

    /// <summary>A BatchNorm with gamma 1, beta 0, mean 0 and variance 1 (the identity up to eps).</summary>
    public static BatchNormParameters Identity(int channels) =>
        new(Filled(channels, 1f), new float[channels], new float[channels], Filled(channels, 1f));

    /// <summary>scale_c = gamma_c / sqrt(var_c + eps), in double.</summary>
    public double Scale(int channel) => Gamma[channel] / Math.Sqrt((double)Variance[channel] + Epsilon);

    /// <summary>shift_c = beta_c - mean_c scale_c: the output for a zero input.</summary>
    public double Shift(int channel) => Beta[channel] - Mean[channel] * Scale(channel);

    /// <summary>Applies the BatchNorm in place to a [C, positions] tensor.</summary>
    public void Apply(Span<float> tensor, int positions)
    {
        Validate();
        if (tensor.Length != Channels * positions)
            throw new ArgumentException($"batchnorm: tensor has {tensor.Length} elements, expected {Channels} x {positions}");
        for (var c = 0; c < Channels; c++)
        {
            float scale = (float)Scale(c), shift = (float)Shift(c);
            var plane = tensor.Slice(c * positions, positions);
            for (var i = 0; i < plane.Length; i++) plane[i] = plane[i] * scale + shift;
        }
    }

    /// <summary>Throws unless all four vectors have one length and the variances are non-negative.</summary>
    public void Validate()
    {
        if (Beta.Length != Channels || Mean.Length != Channels || Variance.Length != Channels)
            throw new ArgumentException($"batchnorm: gamma {Gamma.Length}, beta {Beta.Length}, mean {Mean.Length}, var {Variance.Length} differ in length");
        foreach (var v in Variance)
            if (!(v + Epsilon > 0)) throw new ArgumentException($"batchnorm: variance {v} + eps is not positive");
    }

    private static float[] Filled(int n, float value)
    {
        var a = new float[n];
        Array.Fill(a, value);
        return a;
    }
}

/// <summary>
/// Folds an inference BatchNorm into the convolution (or linear layer) before it:
/// W'[o, ...] = W[o, ...] scale_o and b'_o = (b_o - mean_o) scale_o + beta_o with
/// scale_o = gamma_o / sqrt(var_o + eps), so BN(conv(x)) == conv'(x) exactly up to rounding.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Folds into new arrays; <paramref name="convBias"/> null means the conv has none.</summary>
    /// <param name="convWeight">[C_out, ...] (any trailing shape).</param>
    /// <param name="convBias">[C_out] or null.</param>
    /// <param name="gamma">BN scale.</param>
    /// <param name="beta">BN shift.</param>
    /// <param name="mean">BN running mean.</param>
    /// <param name="variance">BN running variance.</param>
    /// <param name="epsilon">BN epsilon.</param>
    public static (float[] Weight, float[] Bias) Fold(float[] convWeight, float[]? convBias, float[] gamma, float[] beta, float[] mean,
        float[] variance, float epsilon = 1e-5f)
    {
        var weight = new float[convWeight.Length];
        var bias = new float[gamma.Length];
        Fold(convWeight, convBias ?? ReadOnlySpan<float>.Empty, gamma, beta, mean, variance, epsilon, weight, bias);
        return (weight, bias);
    }

    /// <summary>Folds a <see cref="BatchNormParameters"/> into new arrays.</summary>
    public static (float[] Weight, float[] Bias) Fold(float[] convWeight, float[]? convBias, BatchNormParameters bn) =>
        Fold(convWeight, convBias, bn.Gamma, bn.Beta, bn.Mean, bn.Variance, bn.Epsilon);

    /// <summary>Folds into caller-owned spans; an empty <paramref name="convBias"/> means no conv bias.</summary>
    /// <param name="convWeight">[C_out, ...] (any trailing shape).</param>
    /// <param name="convBias">[C_out] or empty.</param>
    /// <param name="gamma">BN scale.</param>
    /// <param name="beta">BN shift.</param>
    /// <param name="mean">BN running mean.</param>
    /// <param name="variance">BN running variance.</param>
    /// <param name="epsilon">BN epsilon.</param>
    /// <param name="foldedWeight">Receives the folded weight (same length as <paramref name="convWeight"/>; may be the same memory).</param>
    /// <param name="foldedBias">Receives the folded bias [C_out].</param>
    public static void Fold(ReadOnlySpan<float> convWeight, ReadOnlySpan<float> convBias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon, Span<float> foldedWeight, Span<float> foldedBias)
    {
        var cout = gamma.Length;
        if (cout == 0 || beta.Length != cout || mean.Length != cout || variance.Length != cout)
            throw new ArgumentException($"batchnorm fold: gamma {gamma.Length}, beta {beta.Length}, mean {mean.Length}, var {variance.Length} must be one non-zero length");
        if (convWeight.Length % cout != 0)
            throw new ArgumentException($"batchnorm fold: weight of {convWeight.Length} elements is not [{cout}, ...]");
        if (!convBias.IsEmpty && convBias.Length != cout)
            throw new ArgumentException($"batchnorm fold: conv bias has {convBias.Length} elements, expected {cout}");
        if (foldedWeight.Length != convWeight.Length || foldedBias.Length != cout)
            throw new ArgumentException("batchnorm fold: output spans have the wrong length");
        var per = convWeight.Length / cout;
        for (var o = 0; o < cout; o++)
        {
            var v = (double)variance[o] + epsilon;
            if (!(v > 0)) throw new ArgumentException($"batchnorm fold: variance {variance[o]} + eps is not positive");
            var scale = gamma[o] / Math.Sqrt(v);
            var b = convBias.IsEmpty ? 0.0 : convBias[o];
            foldedBias[o] = (float)((b - mean[o]) * scale + beta[o]);
            for (var i = o * per; i < (o + 1) * per; i++) foldedWeight[i] = (float)(convWeight[i] * scale);
        }
    }
}
