namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>Configuration of a Spike-driven Transformer V1 model "L-D".</summary>
public sealed record SdtV1Options
{
    /// <summary>L: encoder blocks (SDSA + MLP).</summary>
    public int Blocks { get; init; } = 8;

    /// <summary>D: embedding channels (divisible by 8 and by <see cref="Heads"/>).</summary>
    public int Embedding { get; init; } = 384;

    /// <summary>Attention heads (8 in every published model).</summary>
    public int Heads { get; init; } = 8;

    /// <summary>MLP hidden channels per embedding channel (4).</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Input height and width (224 for ImageNet).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Input channels (3).</summary>
    public int ImageChannels { get; init; } = 3;

    /// <summary>T (4 for the published ImageNet models).</summary>
    public int Timesteps { get; init; } = 4;

    /// <summary>Output classes.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>
    /// The released code's <c>pooling_stat</c>: four '0'/'1' characters, '1' where the SPS stage
    /// max-pools (3x3, stride 2, padding 1). ImageNet uses "1111" (224 -> 14 x 14 tokens); the
    /// CIFAR configurations use "0011" (32 -> 8 x 8).
    /// </summary>
    public string PoolingStat { get; init; } = "1111";

    /// <summary>Registry name; <c>sdt-v1-L-D</c> when null.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// Builds Spike-driven Transformer V1 (Yao et al., NeurIPS 2023) "L-D" as a layer list, following
/// the released code (BICLab/Spike-Driven-Transformer: <c>module/sps.py</c> MS_SPS,
/// <c>module/ms_conv.py</c> MS_SSA_Conv and MS_MLP_Conv, <c>model/spikeformer.py</c>).
/// </summary>
/// <remarks>
/// <para>Layers, in order (names in brackets):</para>
/// <para>SPS [<c>sps.*</c>]: stage i = 0..3: Conv3x3 (stride 1, padding 1, no bias) -> BN
/// [<c>sps.conv{i}</c>] with channels D/8, D/4, D/2, D; stages 0-2: LIF [<c>sps.lif{i}</c>] then
/// MaxPool 3x3/2/1 [<c>sps.pool{i}</c>]; stage 3 pools first, on the BN output
/// [<c>sps.pool3</c>], then LIF [<c>sps.lif3</c>] (exactly as coded). The relative position
/// embedding: Conv3x3 D -> D no bias, BN [<c>sps.rpe_conv</c>] on <c>sps.lif3</c>, added to the
/// pooled membrane [<c>sps.rpe_add</c>]. <c>sps.conv0</c> sees the image (SpikingInput false).
/// The released <c>rpe_lif</c> is never used in the forward pass and is left out.</para>
/// <para>Block b = 1..L [<c>block{b}.*</c>]: SDSA: shortcut LIF [<c>attn.shortcut_lif</c>];
/// Q, K, V = LIF(BN(Conv1x1 D -> D, no bias)) [<c>attn.q_conv</c>, <c>attn.q_lif</c>, ...];
/// [<c>attn.sdsa</c>] = <see cref="LayerKind.SdsaV1"/> on [Q, K, V]: kv = sum over tokens of
/// K AND V per channel, kv' = talking_heads_lif(kv) with threshold 0.5, out = Q AND kv'. The
/// threshold-0.5 LIF is inside the SdsaV1 layer (its <see cref="ModelLayer.Threshold"/> is 0.5;
/// it is a multi-step LIF over timesteps on the [D] vector kv, not a separate layer), because
/// <see cref="LayerKind.SdsaV1"/> is defined to include it. Its <see cref="ModelLayer.Parameters"/>
/// are the heads^2 weights of the released code's <c>talking_heads</c> Conv1d(heads, heads, 1),
/// which the forward pass never uses but PyTorch counts. Then BN(Conv1x1 D -> D with bias)
/// [<c>attn.proj_conv</c>] + block input [<c>attn.add</c>]. MLP: LIF [<c>mlp.fc1_lif</c>] ->
/// Conv1x1 D -> rD with bias, BN [<c>mlp.fc1_conv</c>] -> LIF [<c>mlp.fc2_lif</c>] -> Conv1x1
/// rD -> D with bias, BN [<c>mlp.fc2_conv</c>] + the MLP input [<c>mlp.add</c>] (with r = 1 the
/// code also adds the input after fc1 [<c>mlp.fc1_add</c>]).</para>
/// <para>Head [<c>head.*</c>]: as coded, the spatial mean of the last block's membrane output
/// [<c>head.mean</c>] -> LIF [<c>head.lif</c>] -> Linear(D, classes) with bias [<c>head.fc</c>];
/// the logits are then averaged over T (a readout, not a layer).</para>
/// </remarks>
public static class SpikeDrivenTransformerV1
{
    /// <summary>Name prefix of the V1 models.</summary>
    public const string Prefix = "sdt-v1-";

