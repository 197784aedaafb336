using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Models;

/// <summary>The V1 and Meta-SpikeFormer builders against the papers' parameter counts and against their own shape rules.</summary>
public sealed class ModelBuilderTests
{
    private static IEnumerable<string> Published => ModelZoo.Names;

    /// <summary>Published models plus small functional configurations.</summary>
    private static IEnumerable<TestCaseData> AllModels()
    {
        foreach (var name in ModelZoo.Names) yield return new TestCaseData(ModelZoo.Create(name)).SetArgDisplayNames(name);
        yield return new TestCaseData(MetaSpikeFormer.Build(new MetaSpikeFormerOptions { Channels = [16, 32, 64, 96], ImageSize = 32, Timesteps = 4, Classes = 10 }))
            .SetArgDisplayNames("meta-spikeformer-16-32-64-96@32");
        yield return new TestCaseData(SpikeDrivenTransformerV1.Build(new SdtV1Options { Blocks = 2, Embedding = 64, ImageSize = 32, Classes = 10 }))
            .SetArgDisplayNames("sdt-v1-2-64@32");
        yield return new TestCaseData(SpikeDrivenTransformerV1.Build(new SdtV1Options { Blocks = 2, Embedding = 64, ImageSize = 32, Classes = 10, PoolingStat = "0011" }))
            .SetArgDisplayNames("sdt-v1-2-64@32,0011");
        yield return new TestCaseData(SpikeDrivenTransformerV1.Build(new SdtV1Options { Blocks = 1, Embedding = 64, MlpRatio = 1, ImageSize = 32, Classes = 10 }))
            .SetArgDisplayNames("sdt-v1-1-64@32,mlp1");
    }

    [TestCaseSource(nameof(Published))]
    public void ParameterCountMatchesThePaperWithinHalfAPercent(string name)
    {
        var model = ModelZoo.Create(name);
        var published = ModelZoo.PublishedParameters[name];
        var error = (double)(model.Parameters - published) / published;
        TestContext.Out.WriteLine($"{name}: {model.Parameters:N0} parameters (published {published / 1e6:0.00}M, {error:+0.000%;-0.000%})");
        Assert.That(Math.Abs(error), Is.LessThan(0.005));
    }

    [TestCase(8, 384)]
    [TestCase(6, 512)]
    [TestCase(8, 512)]
    [TestCase(10, 512)]
    [TestCase(8, 768)]
    public void V1ParametersEqualTheClosedFormOfTheReleasedCode(int blocks, int d)
    {
        // MS_SPS: four 3x3 convs without bias + BN, rpe 3x3 conv + BN; per block q, k, v (no bias) + BN,
        // proj (bias) + BN, fc1 D->4D (bias) + BN, fc2 4D->D (bias) + BN, talking_heads Conv1d(8, 8, 1);
        // head Linear(D, 1000).
        long D = d;
        long sps = 9 * (3 * D / 8 + D / 8 * (D / 4) + D / 4 * (D / 2) + D / 2 * D + D * D) + 2 * (D / 8 + D / 4 + D / 2 + D + D);
        long block = 3 * (D * D + 2 * D) + (D * D + 3 * D) + (4 * D * D + 12 * D) + (4 * D * D + 3 * D) + 64;
        long head = D * 1000 + 1000;
        Assert.That(SpikeDrivenTransformerV1.Build(blocks, d).Parameters, Is.EqualTo(sps + blocks * block + head));
    }

