using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>
/// The arithmetic of folding a RepConv (1x1 C_in -> C_in, depthwise 3x3, 1x1 C_in -> C_out, each
/// with its affine BatchNorm already applied to the weights) into one 3x3 conv, shared by
/// <see cref="RepConv.Fold"/> and the checkpoint re-parameterisation:
/// W[o, i, k] = sum_c W2[o, c] D[c, k] W1[c, i] and b_o = b2_o + sum_c W2[o, c] b1_c sum_k D[c, k],
/// in double. This is nine C_out x C_in x C_in matrix products (1.2 G multiply-adds at 512
/// channels), so each output channel accumulates contiguous rows of W1 with vector operations
/// into a [k][i] accumulator, and output channels are split over threads (a flat loop: the whole
/// <see cref="Neuromorphic.Sim.Execution.ThreadBudget"/>); every output channel is computed by one
/// thread in a fixed order, so the result does not depend on the thread count.
/// </summary>
internal static class RepConvComposition
{
    /// <summary>Folds into <paramref name="weight"/> [C_out, C_in, 3, 3] and <paramref name="bias"/> [C_out].</summary>
    /// <param name="cin">Input channels (also the inner channels).</param>
    /// <param name="cout">Output channels.</param>
    /// <param name="w1">First 1x1 weight [C_in (inner), C_in], BN folded.</param>
    /// <param name="b1">First 1x1 bias [C_in], or empty.</param>
    /// <param name="depthwise">Depthwise weight [C_in, 3, 3].</param>
    /// <param name="w2">Second 1x1 weight [C_out, C_in], BN folded.</param>
    /// <param name="b2">Second 1x1 bias [C_out], or empty.</param>
    /// <param name="weight">Folded weight [C_out, C_in, 3, 3].</param>
    /// <param name="bias">Folded bias [C_out].</param>
    /// <param name="threads">Threads (at least 1).</param>
    public static void Fold(int cin, int cout, double[] w1, double[] b1, float[] depthwise, double[] w2, double[] b2, float[] weight, float[] bias, int threads)
    {
        const int taps = 9;
        var dsum = new double[cin];
        for (var c = 0; c < cin; c++)
            for (var k = 0; k < taps; k++) dsum[c] += depthwise[c * taps + k];
        Parallel.For(0, cout, new Neuromorphic.Sim.Execution.ThreadBudget(threads).Options, () => new double[taps * cin], (o, _, acc) =>
        {
            Array.Clear(acc);
            var b = b2.Length == 0 ? 0.0 : b2[o];
            for (var c = 0; c < cin; c++)
            {
                var f2 = w2[o * cin + c];
                if (f2 == 0) continue;
                if (b1.Length > 0) b += f2 * b1[c] * dsum[c];
                var row = w1.AsSpan(c * cin, cin);
                for (var k = 0; k < taps; k++)
                {
                    var tap = acc.AsSpan(k * cin, cin);
                    TensorPrimitives.MultiplyAdd(row, f2 * depthwise[c * taps + k], tap, tap);
                }
            }
            var dst = weight.AsSpan(o * cin * taps, cin * taps);
            for (var i = 0; i < cin; i++)
                for (var k = 0; k < taps; k++) dst[i * taps + k] = (float)acc[k * cin + i];
            bias[o] = (float)b;
            return acc;
        }, _ => { });
    }

    /// <summary>A float tensor widened to double, each element scaled by its row's factor (rows of <paramref name="columns"/>).</summary>
    public static double[] Widen(ReadOnlySpan<float> x, int columns, Func<int, double>? rowScale = null)
    {
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++) y[i] = rowScale is null ? x[i] : rowScale(i / columns) * x[i];
        return y;
    }
}
