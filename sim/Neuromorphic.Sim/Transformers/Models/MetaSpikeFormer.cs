namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>Configuration of a Meta-SpikeFormer (Spike-driven Transformer V2).</summary>
public sealed record MetaSpikeFormerOptions
{
    /// <summary>
    /// The released code's <c>embed_dim</c>: channels C1, C2, C3, C4 of stages 1 (second half), 2, 3
    /// and 4; the first half of stage 1 runs at C1 / 2. Default: the 8_512 set [128, 256, 512, 640].
    /// </summary>
    public IReadOnlyList<int> Channels { get; init; } = MetaSpikeFormer.Channels8x512;

    /// <summary>Attention heads (8).</summary>
    public int Heads { get; init; } = 8;

    /// <summary>Expansion of the conv blocks' 3x3 convs and of the MLPs (4).</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Transformer blocks in stage 3 (6).</summary>
    public int Stage3Blocks { get; init; } = 6;

    /// <summary>Transformer blocks in stage 4 (2).</summary>
    public int Stage4Blocks { get; init; } = 2;

    /// <summary>Input height and width (224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Input channels (3).</summary>
    public int ImageChannels { get; init; } = 3;

    /// <summary>T.</summary>
    public int Timesteps { get; init; } = 4;

    /// <summary>Output classes.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>Registry name; derived from the channels when null (see <see cref="MetaSpikeFormer.NameOf"/>).</summary>
    public string? Name { get; init; }
}

/// <summary>
/// Builds Meta-SpikeFormer / Spike-driven Transformer V2 (Yao et al., ICLR 2024) as a layer list,
/// following the released code (BICLab/Spike-Driven-Transformer-V2, <c>classification/models.py</c>:
/// Spiking_vit_MetaFormer, MS_DownSampling, MS_ConvBlock, SepConv, MS_Block,
/// MS_Attention_RepConv_qkv_id, MS_MLP, RepConv, BNAndPadLayer).
/// </summary>
/// <remarks>
/// <para>Stages (224 input; C1..C4 = <see cref="MetaSpikeFormerOptions.Channels"/>):
/// stage 1: [<c>stage1.downsample1.conv</c>] Conv7x7 stride 2 padding 3, image -> C1/2, with bias
/// and BN (the only layer fed by the real-valued image; no LIF before it), conv block at 112
/// [<c>stage1.block1</c>]; [<c>stage1.downsample2</c>] LIF -> Conv3x3 s2 p1 C1/2 -> C1 with bias,
/// BN; conv block at 56 [<c>stage1.block2</c>]. Stage 2: downsample to C2 at 28, conv blocks
/// [<c>stage2.block1</c>, <c>stage2.block2</c>]. Stage 3: downsample to C3 at 14, 6 transformer
/// blocks. Stage 4: [<c>stage4.downsample</c>] LIF -> Conv3x3 stride 1 C3 -> C4, BN, 2 transformer
/// blocks at 14. Every non-first downsample is LIF [<c>.lif</c>] -> conv with bias -> BN [<c>.conv</c>].</para>
/// <para>Conv block (MS_ConvBlock, C channels): SepConv: LIF [<c>sep.lif1</c>] -> Conv1x1 C -> 2C
/// no bias, BN [<c>sep.pw1</c>] -> LIF [<c>sep.lif2</c>] -> depthwise Conv7x7 padding 3 no bias, no
/// BN [<c>sep.dw</c>] -> Conv1x1 2C -> C no bias, BN [<c>sep.pw2</c>]; + x [<c>sep_add</c>]; then
/// LIF [<c>lif1</c>] -> Conv3x3 C -> 4C no bias, BN [<c>conv1</c>] -> LIF [<c>lif2</c>] -> Conv3x3
/// 4C -> C no bias, BN [<c>conv2</c>]; + the SepConv sum [<c>add</c>].</para>
/// <para>Transformer block (MS_Block): x + SDSA(x) [<c>attn.add</c>], then x + MLP(x)
/// [<c>mlp.add</c>]. SDSA: LIF [<c>attn.lif</c>] (the code's head_lif); Q, K, V =
/// LIF(BN(RepConv(x))) [<c>attn.q.*</c>, <c>attn.q_lif</c>, ...]; A = Q (K^T V)
/// [<c>attn.sdsa</c>, <see cref="LayerKind.SdsaV2"/>, integer counts]; x 0.125
/// [<c>attn.scale</c>]; attn_lif with threshold 0.5 [<c>attn.attn_lif</c>]; BN(RepConv(.))
/// [<c>attn.proj.*</c>]. MLP: LIF [<c>mlp.fc1_lif</c>] -> 1x1 C -> 4C with bias, BN
/// [<c>mlp.fc1</c>] -> LIF [<c>mlp.fc2_lif</c>] -> 1x1 4C -> C with bias, BN [<c>mlp.fc2</c>]
/// (Conv1d with kernel 1 in the code, a 1x1 conv here).</para>
/// <para>RepConv(Cin, Cout) [<c>*.pw1</c>, <c>*.dw</c>, <c>*.pw2</c>], as its components so that
/// parameters count as in PyTorch: <c>pw1</c> = Conv1x1 Cin -> Cin no bias with
/// <see cref="ModelLayer.Padding"/> 1 and BN: the code's BNAndPadLayer pads the BN output with
/// BN(0) (the BN shift), which is exactly what a zero-padded 1x1 conv without bias followed by the
/// BN produces, so its output is (H + 2) x (W + 2); <c>dw</c> = depthwise Conv3x3 padding 0, no
/// bias, no BN (back to H x W); <c>pw2</c> = Conv1x1 Cin -> Cout no bias with two BatchNorms (the
/// RepConv's own and the one the attention appends), both folded into it and both counted in its
/// parameters. The branch is linear between the spikes feeding <c>pw1</c> and the next LIF, so it
/// folds into one 3x3 conv (padding 1) on spikes; <c>dw</c> and <c>pw2</c> (like SepConv's
/// <c>sep.pw2</c>) receive the real-valued output of the conv before them, but keep
/// <see cref="ModelLayer.SpikingInput"/> true, because that flag is reserved for the encoding conv.
/// Their FLOPs are those of the components as executed unfolded.</para>
/// <para>Head: spatial mean [<c>head.mean</c>] -> LIF [<c>head.lif</c>] -> Linear(C4, classes)
/// with bias [<c>head.fc</c>]; logits averaged over T (a readout, not a layer). Note: the released
/// classification code applies <c>head</c> to the mean before the LIF (only its distillation head
/// sees <c>lif(x)</c>); this builder follows the paper and the issue, which put the LIF before the
/// linear so that it sees spikes. The distillation head (C4 x classes + classes parameters) is not
/// built.</para>
/// </remarks>
public static class MetaSpikeFormer
{
    /// <summary>Name prefix of the Meta-SpikeFormer models.</summary>
    public const string Prefix = "meta-spikeformer-";