    [TestCase(96, 192, 384, 480)]
    [TestCase(128, 256, 512, 640)]
    public void MetaSpikeFormerParametersEqualTheClosedFormOfTheReleasedCode(int c1, int c2, int c3, int c4)
    {
        // Conv block (C): SepConv 4C^2 + 104C (pw 2C^2, BN 4C, dw 98C, pw 2C^2, BN 2C) + 3x3 convs 72C^2 + BN 10C.
        // Transformer block: 4 x (BN(RepConv)) = 4 x (2C^2 + 15C) + MLP 8C^2 + 15C.
        static long Conv(long c) => 76 * c * c + 114 * c;
        static long Transformer(long c) => 16 * c * c + 75 * c;
        static long Down(long cin, long cout, int k) => k * k * cin * cout + 3 * cout;
        long c0 = c1 / 2;
        var expected = Down(3, c0, 7) + Conv(c0) + Down(c0, c1, 3) + Conv(c1) + Down(c1, c2, 3) + 2 * Conv(c2)
            + Down(c2, c3, 3) + 6 * Transformer(c3) + Down(c3, c4, 3) + 2 * Transformer(c4) + (c4 * 1000 + 1000);
        Assert.That(MetaSpikeFormer.Build([c1, c2, c3, c4]).Parameters, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(AllModels))]
    public void EveryInputIsAnEarlierLayerOrTheImage(TransformerModel model)
    {
        var seen = new HashSet<string>();
        foreach (var layer in model.Layers)
        {
            Assert.That(layer.Inputs, Is.Not.Empty, layer.Name);
            foreach (var input in layer.Inputs)
                Assert.That(input == TransformerModel.ImageInput || seen.Contains(input), Is.True, $"{layer.Name} <- {input}");
            Assert.That(seen.Add(layer.Name), Is.True, $"duplicate {layer.Name}");
        }
    }

    [TestCaseSource(nameof(AllModels))]
    public void ShapesFollowFromTheInputs(TransformerModel model)
    {
        var shapes = new Dictionary<string, (int C, int H, int W)> { [TransformerModel.ImageInput] = (model.ImageChannels, model.ImageSize, model.ImageSize) };
        foreach (var l in model.Layers)
        {
            var (c, h, w) = shapes[l.Inputs[0]];
            (int, int, int) expected = l.Kind switch
            {
                LayerKind.Conv or LayerKind.MaxPool => (l.Kind == LayerKind.Conv ? l.Channels : c,
                    (h + 2 * l.Padding - l.Kernel) / l.Stride + 1, (w + 2 * l.Padding - l.Kernel) / l.Stride + 1),
                LayerKind.GlobalMean => (c, 1, 1),
                LayerKind.Linear => (l.Channels, 1, 1),
                _ => (c, h, w),
            };
            Assert.That((l.Channels, l.Height, l.Width), Is.EqualTo(expected), l.Name);
            if (l.Kind is LayerKind.Conv or LayerKind.Linear)
            {
                Assert.That(l.InChannels, Is.EqualTo(c), l.Name);
                if (l.Kind == LayerKind.Linear) Assert.That((h, w), Is.EqualTo((1, 1)), l.Name);
            }
            if (l.Kind is LayerKind.Add or LayerKind.SdsaV1 or LayerKind.SdsaV2)
            {
                Assert.That(l.Inputs, Has.Count.EqualTo(l.Kind == LayerKind.Add ? 2 : 3), l.Name);
                foreach (var i in l.Inputs) Assert.That(shapes[i], Is.EqualTo((c, h, w)), $"{l.Name} <- {i}");
            }
            shapes[l.Name] = (l.Channels, l.Height, l.Width);
        }
        Assert.That(model.Layers[^1].Kind, Is.EqualTo(LayerKind.Linear));
        Assert.That(model.Layers[^1].Channels, Is.EqualTo(model.Classes));
    }

