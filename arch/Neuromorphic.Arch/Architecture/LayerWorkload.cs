using System.Globalization;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// A single fully connected layer as a probe workload: <c>layer:INPUTSxOUTPUTS,inputs=ACTIVE[,seed=N]</c>.
/// Weights are drawn uniformly from [-1, 1] (NeuroSim's default weight range, Param.cpp algoWeightMax/Min)
/// and ACTIVE of the inputs are 1, both from the seed.
/// </summary>
/// <param name="Inputs">Rows of the weight matrix.</param>
/// <param name="Outputs">Columns of the weight matrix.</param>
/// <param name="ActiveInputs">Inputs that are 1 in the probe vector.</param>
/// <param name="Seed">Seed of the weights and of which inputs are active.</param>
public sealed record LayerWorkload(int Inputs, int Outputs, int ActiveInputs, ulong Seed)
{
    /// <summary>The prefix of the form.</summary>
    public const string Prefix = "layer:";

    /// <summary>Parses the form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    /// <param name="text">E.g. <c>layer:128x128,inputs=13</c>.</param>
    /// <returns>The workload.</returns>
    public static LayerWorkload Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            throw new FormatException($"workload '{text}': expected layer:INPUTSxOUTPUTS,inputs=ACTIVE[,seed=N]");
        var parts = text[Prefix.Length..].Split(',', StringSplitOptions.TrimEntries);
        var shape = parts[0].Split('x');
        if (shape.Length != 2 || !int.TryParse(shape[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inputs)
            || !int.TryParse(shape[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outputs) || inputs < 1 || outputs < 1
            || inputs > 1 << 16 || outputs > 1 << 16)
            throw new FormatException($"workload '{text}': the shape must be INPUTSxOUTPUTS with both in [1, 65536], found '{parts[0]}'");
        int? active = null;
        ulong seed = 1;
        foreach (var part in parts.Skip(1))
        {
            var kv = part.Split('=', 2);
            switch (kv[0])
            {
                case "inputs" when kv.Length == 2 && int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a <= inputs:
                    active = a;
                    break;
                case "seed" when kv.Length == 2 && ulong.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                default:
                    throw new FormatException($"workload '{text}': '{part}' is not inputs=N (0..{inputs}) or seed=N");
            }
        }
        return new LayerWorkload(inputs, outputs, active ?? throw new FormatException($"workload '{text}': missing inputs=N"), seed);
    }
}