    /// <summary>Channel set of 8_384 (31.3M parameters).</summary>
    public static IReadOnlyList<int> Channels8x384 { get; } = [96, 192, 384, 480];

    /// <summary>Channel set of 8_512 (55.35M parameters without the distillation head).</summary>
    public static IReadOnlyList<int> Channels8x512 { get; } = [128, 256, 512, 640];

    /// <summary>Channel set of 8_768 in the released code ([192, 384, 768, 960]).</summary>
    public static IReadOnlyList<int> Channels8x768 { get; } = [192, 384, 768, 960];

    /// <summary>
    /// The released code's channel set for "8-D": [D/4, D/2, D, 5D/4] (D divisible by 8).
    /// </summary>
    public static IReadOnlyList<int> ChannelsFor(int dimension)
    {
        if (dimension < 8 || dimension % 8 != 0) throw new ArgumentException($"dimension {dimension} must be a positive multiple of 8", nameof(dimension));
        return [dimension / 4, dimension / 2, dimension, dimension * 5 / 4];
    }

    /// <summary>
    /// Registry name: <c>meta-spikeformer-8-D</c> for a released-pattern set (see
    /// <see cref="ChannelsFor"/>), else <c>meta-spikeformer-C1-C2-C3-C4</c>.
    /// </summary>
    public static string NameOf(IReadOnlyList<int> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var d = channels.Count == 4 ? channels[2] : 0;
        return d >= 8 && d % 8 == 0 && channels.SequenceEqual(ChannelsFor(d))
            ? $"{Prefix}8-{d}"
            : $"{Prefix}{string.Join('-', channels)}";
    }

    /// <summary>Builds the model with channel set <paramref name="channels"/> at 224 x 224, T = 4, 1000 classes.</summary>
    public static TransformerModel Build(IReadOnlyList<int> channels) => Build(new MetaSpikeFormerOptions { Channels = channels });

    /// <summary>Builds the model described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the image is too small for the downsampling.</exception>
    public static TransformerModel Build(MetaSpikeFormerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = options.Channels ?? throw new ArgumentException("channels are required", nameof(options));
        if (c.Count != 4 || c.Any(x => x < 1)) throw new ArgumentException("four positive channel counts are required", nameof(options));
        if (c[0] % 2 != 0) throw new ArgumentException($"C1 = {c[0]} must be even (stage 1 starts at C1 / 2)", nameof(options));
        if (options.Heads < 1 || c[2] % options.Heads != 0 || c[3] % options.Heads != 0)
            throw new ArgumentException($"C3 = {c[2]} and C4 = {c[3]} must be divisible into {options.Heads} heads", nameof(options));
        if (options.MlpRatio < 1 || options.Stage3Blocks < 0 || options.Stage4Blocks < 0)
            throw new ArgumentException("MLP ratio must be positive and block counts non-negative", nameof(options));
        if (options.ImageSize < 1 || options.ImageChannels < 1 || options.Timesteps < 1 || options.Classes < 1)
            throw new ArgumentException("image size, image channels, timesteps and classes must be positive", nameof(options));

        var b = new LayerListBuilder(options.ImageChannels, options.ImageSize);
        var r = options.MlpRatio;

        // Stage 1.
        var x = b.Conv("stage1.downsample1.conv", TransformerModel.ImageInput, c[0] / 2, kernel: 7, stride: 2, padding: 3,
            bias: true, spikingInput: false);
        x = ConvBlock(b, "stage1.block1", x, r);
        x = Downsample(b, "stage1.downsample2", x, c[0], stride: 2);
        x = ConvBlock(b, "stage1.block2", x, r);

        // Stage 2.
        x = Downsample(b, "stage2.downsample", x, c[1], stride: 2);
        x = ConvBlock(b, "stage2.block1", x, r);
        x = ConvBlock(b, "stage2.block2", x, r);

        // Stage 3.
        x = Downsample(b, "stage3.downsample", x, c[2], stride: 2);
        for (var i = 1; i <= options.Stage3Blocks; i++) x = TransformerBlock(b, $"stage3.block{i}", x, options.Heads, r);

        // Stage 4.
        x = Downsample(b, "stage4.downsample", x, c[3], stride: 1);
        for (var i = 1; i <= options.Stage4Blocks; i++) x = TransformerBlock(b, $"stage4.block{i}", x, options.Heads, r);

        // Head.
        x = b.GlobalMean("head.mean", x);
        x = b.Lif("head.lif", x);
        b.Linear("head.fc", x, options.Classes);

        return new TransformerModel(options.Name ?? NameOf(c), options.ImageChannels, options.ImageSize,
            options.Timesteps, options.Classes, b.Layers.ToArray());
    }

