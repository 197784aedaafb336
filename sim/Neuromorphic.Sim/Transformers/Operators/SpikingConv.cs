using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// 2-D convolution (and, through <see cref="ConvGeometry.Linear"/>, fully connected layers) of one
/// [C_in, H, W] input, in two forms:
/// <list type="bullet">
/// <item><see cref="Forward(in ConvGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/>:
/// event-driven scatter. Every non-zero input element adds its contribution to the outputs it
/// reaches; zeros cost nothing. With <c>binaryInput</c> the input is taken as spikes (any
/// non-zero value is a spike) and the weight is only <em>added</em>: no multiplications, the
/// synaptic operations of a neuromorphic core. Otherwise (the encoding conv on the image) each
/// contribution is a multiply-accumulate. The returned count is the accumulations (or MACs)
/// actually done: for each non-zero input, its in-range kernel taps times the output channels of
/// its group.</item>
/// <item><see cref="ForwardMultiply"/>: the dense gather form with multiplications (what a GPU
/// does), as a reference; it returns the MACs of all in-range taps.</item>
/// </list>
/// The scatter form works on packed weights ([group][C_in / groups][k][k][C_out / groups], see
/// <see cref="Pack"/>) into a channels-last scratch, so each contribution is one contiguous vector
/// add of C_out / groups weights. Nothing is allocated in the loops.
/// </summary>
public static class SpikingConv
{
    /// <summary>
    /// Reorders a weight tensor [C_out, C_in / groups, k, k] into the layout of the scatter form,
    /// [group][C_in / groups][k][k][C_out / groups].
    /// </summary>
    public static void Pack(in ConvGeometry g, ReadOnlySpan<float> weight, Span<float> packed)
    {
        Require(weight.Length == g.WeightLength, $"conv: weight has {weight.Length} elements, the geometry needs {g.WeightLength}");
        Require(packed.Length >= g.WeightLength, $"conv: packed weight span too short ({packed.Length} < {g.WeightLength})");
        int kk = g.Kernel * g.Kernel, cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        for (var co = 0; co < g.OutChannels; co++)
        {
            int grp = co / coutG, col = co % coutG;
            for (var cil = 0; cil < cinG; cil++)
                for (var t = 0; t < kk; t++)
                    packed[((grp * cinG + cil) * kk + t) * coutG + col] = weight[(co * cinG + cil) * kk + t];
        }
    }

