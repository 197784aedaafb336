using CsCheck;
using Neuromorphic.Sim.Transformers.Operators;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Operators;

/// <summary>BatchNorm folding and RepConv re-parameterisation.</summary>
public sealed class FoldingTests
{
    [Test]
    public void ConvThenBatchNormEqualsFoldedConv()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 3], Gen.Bool, Gen.Int).Sample((cin, cout, k, convBias, seed) =>
        {
            var rng = TestData.Rng(seed, "bn.fold");
            var g = new ConvGeometry(cin, 5, 4, cout, k, 1, k / 2);
            var x = TestData.Normal(rng, g.InputLength);
            var w = TestData.Normal(rng, g.WeightLength);
            var b = convBias ? TestData.Normal(rng, cout) : null;
            var bn = new BatchNormParameters(TestData.Uniform(rng, cout, 0.2, 2), TestData.Normal(rng, cout, 0.5),
                TestData.Normal(rng, cout, 0.5), TestData.Uniform(rng, cout, 0.1, 3), 1e-5f);

            var unfolded = new float[g.OutputLength];
            SpikingConv.ForwardMultiply(g, x, w, b, unfolded);
            bn.Apply(unfolded, g.OutHeight * g.OutWidth);

            var (fw, fb) = BatchNormFolding.Fold(w, b, bn.Gamma, bn.Beta, bn.Mean, bn.Variance, bn.Epsilon);
            var folded = new float[g.OutputLength];
            SpikingConv.ForwardMultiply(g, x, fw, fb, folded);
            return TestData.Close(folded, unfolded, 1e-4);
        }, iter: 200);
    }

    [Test]
    public void FoldingByHand()
    {
        // One channel: weight 2, bias 1; BN gamma 3, beta 0.5, mean 1, var 4 - eps.
        var (w, b) = BatchNormFolding.Fold([2f], [1f], [3f], [0.5f], [1f], [4f - 1e-5f], 1e-5f);
        Assert.That(w[0], Is.EqualTo(3f).Within(1e-6));          // 2 * 3 / 2
        Assert.That(b[0], Is.EqualTo(0.5f).Within(1e-6));        // (1 - 1) * 1.5 + 0.5
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold([1f, 2f, 3f], null, [1f, 1f], [0f, 0f], [0f, 0f], [1f, 1f]));
    }

    /// <summary>The acceptance criterion: the folded 3x3 conv equals the unfolded branch within 1e-4 relative.</summary>
    [Test]
    public void RepConvFoldedEqualsUnfolded()
    {
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 7], Gen.Int[1, 7], Gen.Bool, Gen.Int).Sample((cin, cout, h, w, spikes, seed) =>
        {
            var rng = TestData.Rng(seed, "repconv");
            var p = RepConvParameters.Random(cin, cout, rng);
            var x = spikes ? TestData.Binary(rng, cin * h * w, 0.3) : TestData.Normal(rng, cin * h * w);
            var unfolded = new float[cout * h * w];
            RepConv.Forward(p, x, h, w, unfolded);
            var (fw, fb) = RepConv.Fold(p);
            var folded = new float[cout * h * w];
            SpikingConv.Forward(RepConv.FoldedGeometry(p, h, w), x, fw, fb, folded, binaryInput: spikes);
            var scale = Math.Max(1e-6, unfolded.Max(Math.Abs));
            for (var i = 0; i < folded.Length; i++)
                if (Math.Abs(folded[i] - unfolded[i]) > 1e-4 * Math.Max(Math.Abs(unfolded[i]), scale)) return false;
            return true;
        }, iter: 200);
    }

    [Test]
    public void RepConvPadsWithTheBatchNormShiftNotZero()
    {
        // A zero input: everything the branch outputs comes from BN1's shift through the padding
        // and the interior alike, so the output is spatially uniform (as the folded bias).
        var rng = TestData.Rng(5, "repconv.pad");
        var p = RepConvParameters.Random(3, 2, rng);
        var y = new float[2 * 4 * 4];
        RepConv.Forward(p, new float[3 * 4 * 4], 4, 4, y);
        var (_, bias) = RepConv.Fold(p);
        for (var c = 0; c < 2; c++)
            Assert.That(y.AsSpan(c * 16, 16).ToArray(), Is.All.EqualTo(bias[c]).Within(1e-5));
        Assert.That(Enumerable.Range(0, 2).Any(c => Math.Abs(bias[c] - p.Bn2.Shift(c)) > 1e-3), "the BN1 shift reaches the output");
    }
}
