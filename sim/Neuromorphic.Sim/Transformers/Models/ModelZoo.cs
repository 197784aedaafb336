using System.Globalization;

namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>
/// Spike-driven transformers by name. Accepted names (case-insensitive):
/// <c>sdt-v1-L-D</c> (Spike-driven Transformer V1 with L blocks and embedding D, any L &gt;= 1 and
/// D a multiple of 8 divisible into 8 heads); <c>meta-spikeformer-8-D</c> (Meta-SpikeFormer with
/// the released channel pattern [D/4, D/2, D, 5D/4], D a multiple of 8, e.g. 8-384, 8-512, 8-768);
/// <c>meta-spikeformer-C1-C2-C3-C4</c> (any channel set, e.g. <c>meta-spikeformer-16-32-64-96</c>
/// for a small functional configuration). Without options a model is built as published: 224 x 224
/// RGB input, T = 4, 1000 classes.
/// </summary>
public static class ModelZoo
{
    /// <summary>
    /// The published ImageNet models and their parameter counts as the papers state them:
    /// V1 8-384 16.81M, 6-512 23.37M, 8-512 29.68M, 10-512 36.01M, 8-768 66.34M;
    /// Meta-SpikeFormer 8-384 31.3M, 8-512 55.35M (without the 0.64M distillation head).
    /// </summary>
    public static IReadOnlyDictionary<string, long> PublishedParameters { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["sdt-v1-8-384"] = 16_810_000,
        ["sdt-v1-6-512"] = 23_370_000,
        ["sdt-v1-8-512"] = 29_680_000,
        ["sdt-v1-10-512"] = 36_010_000,
        ["sdt-v1-8-768"] = 66_340_000,
        ["meta-spikeformer-8-384"] = 31_300_000,
        ["meta-spikeformer-8-512"] = 55_350_000,
    };

    /// <summary>Names of the published models, V1 first.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "sdt-v1-8-384", "sdt-v1-6-512", "sdt-v1-8-512", "sdt-v1-10-512", "sdt-v1-8-768",
        "meta-spikeformer-8-384", "meta-spikeformer-8-512",
    ];

    /// <summary>Builds the model called <paramref name="name"/> as published (224 x 224, T = 4, 1000 classes).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known names and patterns.</exception>
    public static TransformerModel Create(string name) => Create(name, imageSize: 224, timesteps: 4, classes: 1000);

    /// <summary>Builds the model called <paramref name="name"/> for another input size, T or class count.</summary>
    /// <exception cref="ArgumentException">Unknown name, or a configuration the model cannot be built in.</exception>
    public static TransformerModel Create(string name, int imageSize, int timesteps, int classes)
    {
        if (!TryParse(name, out var build))
            throw new ArgumentException(
                $"unknown model '{name}'; known: {string.Join(", ", Names)}; patterns: sdt-v1-L-D, meta-spikeformer-8-D, meta-spikeformer-C1-C2-C3-C4",
                nameof(name));
        return build(imageSize, timesteps, classes);
    }

    /// <summary>Builds the model called <paramref name="name"/> as published; false for an unknown name.</summary>
    public static bool TryCreate(string name, out TransformerModel model) => TryCreate(name, 224, 4, 1000, out model);

    /// <summary>
    /// Builds the model called <paramref name="name"/>; false for an unknown name or a configuration
    /// the model cannot be built in (for example an image too small for its downsampling).
    /// </summary>
    public static bool TryCreate(string name, int imageSize, int timesteps, int classes, out TransformerModel model)
    {
        model = null!;
        if (!TryParse(name, out var build)) return false;
        try
        {
            model = build(imageSize, timesteps, classes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>True if <paramref name="name"/> is of an accepted form (the model may still not build for a given image size).</summary>
    public static bool IsKnown(string name) => TryParse(name, out _);

    private static bool TryParse(string? name, out Func<int, int, int, TransformerModel> build)
    {
        build = null!;
        if (string.IsNullOrWhiteSpace(name)) return false;
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith(SpikeDrivenTransformerV1.Prefix, StringComparison.Ordinal))
        {
            var numbers = Numbers(n[SpikeDrivenTransformerV1.Prefix.Length..]);
            if (numbers is not [var blocks, var dim] || blocks < 1 || dim < 8 || dim % 8 != 0) return false;
            build = (size, t, classes) => SpikeDrivenTransformerV1.Build(new SdtV1Options
            {
                Blocks = blocks, Embedding = dim, ImageSize = size, Timesteps = t, Classes = classes,
            });
            return true;
        }
        if (n.StartsWith(MetaSpikeFormer.Prefix, StringComparison.Ordinal))
        {
            var numbers = Numbers(n[MetaSpikeFormer.Prefix.Length..]);
            IReadOnlyList<int> channels;
            if (numbers is [8, var dim] && dim >= 8 && dim % 8 == 0) channels = MetaSpikeFormer.ChannelsFor(dim);
            else if (numbers is [var c1, var c2, var c3, var c4] && c1 > 0 && c1 % 2 == 0 && c2 > 0 && c3 > 0 && c4 > 0
                     && c3 % 8 == 0 && c4 % 8 == 0) channels = [c1, c2, c3, c4];
            else return false;
            build = (size, t, classes) => MetaSpikeFormer.Build(new MetaSpikeFormerOptions
            {
                Channels = channels, ImageSize = size, Timesteps = t, Classes = classes,
            });
            return true;
        }
        return false;
    }

    private static int[]? Numbers(string text)
    {
        var parts = text.Split('-');
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] > 1 << 16)
                return null;
        return result;
    }
}
