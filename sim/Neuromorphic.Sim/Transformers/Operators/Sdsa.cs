using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Neuromorphic.Sim.Transformers.Operators;

/// <summary>Operations a spike-driven self-attention performed.</summary>
/// <param name="Ands">Logical ANDs of two binary operands (dense: every pair the datapath compares).</param>
/// <param name="Adds">Integer accumulations actually done (coincidence counts, row sums).</param>
public readonly record struct SdsaOps(long Ands, long Adds)
{
    /// <summary>Element-wise sum.</summary>
    public static SdsaOps operator +(SdsaOps a, SdsaOps b) => new(a.Ands + b.Ands, a.Adds + b.Adds);
}

/// <summary>
/// Spike-driven self-attention on binary Q, K, V laid out token-major as [N x D] (row n is token
/// n's D channels; any non-zero value counts as a 1). Neither form multiplies: V1 is ANDs and a
/// token sum per channel, V2 is ANDs and integer accumulations of coincidence counts.
/// </summary>
public static class Sdsa
{
    /// <summary>Threshold of the attention neurons (V1's talking-heads LIF, V2's attn_lif).</summary>
    public const float AttentionThreshold = 0.5f;

    /// <summary>
    /// V1 SDSA for one timestep with the talking-heads LIF state: kv[d] = sum_n (K[n,d] AND V[n,d]);
    /// kv' = LIF_th(kv) (one SpikingJelly step on <paramref name="talkingHeadsMembrane"/>, [D],
    /// carried across timesteps by the caller); out[n,d] = Q[n,d] AND kv'[d]. Heads do not change
    /// the result (every operation is per channel); they are only checked to divide D. Returns
    /// 2 N D ANDs and the coincidences added.
    /// </summary>
    /// <param name="q">[N x D] binary.</param>
    /// <param name="k">[N x D] binary.</param>
    /// <param name="v">[N x D] binary.</param>
    /// <param name="tokens">N.</param>
    /// <param name="channels">D.</param>
    /// <param name="talkingHeadsMembrane">[D] LIF membrane, updated.</param>
    /// <param name="output">[N x D] receives the binary output.</param>
    /// <param name="heads">Heads (must divide D).</param>
    /// <param name="threshold">Talking-heads LIF threshold (0.5).</param>
    public static SdsaOps V1(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels,
        Span<float> talkingHeadsMembrane, Span<float> output, int heads = 1, float threshold = AttentionThreshold)
    {
        Check(q, k, v, output, tokens, channels, heads);
        if (talkingHeadsMembrane.Length != channels)
            throw new ArgumentException($"sdsa v1: talking-heads membrane has {talkingHeadsMembrane.Length} elements, expected {channels}");
        var rented = channels <= 512 ? null : ArrayPool<float>.Shared.Rent(2 * channels);
        var buffer = rented is null ? stackalloc float[2 * channels] : rented.AsSpan(0, 2 * channels);
        try
        {
            var kv = buffer[..channels];
            var kvSpikes = buffer[channels..];
            var ops = V1Coincidences(k, v, tokens, channels, kv);
            MultiStepLif.Step(talkingHeadsMembrane, kv, kvSpikes, threshold);
            for (var n = 0; n < tokens; n++)
            {
                var qr = q.Slice(n * channels, channels);
                var or = output.Slice(n * channels, channels);
                for (var d = 0; d < channels; d++) or[d] = qr[d] != 0f && kvSpikes[d] != 0f ? 1f : 0f;
            }
            return ops + new SdsaOps((long)tokens * channels, 0);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// V1 SDSA from rest (a single step of a fresh talking-heads LIF): with tau 2 and threshold 0.5,
    /// H = kv / 2 &gt;= 0.5, so kv' = [kv &gt;= 1], any coincidence in the channel.
    /// </summary>
    /// <param name="q">[N x D] binary.</param>
    /// <param name="k">[N x D] binary.</param>
    /// <param name="v">[N x D] binary.</param>
    /// <param name="tokens">N.</param>
    /// <param name="channels">D.</param>
    /// <param name="output">[N x D] receives the binary output.</param>
    /// <param name="heads">Heads (must divide D).</param>
    public static SdsaOps V1(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels,
        Span<float> output, int heads = 1)
    {
        var rented = channels <= 1024 ? null : ArrayPool<float>.Shared.Rent(channels);
        var membrane = rented is null ? stackalloc float[channels] : rented.AsSpan(0, channels);
        membrane.Clear();
        try { return V1(q, k, v, tokens, channels, membrane, output, heads); }
        finally { if (rented is not null) ArrayPool<float>.Shared.Return(rented); }
    }

    /// <summary>
    /// kv[d] = sum over tokens of (K[n,d] AND V[n,d]) into <paramref name="kv"/> [D]; returns N D ANDs
    /// and one add per coincidence.
    /// </summary>
    public static SdsaOps V1Coincidences(ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels, Span<float> kv)
    {
        if (k.Length != tokens * channels || v.Length != tokens * channels || kv.Length != channels)
            throw new ArgumentException($"sdsa v1: K {k.Length}, V {v.Length}, kv {kv.Length} do not fit N {tokens} x D {channels}");
        kv.Clear();
        long adds = 0;
        for (var n = 0; n < tokens; n++)
        {
            var kr = k.Slice(n * channels, channels);
            var vr = v.Slice(n * channels, channels);
            for (var d = 0; d < channels; d++)
                if (kr[d] != 0f && vr[d] != 0f) { kv[d] += 1f; adds++; }
        }
        return new SdsaOps((long)tokens * channels, adds);
    }

    /// <summary>
    /// V2 SDSA core: per head h (d = D / heads channels), M = K_h^T V_h (d x d coincidence counts
    /// over the tokens, computed first so the cost is linear in N), then A_h = Q_h M (N x d integer
    /// counts) into <paramref name="output"/> [N x D]. The caller scales by 0.125 and applies
    /// LIF_0.5 over time. Counts: N d^2 ANDs per head for M; adds are one per coincidence in M
    /// plus d per (token, channel) with Q = 1 (a row of M added to the token's output).
    /// </summary>
    /// <param name="q">[N x D] binary.</param>
    /// <param name="k">[N x D] binary.</param>
    /// <param name="v">[N x D] binary.</param>
    /// <param name="tokens">N.</param>
    /// <param name="channels">D.</param>
    /// <param name="heads">Heads (must divide D).</param>
    /// <param name="output">[N x D] receives A as float integers (exact up to 2^24).</param>
    public static SdsaOps V2(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels, int heads,
        Span<float> output)
    {
        Check(q, k, v, output, tokens, channels, heads);
        var d = channels / heads;
        var m = ArrayPool<float>.Shared.Rent(d * d);
        var idx = ArrayPool<int>.Shared.Rent(d);
        try
        {
            var mat = m.AsSpan(0, d * d);
            var active = idx.AsSpan(0, d); // channels where V is 1 in the current token
            long ands = 0, adds = 0;
            for (var h = 0; h < heads; h++)
            {
                var off = h * d;
                mat.Clear();
                for (var n = 0; n < tokens; n++)
                {
                    var kr = k.Slice(n * channels + off, d);
                    var vr = v.Slice(n * channels + off, d);
                    var nv = 0;
                    for (var j = 0; j < d; j++) if (vr[j] != 0f) active[nv++] = j;
                    ands += (long)d * d;
                    if (nv == 0) continue;
                    for (var i = 0; i < d; i++)
                    {
                        if (kr[i] == 0f) continue;
                        var row = mat.Slice(i * d, d);
                        for (var a = 0; a < nv; a++) row[active[a]] += 1f;
                        adds += nv;
                    }
                }
                for (var n = 0; n < tokens; n++)
                {
                    var qr = q.Slice(n * channels + off, d);
                    var or = output.Slice(n * channels + off, d);
                    or.Clear();
                    for (var i = 0; i < d; i++)
                    {
                        if (qr[i] == 0f) continue;
                        var row = mat.Slice(i * d, d);
                        if (d >= Vector<float>.Count) TensorPrimitives.Add(or, row, or);
                        else for (var j = 0; j < d; j++) or[j] += row[j];
                        adds += d;
                    }
                }
            }
            return new SdsaOps(ands, adds);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(m);
            ArrayPool<int>.Shared.Return(idx);
        }
    }

    private static void Check(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> output,
        int tokens, int channels, int heads)
    {
        if (tokens < 1 || channels < 1) throw new ArgumentException($"sdsa: N {tokens} and D {channels} must be positive");
        if (heads < 1 || channels % heads != 0) throw new ArgumentException($"sdsa: {channels} channels are not divisible into {heads} heads");
        var n = tokens * channels;
        if (q.Length != n || k.Length != n || v.Length != n || output.Length != n)
            throw new ArgumentException($"sdsa: Q {q.Length}, K {k.Length}, V {v.Length}, out {output.Length} must all be N {tokens} x D {channels}");
    }
}
