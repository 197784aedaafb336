using System.Text.RegularExpressions;
using Neuromorphic.Sim.Transformers.Models;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>
/// The state-dict names of the public BICLab code for every conv and linear layer of a model
/// built by <see cref="SpikeDrivenTransformerV1"/> (BICLab/Spike-Driven-Transformer:
/// <c>model/spikeformer.py</c>, <c>module/sps.py</c>, <c>module/ms_conv.py</c>) or
/// <see cref="MetaSpikeFormer"/> (BICLab/Spike-Driven-Transformer-V2:
/// <c>classification/models.py</c>).
/// </summary>
/// <remarks>
/// V1: <c>patch_embed.proj_conv{,1,2,3}</c> + <c>proj_bn{,1,2,3}</c>, <c>patch_embed.rpe_conv</c>
/// + <c>rpe_bn</c>; per block j (0-based) <c>block.j.attn.{q,k,v}_conv</c> + <c>{q,k,v}_bn</c>,
/// <c>block.j.attn.proj_conv</c> (with bias) + <c>proj_bn</c>,
/// <c>block.j.mlp.fc{1,2}_conv</c> (with bias) + <c>fc{1,2}_bn</c>; <c>head</c>. The unused
/// <c>talking_heads</c> Conv1d is not read.
/// V2: <c>downsample1_1</c>, <c>downsample1_2</c>, <c>downsample2</c>, <c>downsample3</c>,
/// <c>downsample4</c> (<c>encode_conv</c> with bias + <c>encode_bn</c>); conv blocks
/// <c>ConvBlock1_1.0</c>, <c>ConvBlock1_2.0</c>, <c>ConvBlock2_1.0</c>, <c>ConvBlock2_2.0</c>
/// (<c>Conv.pwconv1</c> + <c>Conv.bn1</c>, <c>Conv.dwconv</c>, <c>Conv.pwconv2</c> +
/// <c>Conv.bn2</c>, <c>conv1</c> + <c>bn1</c>, <c>conv2</c> + <c>bn2</c>); transformer blocks
/// <c>block3.j</c>, <c>block4.j</c>: each RepConv <c>attn.X_conv</c> (X = q, k, v, proj) is
/// <c>X_conv.0.body.0</c> (1x1) + <c>X_conv.0.body.1.bn</c> (BNAndPadLayer),
/// <c>X_conv.0.body.2.0</c> (depthwise 3x3), <c>X_conv.0.body.2.1</c> (1x1) +
/// <c>X_conv.0.body.2.2</c> + <c>X_conv.1</c>; the MLP is Conv1d <c>mlp.fc{1,2}_conv</c> (with
/// bias, weight [out, in, 1]) + BatchNorm1d <c>mlp.fc{1,2}_bn</c>; <c>head</c>.
/// </remarks>
public static partial class BiclabNames
{
    /// <summary>The parameter source of a conv or linear layer of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The layer has no weights, or its name is not one the builders produce.</exception>
    public static ParameterSource For(TransformerModel model, ModelLayer layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.Kind is not (LayerKind.Conv or LayerKind.Linear)) throw new ArgumentException($"layer '{layer.Name}' has no weights");
        var v1 = model.Name.StartsWith(SpikeDrivenTransformerV1.Prefix, StringComparison.OrdinalIgnoreCase);
        var (module, bns, conv1d) = v1 ? V1(layer.Name) : V2(layer.Name);
        long[] shape = layer.Kind == LayerKind.Linear ? [layer.Channels, layer.InChannels]
            : conv1d ? [layer.Channels, layer.InChannels, 1]
            : [layer.Channels, layer.InChannels / layer.Groups, layer.Kernel, layer.Kernel];
        if (layer.BatchNorm != bns.Length > 0)
            throw new ArgumentException($"layer '{layer.Name}': the model says BatchNorm {layer.BatchNorm}, the BICLab module has {bns.Length}");
        return new ParameterSource(layer.Name, module + ".weight", shape, layer.Bias ? module + ".bias" : null, bns);
    }

    private static (string Module, string[] Bns, bool Conv1d) V1(string name)
    {
        Match m;
        if ((m = SpsConv().Match(name)).Success)
        {
            var i = m.Groups[1].Value == "0" ? "" : m.Groups[1].Value;
            return ($"patch_embed.proj_conv{i}", [$"patch_embed.proj_bn{i}"], false);
        }
        if (name == "sps.rpe_conv") return ("patch_embed.rpe_conv", ["patch_embed.rpe_bn"], false);
        if ((m = V1Block().Match(name)).Success)
        {
            var p = $"block.{int.Parse(m.Groups[1].Value) - 1}.{m.Groups[2].Value}";
            var conv = m.Groups[3].Value; // q_conv, k_conv, v_conv, proj_conv, fc1_conv, fc2_conv
            return ($"{p}.{conv}", [$"{p}.{conv[..^"conv".Length]}bn"], false);
        }
        if (name == "head.fc") return ("head", [], false);
        throw new ArgumentException($"layer '{name}' is not a layer of the V1 builder");
    }

    private static (string Module, string[] Bns, bool Conv1d) V2(string name)
    {
        Match m;
        if ((m = V2Downsample().Match(name)).Success)
        {
            var module = m.Groups[1].Value switch
            {
                "stage1.downsample1" => "downsample1_1",
                "stage1.downsample2" => "downsample1_2",
                var s => "downsample" + s[5],
            };
            return ($"{module}.encode_conv", [$"{module}.encode_bn"], false);
        }
        if ((m = V2ConvBlock().Match(name)).Success)
        {
            var p = $"ConvBlock{m.Groups[1].Value}_{m.Groups[2].Value}.0";
            return m.Groups[3].Value switch
            {
                "sep.pw1" => ($"{p}.Conv.pwconv1", [$"{p}.Conv.bn1"], false),
                "sep.dw" => ($"{p}.Conv.dwconv", [], false),
                "sep.pw2" => ($"{p}.Conv.pwconv2", [$"{p}.Conv.bn2"], false),
                "conv1" => ($"{p}.conv1", [$"{p}.bn1"], false),
                _ => ($"{p}.conv2", [$"{p}.bn2"], false),
            };
        }
        if ((m = V2RepConv().Match(name)).Success)
        {
            var p = $"block{m.Groups[1].Value}.{int.Parse(m.Groups[2].Value) - 1}.attn.{m.Groups[3].Value}_conv";
            return m.Groups[4].Value switch
            {
                "pw1" => ($"{p}.0.body.0", [$"{p}.0.body.1.bn"], false),
                "dw" => ($"{p}.0.body.2.0", [], false),
                _ => ($"{p}.0.body.2.1", [$"{p}.0.body.2.2", $"{p}.1"], false),
            };
        }
        if ((m = V2Mlp().Match(name)).Success)
        {
            var p = $"block{m.Groups[1].Value}.{int.Parse(m.Groups[2].Value) - 1}.mlp.{m.Groups[3].Value}";
            return ($"{p}_conv", [$"{p}_bn"], true);
        }
        if (name == "head.fc") return ("head", [], false);
        throw new ArgumentException($"layer '{name}' is not a layer of the Meta-SpikeFormer builder");
    }

    [GeneratedRegex(@"^sps\.conv([0-3])$")]
    private static partial Regex SpsConv();

    [GeneratedRegex(@"^block(\d+)\.(attn|mlp)\.(q_conv|k_conv|v_conv|proj_conv|fc1_conv|fc2_conv)$")]
    private static partial Regex V1Block();

    [GeneratedRegex(@"^(stage1\.downsample[12]|stage[234]\.downsample)\.conv$")]
    private static partial Regex V2Downsample();

    [GeneratedRegex(@"^stage([12])\.block([12])\.(sep\.pw1|sep\.dw|sep\.pw2|conv1|conv2)$")]
    private static partial Regex V2ConvBlock();

    [GeneratedRegex(@"^stage([34])\.block(\d+)\.attn\.(q|k|v|proj)\.(pw1|dw|pw2)$")]
    private static partial Regex V2RepConv();

    [GeneratedRegex(@"^stage([34])\.block(\d+)\.mlp\.(fc1|fc2)$")]
    private static partial Regex V2Mlp();
}