    /// <summary>The published ImageNet models (L, D): 8-384, 6-512, 8-512, 10-512, 8-768.</summary>
    public static IReadOnlyList<(int Blocks, int Embedding)> Published { get; } = [(8, 384), (6, 512), (8, 512), (10, 512), (8, 768)];

    /// <summary>Registry name of model L-D: <c>sdt-v1-L-D</c>.</summary>
    public static string NameOf(int blocks, int embedding) => $"{Prefix}{blocks}-{embedding}";

    /// <summary>Builds model <paramref name="blocks"/>-<paramref name="embedding"/> at 224 x 224, T = 4, 1000 classes.</summary>
    public static TransformerModel Build(int blocks, int embedding) => Build(new SdtV1Options { Blocks = blocks, Embedding = embedding });

    /// <summary>Builds the model described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the image is too small for the pooling.</exception>
    public static TransformerModel Build(SdtV1Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = options.Embedding;
        if (options.Blocks < 1) throw new ArgumentException("at least one block", nameof(options));
        if (d < 8 || d % 8 != 0) throw new ArgumentException($"embedding {d} must be a positive multiple of 8", nameof(options));
        if (options.Heads < 1 || d % options.Heads != 0) throw new ArgumentException($"embedding {d} not divisible into {options.Heads} heads", nameof(options));
        if (options.MlpRatio < 1) throw new ArgumentException("MLP ratio must be at least 1", nameof(options));
        if (options.ImageSize < 1 || options.ImageChannels < 1 || options.Timesteps < 1 || options.Classes < 1)
            throw new ArgumentException("image size, image channels, timesteps and classes must be positive", nameof(options));
        var pooling = options.PoolingStat;
        if (pooling is null || pooling.Length != 4 || pooling.Any(c => c is not ('0' or '1')))
            throw new ArgumentException($"pooling stat '{pooling}' must be four characters 0 or 1", nameof(options));

        var b = new LayerListBuilder(options.ImageChannels, options.ImageSize);
        int[] widths = [d / 8, d / 4, d / 2, d];

        // SPS: conv -> BN (-> LIF) -> maxpool, as in MS_SPS.forward.
        var x = TransformerModel.ImageInput;
        for (var i = 0; i < 3; i++)
        {
            x = b.Conv($"sps.conv{i}", x, widths[i], kernel: 3, stride: 1, padding: 1, spikingInput: i > 0);
            x = b.Lif($"sps.lif{i}", x);
            if (pooling[i] == '1') x = b.MaxPool($"sps.pool{i}", x, 3, 2, 1);
        }
        x = b.Conv("sps.conv3", x, d, kernel: 3, stride: 1, padding: 1);
        if (pooling[3] == '1') x = b.MaxPool("sps.pool3", x, 3, 2, 1);
        var feature = x;
        x = b.Lif("sps.lif3", x);
        x = b.Conv("sps.rpe_conv", x, d, kernel: 3, stride: 1, padding: 1);
        x = b.Sum("sps.rpe_add", x, feature);

        var hidden = d * options.MlpRatio;
        for (var blk = 1; blk <= options.Blocks; blk++)
        {
            var p = $"block{blk}";
            // SDSA (MS_SSA_Conv, direct_xor as coded).
            var input = x;
            var s = b.Lif($"{p}.attn.shortcut_lif", input);
            var q = b.Lif($"{p}.attn.q_lif", b.Conv($"{p}.attn.q_conv", s, d, kernel: 1));
            var k = b.Lif($"{p}.attn.k_lif", b.Conv($"{p}.attn.k_conv", s, d, kernel: 1));
            var v = b.Lif($"{p}.attn.v_lif", b.Conv($"{p}.attn.v_conv", s, d, kernel: 1));
            var a = b.Attention($"{p}.attn.sdsa", LayerKind.SdsaV1, q, k, v, options.Heads, threshold: 0.5,
                parameters: (long)options.Heads * options.Heads);
            a = b.Conv($"{p}.attn.proj_conv", a, d, kernel: 1, bias: true);
            x = b.Sum($"{p}.attn.add", a, input);

            // MLP (MS_MLP_Conv).
            input = x;
            var m = b.Conv($"{p}.mlp.fc1_conv", b.Lif($"{p}.mlp.fc1_lif", input), hidden, kernel: 1, bias: true);
            var identity = input;
            if (hidden == d) identity = m = b.Sum($"{p}.mlp.fc1_add", m, input);
            m = b.Conv($"{p}.mlp.fc2_conv", b.Lif($"{p}.mlp.fc2_lif", m), d, kernel: 1, bias: true);
            x = b.Sum($"{p}.mlp.add", m, identity);
        }

        x = b.GlobalMean("head.mean", x);
        x = b.Lif("head.lif", x);
        b.Linear("head.fc", x, options.Classes);

        return new TransformerModel(options.Name ?? NameOf(options.Blocks, d), options.ImageChannels, options.ImageSize,
            options.Timesteps, options.Classes, b.Layers.ToArray());
    }
}