    [TestCaseSource(nameof(AllModels))]
    public void ParametersAndFlopsFollowTheCountingRules(TransformerModel model)
    {
        foreach (var l in model.Layers)
        {
            switch (l.Kind)
            {
                case LayerKind.Conv:
                    Assert.That(l.Flops, Is.EqualTo((long)l.Kernel * l.Kernel * l.Height * l.Width * l.InChannels * l.Channels / l.Groups), l.Name);
                    var weights = (long)l.Kernel * l.Kernel * l.InChannels / l.Groups * l.Channels + (l.Bias ? l.Channels : 0);
                    // A RepConv's last 1x1 carries two BatchNorms (RepConv's own and the attention's).
                    var bns = l.Name.EndsWith(".pw2", StringComparison.Ordinal) && l.Name.Contains(".attn.") ? 2 : l.BatchNorm ? 1 : 0;
                    Assert.That(l.Parameters, Is.EqualTo(weights + 2L * bns * l.Channels), l.Name);
                    break;
                case LayerKind.Linear:
                    Assert.That(l.Flops, Is.EqualTo((long)l.InChannels * l.Channels), l.Name);
                    Assert.That(l.Parameters, Is.EqualTo((long)l.InChannels * l.Channels + l.Channels), l.Name);
                    break;
                case LayerKind.SdsaV1:
                    Assert.That(l.Flops, Is.EqualTo(2L * l.Height * l.Width * l.Channels), l.Name);
                    Assert.That(l.Threshold, Is.EqualTo(0.5), l.Name);
                    break;
                case LayerKind.SdsaV2:
                    Assert.That(l.Flops, Is.EqualTo(2L * l.Height * l.Width * l.Channels * (l.Channels / l.Heads)), l.Name);
                    Assert.That(l.Parameters, Is.Zero, l.Name);
                    break;
                default:
                    Assert.That((l.Parameters, l.Flops), Is.EqualTo((0L, 0L)), l.Name);
                    break;
            }
        }
    }

    [TestCaseSource(nameof(AllModels))]
    public void OnlyTheFirstLayerSeesTheImage(TransformerModel model)
    {
        Assert.That(model.Layers[0].Inputs, Is.EqualTo(new[] { TransformerModel.ImageInput }));
        Assert.That(model.Layers.Where(l => !l.SpikingInput).Select(l => l.Name), Is.EqualTo(new[] { model.Layers[0].Name }));
        Assert.That(model.FirstConv, Is.SameAs(model.Layers[0]));
        Assert.That(model.Layers.Skip(1).SelectMany(l => l.Inputs), Has.None.EqualTo(TransformerModel.ImageInput));
    }

    [TestCaseSource(nameof(Published))]
    public void TokenGridIs14By14At224(string name)
    {
        var model = ModelZoo.Create(name);
        var attention = model.Layers.Where(l => l.Kind is LayerKind.SdsaV1 or LayerKind.SdsaV2).ToList();
        Assert.That(attention, Has.Count.EqualTo(name.StartsWith("meta", StringComparison.Ordinal) ? 8 : int.Parse(name.Split('-')[2])));
        Assert.That(attention.Select(l => (l.Height, l.Width, l.Heads)), Is.All.EqualTo((14, 14, 8)));
        Assert.That((model["head.mean"].Height, model["head.mean"].Width), Is.EqualTo((1, 1)));
    }

    [Test]
    public void V1SpsDownsamplesBy16AndMatchesTheReleasedLayout()
    {
        var m = SpikeDrivenTransformerV1.Build(8, 512);
        Assert.That(new[] { "sps.conv0", "sps.pool0", "sps.pool1", "sps.pool2", "sps.pool3", "sps.rpe_add" }.Select(n => m[n].Height),
            Is.EqualTo(new[] { 224, 112, 56, 28, 14, 14 }));
        Assert.That(new[] { "sps.conv0", "sps.conv1", "sps.conv2", "sps.conv3" }.Select(n => m[n].Channels), Is.EqualTo(new[] { 64, 128, 256, 512 }));
        // Stage 3 pools the BN output before its LIF; the rpe conv adds to that pooled membrane.
        Assert.That(m["sps.pool3"].Inputs, Is.EqualTo(new[] { "sps.conv3" }));
        Assert.That(m["sps.lif3"].Inputs, Is.EqualTo(new[] { "sps.pool3" }));
        Assert.That(m["sps.rpe_add"].Inputs, Is.EqualTo(new[] { "sps.rpe_conv", "sps.pool3" }));
        Assert.That(m["block1.attn.sdsa"].Inputs, Is.EqualTo(new[] { "block1.attn.q_lif", "block1.attn.k_lif", "block1.attn.v_lif" }));
        Assert.That(m["block1.attn.q_conv"].Bias, Is.False);
        Assert.That(m["block1.attn.proj_conv"].Bias, Is.True);
        Assert.That(m["block8.mlp.add"].Inputs, Is.EqualTo(new[] { "block8.mlp.fc2_conv", "block8.attn.add" }));
        Assert.That(m["head.fc"].Inputs, Is.EqualTo(new[] { "head.lif" }));
        Assert.That(m.FlopsFirstConv, Is.EqualTo(3L * 3 * 224 * 224 * 3 * 64));
    }

