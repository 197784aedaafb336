using CsCheck;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Operators;

/// <summary>The event-driven conv against the dense multiply path and a naive reference.</summary>
public sealed class SpikingConvTests
{
    private static readonly Gen<(int Groups, int CinG, int CoutG, int K, int H, int W, int S, int P, bool Bias, int Seed)> Geometries =
        from groups in Gen.Int[1, 3]
        from cinG in Gen.Int[1, 4]
        from coutG in Gen.Int[1, 12]
        from k in Gen.Int[1, 4]
        from h in Gen.Int[1, 8]
        from w in Gen.Int[1, 8]
        from s in Gen.Int[1, 3]
        from p in Gen.Int[0, 2]
        from bias in Gen.Bool
        from seed in Gen.Int
        where h + 2 * p >= k && w + 2 * p >= k
        select (groups, cinG, coutG, k, h, w, s, p, bias, seed);

    /// <summary>Plain gather loops in double, and the MACs whose input is non-zero.</summary>
    private static (double[] Output, long NonZeroMacs) Naive(ConvGeometry g, float[] x, float[] w, float[]? b)
    {
        var y = new double[g.OutputLength];
        long nonZero = 0;
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, k = g.Kernel;
        for (var co = 0; co < g.OutChannels; co++)
            for (var oy = 0; oy < g.OutHeight; oy++)
                for (var ox = 0; ox < g.OutWidth; ox++)
                {
                    double sum = b?[co] ?? 0;
                    for (var c = 0; c < cinG; c++)
                        for (var ky = 0; ky < k; ky++)
                            for (var kx = 0; kx < k; kx++)
                            {
                                int iy = oy * g.Stride - g.Padding + ky, ix = ox * g.Stride - g.Padding + kx;
                                if (iy < 0 || iy >= g.InHeight || ix < 0 || ix >= g.InWidth) continue;
                                var xv = x[((co / coutG * cinG + c) * g.InHeight + iy) * g.InWidth + ix];
                                sum += (double)xv * w[((co * cinG + c) * k + ky) * k + kx];
                                if (xv != 0) nonZero++;
                            }
                    y[(co * g.OutHeight + oy) * g.OutWidth + ox] = sum;
                }
        return (y, nonZero);
    }

    [Test]
    public void AccumulateOnlyPathEqualsMultiplyPathOnSpikes()
    {
        Geometries.Sample(c =>
        {
            var rng = TestData.Rng(c.Seed, "conv.binary");
            var g = new ConvGeometry(c.CinG * c.Groups, c.H, c.W, c.CoutG * c.Groups, c.K, c.S, c.P, c.Groups);
            var x = TestData.Binary(rng, g.InputLength, 0.3);
            var w = TestData.Normal(rng, g.WeightLength);
            var b = c.Bias ? TestData.Normal(rng, g.OutChannels) : null;
            var accumulate = new float[g.OutputLength];
            var multiply = new float[g.OutputLength];
            var ops = SpikingConv.Forward(g, x, w, b, accumulate, binaryInput: true);
            SpikingConv.ForwardMultiply(g, x, w, b, multiply);
            var (naive, nonZeroMacs) = Naive(g, x, w, b);
            return TestData.Close(accumulate, multiply, 1e-5)
                && TestData.Close(accumulate, naive.Select(v => (float)v).ToArray(), 1e-5)
                && ops == nonZeroMacs;
        }, iter: 300);
    }

    [Test]
    public void RealInputPathEqualsMultiplyPath()
    {
        Geometries.Sample(c =>
        {
            var rng = TestData.Rng(c.Seed, "conv.real");
            var g = new ConvGeometry(c.CinG * c.Groups, c.H, c.W, c.CoutG * c.Groups, c.K, c.S, c.P, c.Groups);
            var x = TestData.Normal(rng, g.InputLength);
            for (var i = 0; i < x.Length; i += 3) x[i] = 0; // zeros are skipped
            var w = TestData.Normal(rng, g.WeightLength);
            var b = c.Bias ? TestData.Normal(rng, g.OutChannels) : null;
            var scatter = new float[g.OutputLength];
            var multiply = new float[g.OutputLength];
            var macs = SpikingConv.Forward(g, x, w, b, scatter, binaryInput: false);
            SpikingConv.ForwardMultiply(g, x, w, b, multiply);
            return TestData.Close(scatter, multiply, 1e-4) && macs == Naive(g, x, w, b).NonZeroMacs;
        }, iter: 300);
    }

