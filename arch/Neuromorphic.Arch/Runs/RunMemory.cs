using System.Globalization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// The resource guard's estimate of an LSM run: the large arrays it will hold, each with the key of
/// the configuration that drives its size. Estimates are doubles (the products of values read from
/// a file may overflow a long) and count the arrays the run keeps at once, not every temporary.
/// </summary>
public static class RunMemory
{
    /// <summary>Bytes held per crossbar cell while it is programmed and read (conductance and read conductance, steps, weight, mapping).</summary>
    public const double BytesPerCell = 40;

    /// <summary>One array of the estimate.</summary>
    /// <param name="Key">Dotted key of the configuration that drives its size.</param>
    /// <param name="What">What the array holds, with its dimensions.</param>
    /// <param name="Bytes">Its estimated size.</param>
    public sealed record Part(string Key, string What, double Bytes);

    /// <summary>The arrays of an LSM run of <paramref name="samples"/> samples of <paramref name="inputs"/> channels.</summary>
    public static IReadOnlyList<Part> Estimate(RunConfig config, long samples, long inputs)
    {
        double steps = config.Encoding.Timesteps, n = config.Lsm.Neurons, bins = config.Readout.FeatureBins;
        var features = Math.Max(n, inputs) * bins;
        var gram = Math.Min(samples, features);
        string N(double x) => x.ToString("N0", CultureInfo.InvariantCulture);
        return
        [
            new("encoding.timesteps", $"input rasters ({N(samples)} samples x {N(steps)} steps x {N(inputs)} channels)", samples * steps * inputs * sizeof(float)),
            new("encoding.timesteps", $"reservoir spike rasters (2 x {N(samples)} samples x {N(steps)} steps x {N(n)} neurons)", 2 * samples * steps * n * sizeof(float)),
            new("lsm.neurons", $"reservoir weights ({N(n)} x {N(n)} neurons, with conductances)", 4 * n * (n + inputs) * sizeof(double)),
            new("readout.feature_bins", $"readout features and their regression ({N(samples)} samples x {N(features)} features)",
                5 * samples * features * sizeof(double) + 3 * gram * gram * sizeof(double)),
            new("architecture.macro.rows", $"programmed crossbars ({N(config.Architecture.Chip.Macros)} macros of {N(config.Architecture.Macro.Crossbar.Rows)} x {N(config.Architecture.Macro.Crossbar.Columns)} cells)",
                ProgrammedCrossbarBytes(config.Architecture, MacrosUsed(config, inputs))),
        ];
    }

    /// <summary>Refuses a run whose estimate exceeds <paramref name="budget"/>, naming the key of its largest array.</summary>
    /// <exception cref="InputFormatException">Naming the configuration file, the key and the estimate.</exception>
    public static void Require(RunConfig config, long samples, long inputs, MemoryBudget budget)
    {
        var parts = Estimate(config, samples, inputs);
        var total = parts.Sum(p => p.Bytes);
        if (total <= budget.MaxBytes) return;
        var largest = parts.MaxBy(p => p.Bytes)!;
        budget.Require(total, config.Origin, largest.Key, $"the run (mostly {largest.What})");
    }

    /// <summary>Bytes of <paramref name="macros"/> programmed crossbar arrays of <paramref name="architecture"/>.</summary>
    public static double ProgrammedCrossbarBytes(ArchitectureSpec architecture, double macros) =>
        macros * architecture.Macro.Crossbar.Rows * (double)architecture.Macro.Crossbar.Columns * BytesPerCell;

    /// <summary>Macros an LSM occupies at most: its weight matrix [(inputs + neurons) x neurons] over the array, two columns per signed weight, capped by the chip.</summary>
    private static double MacrosUsed(RunConfig config, long inputs)
    {
        var m = config.Architecture.Macro.Crossbar;
        double rows = inputs + config.Lsm.Neurons, columns = 2.0 * config.Lsm.Neurons * m.WeightBits;
        return Math.Min(config.Architecture.Chip.Macros, Math.Ceiling(rows / m.Rows) * Math.Ceiling(columns / m.Columns));
    }
}
