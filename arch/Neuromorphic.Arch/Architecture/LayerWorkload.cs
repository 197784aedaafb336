using System.Globalization;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// A single fully connected layer as a probe workload: <c>layer:INPUTSxOUTPUTS,inputs=ACTIVE[,on_cells=P][,seed=N]</c>.
/// ACTIVE of the inputs are 1. Weights, by default, are drawn uniformly from [-1, 1] (NeuroSim's default weight
/// range, Param.cpp algoWeightMax/Min), which stores each bit of a weight's code as 1 with probability 1/2;
/// <c>on_cells=P</c> instead draws every stored code bit as 1 with probability P (for offset-binary weights on
/// 1-bit cells, the share of cells in the low-resistance state). The SAR ADC's column term is linear in the
/// column's conductance, so P is the statistic of the weights that sets the read energy (docs/architecture.md).
/// Both draws come from the seed.
/// </summary>
/// <param name="Inputs">Rows of the weight matrix.</param>
/// <param name="Outputs">Columns of the weight matrix.</param>
/// <param name="ActiveInputs">Inputs that are 1 in the probe vector.</param>
/// <param name="Seed">Seed of the weights and of which inputs are active.</param>
/// <param name="OnCellFraction">Probability that a stored code bit is 1; null for uniform weights.</param>
public sealed record LayerWorkload(int Inputs, int Outputs, int ActiveInputs, ulong Seed, double? OnCellFraction = null)
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
        double? on = null;
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
                case "on_cells" when kv.Length == 2 && double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p >= 0 && p <= 1:
                    on = p;
                    break;
                default:
                    throw new FormatException($"workload '{text}': '{part}' is not inputs=N (0..{inputs}), on_cells=P (0..1) or seed=N");
            }
        }
        return new LayerWorkload(inputs, outputs, active ?? throw new FormatException($"workload '{text}': missing inputs=N"), seed, on);
    }

    /// <summary>
    /// The weights, row-major [inputs x outputs] in [-1, 1], for a crossbar storing <paramref name="weightBits"/>
    /// magnitude bits under <paramref name="scheme"/>: uniform in [-1, 1], or with every stored code bit 1 with
    /// probability <see cref="OnCellFraction"/> (offset binary and reference column store w + 1 as a
    /// (weightBits + 1)-bit code, clamped to its largest value 2 (2^weightBits - 1); a differential pair stores
    /// the magnitude's bits on the column of the weight's sign, the sign drawn fairly).
    /// </summary>
    /// <param name="scheme">How signed weights are stored.</param>
    /// <param name="weightBits">Magnitude bits per weight.</param>
    /// <param name="rng">The weights' randomness.</param>
    /// <returns>The weights.</returns>
    public float[] DrawWeights(Neuromorphic.Hw.Crossbar.SignedWeightScheme scheme, int weightBits, Neuromorphic.Sim.Randomness.DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var weights = new float[Inputs * Outputs];
        if (OnCellFraction is not { } p)
        {
            for (var i = 0; i < weights.Length; i++) weights[i] = (float)(rng.NextDouble() * 2 - 1);
            return weights;
        }
        var max = (1 << weightBits) - 1;
        var offset = scheme != Neuromorphic.Hw.Crossbar.SignedWeightScheme.DifferentialPair;
        var codeBits = offset ? weightBits + 1 : weightBits;
        for (var i = 0; i < weights.Length; i++)
        {
            var code = 0;
            for (var b = 0; b < codeBits; b++) if (rng.NextDouble() < p) code |= 1 << b;
            weights[i] = offset
                ? (float)((Math.Min(code, 2 * max) - max) / (double)max)
                : (float)((rng.NextDouble() < 0.5 ? -code : code) / (double)max);
        }
        return weights;
    }
}