    /// <summary>MS_DownSampling with first_layer false: LIF -> Conv3x3 (bias) -> BN.</summary>
    private static string Downsample(LayerListBuilder b, string p, string x, int channels, int stride)
    {
        x = b.Lif($"{p}.lif", x);
        return b.Conv($"{p}.conv", x, channels, kernel: 3, stride: stride, padding: 1, bias: true);
    }

    /// <summary>MS_ConvBlock: x + SepConv(x), then + BN(Conv3x3(LIF(BN(Conv3x3(LIF(.)))))).</summary>
    private static string ConvBlock(LayerListBuilder b, string p, string x, int ratio)
    {
        var c = b.ShapeOf(x).Channels;
        var s = b.Lif($"{p}.sep.lif1", x);
        s = b.Conv($"{p}.sep.pw1", s, 2 * c, kernel: 1);
        s = b.Lif($"{p}.sep.lif2", s);
        s = b.Conv($"{p}.sep.dw", s, 2 * c, kernel: 7, padding: 3, groups: 2 * c, batchNorms: 0);
        s = b.Conv($"{p}.sep.pw2", s, c, kernel: 1);
        var feature = b.Sum($"{p}.sep_add", s, x);

        var y = b.Conv($"{p}.conv1", b.Lif($"{p}.lif1", feature), ratio * c, kernel: 3, padding: 1);
        y = b.Conv($"{p}.conv2", b.Lif($"{p}.lif2", y), c, kernel: 3, padding: 1);
        return b.Sum($"{p}.add", y, feature);
    }

    /// <summary>MS_Block: x + SDSA(x), then x + MLP(x).</summary>
    private static string TransformerBlock(LayerListBuilder b, string p, string x, int heads, int ratio)
    {
        var c = b.ShapeOf(x).Channels;
        var s = b.Lif($"{p}.attn.lif", x);
        var q = b.Lif($"{p}.attn.q_lif", RepConv(b, $"{p}.attn.q", s, c));
        var k = b.Lif($"{p}.attn.k_lif", RepConv(b, $"{p}.attn.k", s, c));
        var v = b.Lif($"{p}.attn.v_lif", RepConv(b, $"{p}.attn.v", s, c));
        var a = b.Attention($"{p}.attn.sdsa", LayerKind.SdsaV2, q, k, v, heads, threshold: 1.0, parameters: 0);
        a = b.Scale($"{p}.attn.scale", a, 0.125);
        a = b.Lif($"{p}.attn.attn_lif", a, threshold: 0.5);
        a = RepConv(b, $"{p}.attn.proj", a, c);
        x = b.Sum($"{p}.attn.add", a, x);

        var m = b.Conv($"{p}.mlp.fc1", b.Lif($"{p}.mlp.fc1_lif", x), ratio * c, kernel: 1, bias: true);
        m = b.Conv($"{p}.mlp.fc2", b.Lif($"{p}.mlp.fc2_lif", m), c, kernel: 1, bias: true);
        return b.Sum($"{p}.mlp.add", m, x);
    }

    /// <summary>
    /// RepConv(Cin, Cout) followed by the attention's BatchNorm: 1x1 (zero padding 1) + BN, depthwise
    /// 3x3 (padding 0), 1x1 + BN + BN.
    /// </summary>
    private static string RepConv(LayerListBuilder b, string p, string x, int outChannels)
    {
        var cin = b.ShapeOf(x).Channels;
        var y = b.Conv($"{p}.pw1", x, cin, kernel: 1, padding: 1);
        y = b.Conv($"{p}.dw", y, cin, kernel: 3, padding: 0, groups: cin, batchNorms: 0);
        return b.Conv($"{p}.pw2", y, outChannels, kernel: 1, batchNorms: 2);
    }
}