    /// <summary>
    /// Event-driven convolution with weights in the usual layout [C_out, C_in / groups, k, k]
    /// (packs them and rents the scratch for this call). Returns the accumulations
    /// (<paramref name="binaryInput"/>) or multiply-accumulates done.
    /// </summary>
    /// <param name="g">Geometry.</param>
    /// <param name="input">[C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in / groups, k, k].</param>
    /// <param name="bias">[C_out], or empty for none.</param>
    /// <param name="output">[C_out, H', W'].</param>
    /// <param name="binaryInput">Treat the input as spikes (any non-zero is a 1) and only add weights.</param>
    public static long Forward(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, bool binaryInput)
    {
        var packed = ArrayPool<float>.Shared.Rent(g.WeightLength);
        var scratch = ArrayPool<float>.Shared.Rent(g.OutputLength);
        try
        {
            Pack(g, weight, packed);
            return ForwardPacked(g, input, packed.AsSpan(0, g.WeightLength), bias, output, scratch, binaryInput);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Event-driven convolution with packed weights (<see cref="Pack"/>) and a caller-owned scratch
    /// of at least <see cref="ConvGeometry.OutputLength"/> elements. Returns the accumulations
    /// (<paramref name="binaryInput"/>) or multiply-accumulates done.
    /// </summary>
    /// <param name="g">Geometry.</param>
    /// <param name="input">[C_in, H, W].</param>
    /// <param name="packedWeight">Weights in the layout of <see cref="Pack"/>.</param>
    /// <param name="bias">[C_out], or empty for none.</param>
    /// <param name="output">[C_out, H', W'].</param>
    /// <param name="scratch">Working space (channels-last accumulators).</param>
    /// <param name="binaryInput">Treat the input as spikes (any non-zero is a 1) and only add weights.</param>
    public static long ForwardPacked(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> packedWeight, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> scratch, bool binaryInput)
    {
        Require(input.Length == g.InputLength, $"conv: input has {input.Length} elements, the geometry needs {g.InputLength}");
        Require(packedWeight.Length >= g.WeightLength, $"conv: packed weight has {packedWeight.Length} elements, the geometry needs {g.WeightLength}");
        Require(bias.IsEmpty || bias.Length == g.OutChannels, $"conv: bias has {bias.Length} elements, expected {g.OutChannels} or none");
        Require(output.Length == g.OutputLength, $"conv: output has {output.Length} elements, the geometry needs {g.OutputLength}");
        Require(scratch.Length >= g.OutputLength, $"conv: scratch too short ({scratch.Length} < {g.OutputLength})");

        int k = g.Kernel, s = g.Stride, p = g.Padding, ih = g.InHeight, iw = g.InWidth, oh = g.OutHeight, ow = g.OutWidth;
        int cout = g.OutChannels, cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, kk = k * k;
        var acc = scratch[..g.OutputLength];
        acc.Clear();
        long ops = 0;
        for (var ci = 0; ci < g.InChannels; ci++)
        {
            int grp = ci / cinG, cil = ci % cinG;
            var plane = input.Slice(ci * ih * iw, ih * iw);
            var wBase = (grp * cinG + cil) * kk * coutG;
            var coOffset = grp * coutG;
            for (var iy = 0; iy < ih; iy++)
            {
                // Taps ky with oy = (iy + p - ky) / s an integer in [0, oh).
                int kyLo = Math.Max(0, iy + p - (oh - 1) * s), kyHi = Math.Min(k - 1, iy + p);
                if (kyLo > kyHi) continue;
                var row = plane.Slice(iy * iw, iw);
                for (var ix = 0; ix < iw; ix++)
                {
                    var x = row[ix];
                    if (x == 0f) continue;
                    int kxLo = Math.Max(0, ix + p - (ow - 1) * s), kxHi = Math.Min(k - 1, ix + p);
                    for (var ky = kyLo; ky <= kyHi; ky++)
                    {
                        var oyn = iy + p - ky;
                        if (oyn % s != 0) continue;
                        var outRow = oyn / s * ow;
                        for (var kx = kxLo; kx <= kxHi; kx++)
                        {
                            var oxn = ix + p - kx;
                            if (oxn % s != 0) continue;
                            var w = packedWeight.Slice(wBase + (ky * k + kx) * coutG, coutG);
                            var a = acc.Slice((outRow + oxn / s) * cout + coOffset, coutG);
                            if (binaryInput) AddInPlace(a, w);
                            else MultiplyAddInPlace(a, w, x);
                            ops += coutG;
                        }
                    }
                }
            }
        }

        // Channels-last accumulators -> [C_out, H', W'] plus bias.
        var positions = oh * ow;
        for (var co = 0; co < cout; co++)
        {
            var b = bias.IsEmpty ? 0f : bias[co];
            var dst = output.Slice(co * positions, positions);
            for (var q = 0; q < positions; q++) dst[q] = acc[q * cout + co] + b;
        }
        return ops;
    }

    /// <summary>
    /// Dense gather convolution with multiplications (the reference "multiply path"): every output
    /// is bias + the sum over its in-range taps of weight x input. Returns the MACs done.
    /// </summary>
    /// <param name="g">Geometry.</param>
    /// <param name="input">[C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in / groups, k, k].</param>
    /// <param name="bias">[C_out], or empty for none.</param>
    /// <param name="output">[C_out, H', W'].</param>
    public static long ForwardMultiply(in ConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        Require(input.Length == g.InputLength, $"conv: input has {input.Length} elements, the geometry needs {g.InputLength}");
        Require(weight.Length == g.WeightLength, $"conv: weight has {weight.Length} elements, the geometry needs {g.WeightLength}");
        Require(bias.IsEmpty || bias.Length == g.OutChannels, $"conv: bias has {bias.Length} elements, expected {g.OutChannels} or none");
        Require(output.Length == g.OutputLength, $"conv: output has {output.Length} elements, the geometry needs {g.OutputLength}");
        int k = g.Kernel, s = g.Stride, p = g.Padding, ih = g.InHeight, iw = g.InWidth, oh = g.OutHeight, ow = g.OutWidth;
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        long macs = 0;
        for (var co = 0; co < g.OutChannels; co++)
        {
            var grp = co / coutG;
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    var sum = bias.IsEmpty ? 0f : bias[co];
                    for (var cil = 0; cil < cinG; cil++)
                    {
                        var plane = input.Slice((grp * cinG + cil) * ih * iw, ih * iw);
                        var wk = weight.Slice((co * cinG + cil) * k * k, k * k);
                        for (var ky = 0; ky < k; ky++)
                        {
                            var iy = oy * s - p + ky;
                            if ((uint)iy >= (uint)ih) continue;
                            for (var kx = 0; kx < k; kx++)
                            {
                                var ix = ox * s - p + kx;
                                if ((uint)ix >= (uint)iw) continue;
                                sum += wk[ky * k + kx] * plane[iy * iw + ix];
                                macs++;
                            }
                        }
                    }
                    output[(co * oh + oy) * ow + ox] = sum;
                }
        }
        return macs;
    }

    /// <summary>a += w, element-wise.</summary>
    private static void AddInPlace(Span<float> a, ReadOnlySpan<float> w)
    {
        if (a.Length >= Vector<float>.Count) { TensorPrimitives.Add(a, w, a); return; }
        for (var i = 0; i < a.Length; i++) a[i] += w[i];
    }

    /// <summary>a += w x, element-wise.</summary>
    private static void MultiplyAddInPlace(Span<float> a, ReadOnlySpan<float> w, float x)
    {
        if (a.Length >= Vector<float>.Count) { TensorPrimitives.MultiplyAdd(w, x, a, a); return; }
        for (var i = 0; i < a.Length; i++) a[i] += w[i] * x;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
