using CsCheck;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Operators;

/// <summary>Spike-driven self-attention against direct dense references (plain loops over float matrices).</summary>
public sealed class SdsaTests
{
    private static float[,] Matrix(float[] flat, int rows, int cols)
    {
        var m = new float[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) m[r, c] = flat[r * cols + c];
        return m;
    }

    /// <summary>Dense V1: kv[d] = sum_n K V; kv' from a fresh tau-2 LIF (H = kv / 2 &gt;= 0.5); out = Q kv'.</summary>
    private static (float[] Out, float[] Kv) DenseV1(float[,] q, float[,] k, float[,] v, int n, int d)
    {
        var kv = new float[d];
        for (var j = 0; j < d; j++)
            for (var t = 0; t < n; t++) kv[j] += k[t, j] * v[t, j];
        var o = new float[n * d];
        for (var t = 0; t < n; t++)
            for (var j = 0; j < d; j++) o[t * d + j] = q[t, j] * (kv[j] / 2 >= 0.5f ? 1f : 0f);
        return (o, kv);
    }

    /// <summary>Dense V2 per head: Q_h (K_h^T V_h), or (Q_h K_h^T) V_h.</summary>
    private static float[] DenseV2(float[,] q, float[,] k, float[,] v, int n, int d, int heads, bool keysFirst)
    {
        var dh = d / heads;
        var a = new float[n * d];
        for (var h = 0; h < heads; h++)
        {
            var o = h * dh;
            if (keysFirst)
            {
                var m = new float[dh, dh];
                for (var i = 0; i < dh; i++)
                    for (var j = 0; j < dh; j++)
                        for (var t = 0; t < n; t++) m[i, j] += k[t, o + i] * v[t, o + j];
                for (var t = 0; t < n; t++)
                    for (var j = 0; j < dh; j++)
                        for (var i = 0; i < dh; i++) a[t * d + o + j] += q[t, o + i] * m[i, j];
            }
            else
            {
                var s = new float[n, n];
                for (var t = 0; t < n; t++)
                    for (var u = 0; u < n; u++)
                        for (var i = 0; i < dh; i++) s[t, u] += q[t, o + i] * k[u, o + i];
                for (var t = 0; t < n; t++)
                    for (var j = 0; j < dh; j++)
                        for (var u = 0; u < n; u++) a[t * d + o + j] += s[t, u] * v[u, o + j];
            }
        }
        return a;
    }

    private static (float[] Q, float[] K, float[] V) Qkv(int seed, int n, int d)
    {
        var rng = TestData.Rng(seed, "sdsa.qkv");
        var p = rng.NextDouble(0.05, 0.6);
        return (TestData.Binary(rng, n * d, p), TestData.Binary(rng, n * d, p), TestData.Binary(rng, n * d, p));
    }

    [Test]
    public void V1EqualsDenseReference()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 4], Gen.Int[1, 6], Gen.Int).Sample((n, heads, perHead, seed) =>
        {
            var d = heads * perHead;
            var (q, k, v) = Qkv(seed, n, d);
            var (expected, kv) = DenseV1(Matrix(q, n, d), Matrix(k, n, d), Matrix(v, n, d), n, d);
            var output = new float[n * d];
            var ops = Sdsa.V1(q, k, v, n, d, output, heads);
            return output.SequenceEqual(expected) && ops.Adds == (long)kv.Sum() && ops.Ands == 2L * n * d;
        }, iter: 300);
    }

    [Test]
    public void V1TalkingHeadsLifCarriesStateAcrossTimesteps()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 16], Gen.Int[2, 5], Gen.Int).Sample((n, d, steps, seed) =>
        {
            var membrane = new float[d];
            var reference = new float[d];
            for (var t = 0; t < steps; t++)
            {
                var (q, k, v) = Qkv(seed + 7919 * t, n, d);
                var (_, kv) = DenseV1(Matrix(q, n, d), Matrix(k, n, d), Matrix(v, n, d), n, d);
                var output = new float[n * d];
                Sdsa.V1(q, k, v, n, d, membrane, output);
                for (var j = 0; j < d; j++)
                {
                    var h = reference[j] + (kv[j] - reference[j]) / 2;
                    var fire = h >= 0.5f;
                    reference[j] = fire ? 0 : h;
                    for (var i = 0; i < n; i++)
                        if (output[i * d + j] != (q[i * d + j] != 0 && fire ? 1f : 0f)) return false;
                }
                if (!membrane.SequenceEqual(reference)) return false;
            }
            return true;
        }, iter: 200);
    }

    [Test]
    public void V2EqualsDenseReferenceAndIsAssociative()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 4], Gen.Int).Sample((n, heads, seed) =>
        {
            var perHead = 1 + (seed & 7);
            var d = heads * perHead;
            var (q, k, v) = Qkv(seed, n, d);
            var (mq, mk, mv) = (Matrix(q, n, d), Matrix(k, n, d), Matrix(v, n, d));
            var keysFirst = DenseV2(mq, mk, mv, n, d, heads, keysFirst: true);
            var queriesFirst = DenseV2(mq, mk, mv, n, d, heads, keysFirst: false);
            var output = new float[n * d];
            var ops = Sdsa.V2(q, k, v, n, d, heads, output);

            // Operation counts: N d^2 ANDs per head; adds = coincidences in K^T V plus d per Q spike.
            long coincidences = 0, querySpikes = 0;
            var dh = d / heads;
            for (var h = 0; h < heads; h++)
                for (var t = 0; t < n; t++)
                    for (var i = 0; i < dh; i++)
                    {
                        if (q[t * d + h * dh + i] != 0) querySpikes++;
                        for (var j = 0; j < dh; j++) coincidences += (long)(mk[t, h * dh + i] * mv[t, h * dh + j]);
                    }
            return keysFirst.SequenceEqual(queriesFirst)
                && output.SequenceEqual(keysFirst)
                && ops.Ands == (long)n * dh * dh * heads
                && ops.Adds == coincidences + querySpikes * dh;
        }, iter: 300);
    }

    [Test]
    public void V2CountsByHand()
    {
        // N = 2 tokens, D = 2, one head. K = [[1,0],[1,1]], V = [[1,1],[0,1]] -> M = K^T V = [[1,2],[0,1]].
        // Q = [[1,1],[0,1]] -> A = [[1,3],[0,1]].
        float[] q = [1, 1, 0, 1], k = [1, 0, 1, 1], v = [1, 1, 0, 1];
        var a = new float[4];
        var ops = Sdsa.V2(q, k, v, 2, 2, 1, a);
        Assert.That(a, Is.EqualTo(new float[] { 1, 3, 0, 1 }));
        Assert.That(ops, Is.EqualTo(new SdsaOps(2 * 4, 4 + 3 * 2)));
    }

    [Test]
    public void RejectsHeadsThatDoNotDivideTheChannels()
    {
        var x = new float[3 * 6];
        Assert.Throws<ArgumentException>(() => Sdsa.V2(x, x, x, 3, 6, 4, new float[18]));
        Assert.Throws<ArgumentException>(() => Sdsa.V1(x, x, x, 3, 6, new float[18], heads: 4));
    }
}
