using CsCheck;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>Projections and operators against naive, independently written references.</summary>
public sealed class OperatorTests
{
    /// <summary>Runs one node between an input and an output for one step.</summary>
    private static float[] RunOnce(Node node, float[] input)
    {
        var network = new Network(
            [new InputNode("in", node.InputShape!), node, new OutputNode("out", node.OutputShape!)],
            [new("in", node.Name), new(node.Name, "out")]);
        var raster = new SpikeRaster(1, input.Length, (float[])input.Clone());
        return new NetworkExecutor<double>(network, 1e-3).Run(raster).Outputs["out"].Row(0).ToArray();
    }

    private static double NaiveConv(float[] x, float[] w, int[] ws, float[]? b, int[] inSpatial, int[] stride, int[] pad, int[] dil,
        int groups, int co, int oy, int ox)
    {
        int cinG = ws[1], kh = ws[2], kw = ws[3], ih = inSpatial[0], iw = inSpatial[1];
        var g = co / (ws[0] / groups);
        double sum = b?[co] ?? 0;
        for (var c = 0; c < cinG; c++)
            for (var ky = 0; ky < kh; ky++)
                for (var kx = 0; kx < kw; kx++)
                {
                    var iy = oy * stride[0] - pad[0] + ky * dil[0];
                    var ix = ox * stride[1] - pad[1] + kx * dil[1];
                    if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
                    sum += (double)x[((g * cinG + c) * ih + iy) * iw + ix] * w[((co * cinG + c) * kh + ky) * kw + kx];
                }
        return sum;
    }

