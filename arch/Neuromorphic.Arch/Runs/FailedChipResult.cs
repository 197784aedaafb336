using System.Globalization;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// Warnings for a chip result that has failed, in the style of the LSM's silent or saturated reservoir
/// (<see cref="Lsm.ReservoirActivity.Warning"/>): each check returns the sentence to add to the run's
/// <c>warnings</c> (printed as <c>warning: ...</c> and written to <c>summary.json</c>), or nothing when
/// the result passes. A run that warns is still written: the figures say how it failed.
/// </summary>
public static class FailedChipResult
{
    /// <summary>
    /// Top-1 agreement of chip and software below this share warns: the chip's class differs from the software's
    /// on more than half the samples, so the chip does not run the software's classifier. (A chip that runs it
    /// agrees on nearly every sample: the CNN with 8-bit weights 100 %, the LSM's readout is trained on the chip.)
    /// </summary>
    public const double TopOneAgreementBound = 0.5;

    /// <summary>
    /// A warning naming the layers silent on the chip (no spike in the whole run) whose software model fired, or null:
    /// the chip lost the signal at the first of them, and every layer after it computes from nothing.
    /// </summary>
    /// <param name="layers">Per layer in evaluation order: name, the chip's spikes, the software's (negative: not compared).</param>
    public static string? SilentLayers(IEnumerable<(string Layer, long ChipSpikes, long SoftwareSpikes)> layers)
    {
        var silent = layers.Where(l => l.ChipSpikes == 0 && l.SoftwareSpikes > 0).ToList();
        if (silent.Count == 0) return null;
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        if (silent.Count == 1)
            return $"layer {silent[0].Layer} fired no spike on the chip against {N(silent[0].SoftwareSpikes)} in software: the chip lost its signal";
        return $"{silent.Count} layers fired no spike on the chip but did in software ({string.Join(", ", silent.Select(l => $"{l.Layer}: {N(l.SoftwareSpikes)}"))} " +
               $"software spikes): the chip lost the signal at layer {silent[0].Layer}";
    }

    /// <summary>A warning when the chip's accuracy is at or under chance (1 / classes), or null.</summary>
    /// <param name="accuracy">The chip's accuracy in [0, 1] (NaN: not measured, no warning).</param>
    /// <param name="classes">Classes the task has (below 2: no chance level, no warning).</param>
    public static string? AtChance(double accuracy, int classes)
    {
        if (double.IsNaN(accuracy) || classes < 2) return null;
        var chance = 1.0 / classes;
        // Up to rounding: 1 of 10 right over 10 classes is at chance, not above it.
        return accuracy > chance + 1e-12 ? null
            : $"accuracy on the chip {Pct(accuracy)} is at or under chance ({Pct(chance)}, {classes} classes): the chip result has failed";
    }

    /// <summary>A warning when the chip's top-1 class equals the software's on fewer than <see cref="TopOneAgreementBound"/> of the samples, or null.</summary>
    /// <param name="agreement">Share of samples whose top-1 class is the same on the chip and in software (NaN: not compared, no warning).</param>
    /// <param name="samples">Samples compared.</param>
    public static string? TopOneDisagreement(double agreement, int samples)
    {
        if (double.IsNaN(agreement) || samples == 0 || agreement >= TopOneAgreementBound) return null;
        return $"the top-1 class on the chip equals the one in software on {Pct(agreement)} of {samples} samples, under {Pct(TopOneAgreementBound)}: the chip does not compute the classifier the software does";
    }

    private static string Pct(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