    [Test]
    public void BinaryPathTreatsAnyNonZeroAsASpike()
    {
        var g = new ConvGeometry(2, 3, 3, 4, 3, 1, 1);
        var rng = TestData.Rng(1, "conv.nonzero");
        var spikes = TestData.Binary(rng, g.InputLength, 0.5);
        var scaled = spikes.Select(s => s * 7.5f).ToArray();
        var w = TestData.Normal(rng, g.WeightLength);
        float[] a = new float[g.OutputLength], b = new float[g.OutputLength];
        Assert.That(SpikingConv.Forward(g, scaled, w, default, a, true), Is.EqualTo(SpikingConv.Forward(g, spikes, w, default, b, true)));
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void LinearIsAMatrixVectorProductAndCountsSpikesTimesOutputs()
    {
        var g = ConvGeometry.Linear(5, 3);
        float[] w = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5, 0.5f, 0, 0, 0, 0.25f];
        float[] b = [0.1f, 0.2f, 0.3f];
        float[] x = [1, 0, 1, 0, 1];
        var y = new float[3];
        var ops = SpikingConv.Forward(g, x, w, b, y, binaryInput: true);
        Assert.That(ops, Is.EqualTo(3 * 3));
        Assert.That(y[0], Is.EqualTo(0.1f + 1 + 3 + 5).Within(1e-6));
        Assert.That(y[1], Is.EqualTo(0.2f - 1 - 3 - 5).Within(1e-6));
        Assert.That(y[2], Is.EqualTo(0.3f + 0.5f + 0.25f).Within(1e-6));
    }

    [Test]
    public void SilentInputCostsNothingAndGivesTheBias()
    {
        var g = new ConvGeometry(4, 5, 5, 6, 3, 2, 1);
        var w = TestData.Normal(TestData.Rng(2, "conv.silent"), g.WeightLength);
        float[] b = [1, 2, 3, 4, 5, 6];
        var y = new float[g.OutputLength];
        Assert.That(SpikingConv.Forward(g, new float[g.InputLength], w, b, y, binaryInput: true), Is.Zero);
        for (var co = 0; co < 6; co++)
            Assert.That(y.AsSpan(co * 9, 9).ToArray(), Is.All.EqualTo(b[co]));
    }

    [Test]
    public void PackedFormWithCallerScratchMatches()
    {
        var g = new ConvGeometry(6, 7, 5, 9, 3, 1, 1, 3);
        var rng = TestData.Rng(3, "conv.packed");
        var x = TestData.Binary(rng, g.InputLength, 0.2);
        var w = TestData.Normal(rng, g.WeightLength);
        var packed = new float[g.WeightLength];
        SpikingConv.Pack(g, w, packed);
        float[] a = new float[g.OutputLength], b = new float[g.OutputLength];
        var scratch = new float[g.OutputLength + 7];
        SpikingConv.ForwardPacked(g, x, packed, default, a, scratch, true);
        SpikingConv.ForwardMultiply(g, x, w, default, b);
        Assert.That(TestData.Close(a, b, 1e-5));
    }

    [Test]
    public void GeometryMatchesPyTorchShapesAndFlops()
    {
        var g = new ConvGeometry(3, 224, 224, 64, 7, 2, 3);
        Assert.That((g.OutHeight, g.OutWidth), Is.EqualTo((112, 112)));
        Assert.That(g.Flops, Is.EqualTo(49L * 112 * 112 * 3 * 64));
        var pad = new ConvGeometry(8, 4, 4, 8, 1, 1, 1);
        Assert.That((pad.OutHeight, pad.OutWidth), Is.EqualTo((6, 6)));
        Assert.Throws<ArgumentException>(() => _ = new ConvGeometry(6, 4, 4, 8, 3, 1, 1, 4));
        Assert.Throws<ArgumentException>(() => _ = new ConvGeometry(2, 2, 2, 2, 5));
    }
}