    [Test]
    public void Conv2dScatterEqualsGatherReference()
    {
        var gen =
            from groups in Gen.Int[1, 2]
            from cinG in Gen.Int[1, 3]
            from coutG in Gen.Int[1, 3]
            from k in Gen.Int[1, 3]
            from h in Gen.Int[3, 7]
            from w in Gen.Int[3, 7]
            from s in Gen.Int[1, 2]
            from p in Gen.Int[0, 2]
            from d in Gen.Int[1, 2]
            from bias in Gen.Bool
            from seed in Gen.Int
            select (groups, cinG, coutG, k, h, w, s, p, d, bias, seed);
        gen.Where(c => c.h + 2 * c.p - c.d * (c.k - 1) - 1 >= 0 && c.w + 2 * c.p - c.d * (c.k - 1) - 1 >= 0).Sample(c =>
        {
            var rng = new Random(c.seed);
            int cout = c.coutG * c.groups, cin = c.cinG * c.groups;
            int[] ws = [cout, c.cinG, c.k, c.k];
            var weight = Enumerable.Range(0, cout * c.cinG * c.k * c.k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            var bias = c.bias ? Enumerable.Range(0, cout).Select(_ => (float)rng.NextDouble()).ToArray() : null;
            // Sparse binary input, as spikes would be.
            var x = Enumerable.Range(0, cin * c.h * c.w).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray();
            var node = new ConvNode("conv", weight, ws, bias, [c.s, c.s], [c.p, c.p], [c.d, c.d], c.groups, [c.h, c.w]);
            var y = RunOnce(node, x);
            int oh = node.OutputSpatial[0], ow = node.OutputSpatial[1];
            for (var co = 0; co < cout; co++)
                for (var oy = 0; oy < oh; oy++)
                    for (var ox = 0; ox < ow; ox++)
                    {
                        var expected = NaiveConv(x, weight, ws, bias, [c.h, c.w], [c.s, c.s], [c.p, c.p], [c.d, c.d], c.groups, co, oy, ox);
                        if (Math.Abs(y[(co * oh + oy) * ow + ox] - expected) > 1e-5) return false;
                    }
            return true;
        }, iter: 200);
    }

    [Test]
    public void Conv1dEqualsConv2dOfHeightOne()
    {
        var w = new float[] { 1, -2, 3, 0.5f, 0.25f, -1 }; // [2 out, 1 in, 3]
        var x = new float[] { 1, 0, 2, 0, 0, 1, 1 };
        var c1 = RunOnce(new ConvNode("c1", w, [2, 1, 3], null, [2], [1], [1], 1, [7]), x);
        var c2 = RunOnce(new ConvNode("c2", w, [2, 1, 1, 3], null, [1, 2], [0, 1], [1, 1], 1, [1, 7]), x);
        Assert.That(c1, Is.EqualTo(c2));
        // First output: padded window (0, x0, x1) . (1, -2, 3) = -2.
        Assert.That(c1[0], Is.EqualTo(-2f));
    }

    [Test]
    public void DenseAndSparseProjectionsAgree()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int).Sample((rows, cols, seed) =>
        {
            var rng = new Random(seed);
            var dense = Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() < 0.3 ? (float)(rng.NextDouble() - 0.5) : 0f).ToArray();
            var x = Enumerable.Range(0, cols).Select(_ => rng.NextDouble() < 0.5 ? (float)rng.Next(0, 3) : 0f).ToArray();
            var a = RunOnce(new DenseNode("d", dense, rows, cols), x);
            var b = RunOnce(new SparseNode("s", CsrMatrix.FromDense(dense, rows, cols)), x);
            for (var r = 0; r < rows; r++)
            {
                double expected = 0;
                for (var c = 0; c < cols; c++) expected += (double)dense[r * cols + c] * x[c];
                if (Math.Abs(a[r] - expected) > 1e-5 || Math.Abs(b[r] - expected) > 1e-5) return false;
            }
            return true;
        });
    }

    [Test]
    public void AffineAddsBias()
    {
        var y = RunOnce(new DenseNode("a", [1, 2, 3, 4], 2, 2, [10, 20]), [1, 1]);
        Assert.That(y, Is.EqualTo(new float[] { 13, 27 }));
    }

    [Test]
    public void SumAndAveragePooling()
    {
        var x = Enumerable.Range(1, 16).Select(i => (float)i).ToArray(); // 1 x 4 x 4
        var sum = RunOnce(new PoolNode("p", PoolKind.Sum, [2, 2], [2, 2], [0, 0], [1, 4, 4]), x);
        Assert.That(sum, Is.EqualTo(new float[] { 1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16 }));
        var avg = RunOnce(new PoolNode("p", PoolKind.Average, [2, 2], [2, 2], [0, 0], [1, 4, 4]), x);
        Assert.That(avg, Is.EqualTo(sum.Select(v => v / 4).ToArray()));
    }

    [Test]
    public void SparseSynapticDelaysShiftDelivery()
    {
        // Two synapses from input 0: to output 0 with delay 0, to output 1 with delay 3.
        var w = new CsrMatrix(2, 1, [0, 1, 2], [0, 0], [1f, 2f]);
        var node = new SparseNode("s", w, [0, 3]);
        var network = new Network([new InputNode("in", [1]), node, new OutputNode("out", [2])], [new("in", "s"), new("s", "out")]);
        var raster = new SpikeRaster(5, 1, [1, 0, 0, 0, 0]);
        var outRaster = new NetworkExecutor<float>(network, 1e-3).Run(raster).Outputs["out"];
        Assert.That(Enumerable.Range(0, 5).Select(t => outRaster[t, 0]), Is.EqualTo(new float[] { 1, 0, 0, 0, 0 }));
        Assert.That(Enumerable.Range(0, 5).Select(t => outRaster[t, 1]), Is.EqualTo(new float[] { 0, 0, 0, 2, 0 }));
    }

    [Test]
    public void DelayNodeRoundsSecondsToSteps()
    {
        var node = new DelayNode("d", [0.0, 2e-3], [2]);
        var network = new Network([new InputNode("in", [2]), node, new OutputNode("out", [2])], [new("in", "d"), new("d", "out")]);
        var raster = new SpikeRaster(4, 2, [1, 1, 0, 0, 0, 0, 0, 0]);
        var y = new NetworkExecutor<float>(network, 1e-3).Run(raster).Outputs["out"];
        Assert.That(new[] { y[0, 0], y[0, 1], y[2, 1] }, Is.EqualTo(new float[] { 1, 0, 1 }));
    }

    [Test]
    public void ThresholdAndScale()
    {
        Assert.That(RunOnce(new ThresholdNode("t", [0.5f, 0.5f, 0.5f], [3]), [0.4f, 0.5f, 0.6f]), Is.EqualTo(new float[] { 0, 0, 1 }));
        Assert.That(RunOnce(new ScaleNode("s", [2, -1], [2]), [3, 4]), Is.EqualTo(new float[] { 6, -4 }));
    }

    [Test]
    public void FlattenKeepsDataAndComputesShape()
    {
        var node = new FlattenNode("f", 0, -1, [2, 2, 2]);
        Assert.That(node.OutputShape, Is.EqualTo(new[] { 8 }));
        Assert.That(new FlattenNode("f", 1, 2, [3, 4, 5]).OutputShape, Is.EqualTo(new[] { 3, 20 }));
        var x = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
        Assert.That(RunOnce(node, x), Is.EqualTo(x));
    }
}