    [Test]
    public void MetaSpikeFormer8x512FirstConvIs7x7Stride2From3To64()
    {
        // Released code: downsample1_1 = MS_DownSampling(in_channels=3, embed_dims=embed_dim[0] // 2 = 64,
        // kernel_size=7, stride=2, padding=3), conv with bias, then BN.
        var first = ModelZoo.Create("meta-spikeformer-8-512").FirstConv;
        Assert.That((first.Name, first.Kernel, first.Stride, first.Padding, first.InChannels, first.Channels, first.Height, first.Width, first.Bias, first.BatchNorm),
            Is.EqualTo(("stage1.downsample1.conv", 7, 2, 3, 3, 64, 112, 112, true, true)));
        TestContext.Out.WriteLine($"meta-spikeformer-8-512 first conv FLOPs: {first.Flops:N0}");
        Assert.That(first.Flops, Is.EqualTo(7L * 7 * 112 * 112 * 3 * 64));
        Assert.That(first.Flops, Is.EqualTo(118_013_952L));
    }

    [Test]
    public void MetaSpikeFormerStagesRunAtTheReleasedResolutions()
    {
        var m = ModelZoo.Create("meta-spikeformer-8-512");
        Assert.That(new[] { "stage1.block1.add", "stage1.block2.add", "stage2.block2.add", "stage3.block6.mlp.add", "stage4.block2.mlp.add" }
            .Select(n => (m[n].Channels, m[n].Height)), Is.EqualTo(new[] { (64, 112), (128, 56), (256, 28), (512, 14), (640, 14) }));
        Assert.That(m["stage4.downsample.conv"].Stride, Is.EqualTo(1));
        // RepConv: 1x1 padded (BNAndPad), depthwise 3x3 unpadded, 1x1 with two folded BatchNorms.
        Assert.That((m["stage3.block1.attn.q.pw1"].Height, m["stage3.block1.attn.q.dw"].Groups, m["stage3.block1.attn.q.dw"].Height),
            Is.EqualTo((16, 512, 14)));
        Assert.That(m["stage3.block1.attn.q.pw2"].Parameters, Is.EqualTo(512L * 512 + 4 * 512));
        Assert.That(m["stage3.block1.attn.attn_lif"].Threshold, Is.EqualTo(0.5));
        Assert.That(m["stage3.block1.attn.scale"].Factor, Is.EqualTo(0.125));
        Assert.That(m["stage1.block1.sep.dw"].Kernel, Is.EqualTo(7));
    }

    [Test]
    public void SmallFunctionalConfigurationsBuild()
    {
        var v2 = ModelZoo.Create("meta-spikeformer-16-32-64-96", imageSize: 32, timesteps: 4, classes: 10);
        Assert.That((v2.ImageSize, v2.Timesteps, v2.Classes, v2["stage4.block2.mlp.add"].Height), Is.EqualTo((32, 4, 10, 2)));
        var v1 = ModelZoo.Create("sdt-v1-2-64", imageSize: 32, timesteps: 4, classes: 10);
        Assert.That((v1["sps.rpe_add"].Height, v1["head.fc"].Channels), Is.EqualTo((2, 10)));
        TestContext.Out.WriteLine($"{v2.Name}@32: {v2.Parameters:N0} parameters, {v2.Layers.Count} layers; {v1.Name}@32: {v1.Parameters:N0}, {v1.Layers.Count} layers");
    }
}
