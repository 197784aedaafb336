namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Running counts of one node's spikes on the chip against the software golden model's, cell by cell
/// ((neuron, timestep) over every step compared): what the spike agreement (<see cref="Jaccard"/>, the headline) and the
/// cell agreement (<see cref="CellAgreement"/>) are computed from. A mutable struct kept per node in an array and
/// added to in place: no allocation per step.
/// </summary>
public struct SpikeComparison
{
    /// <summary>Cells compared.</summary>
    public long Cells;

    /// <summary>Cells where both fired or both stayed silent.</summary>
    public long Matches;

    /// <summary>Cells where both fired.</summary>
    public long Both;

    /// <summary>Cells where either fired.</summary>
    public long Either;

    /// <summary>Cells where the software fired.</summary>
    public long SoftwareSpikes;

    /// <summary>Adds one step's outputs (a non-zero value is a spike); the two spans have the same length.</summary>
    public void Add(ReadOnlySpan<double> chip, ReadOnlySpan<float> software)
    {
        for (var k = 0; k < chip.Length; k++)
        {
            var c = chip[k] != 0;
            var s = software[k] != 0;
            if (c == s) Matches++;
            if (c && s) Both++;
            if (c || s) Either++;
            if (s) SoftwareSpikes++;
        }
        Cells += chip.Length;
    }

    /// <summary>
    /// The spike agreement: cells where both fired / cells where either fired (NaN when neither fired). Cells silent on
    /// both sides do not count, so a chip that fires nothing scores 0 against a software model that fires.
    /// </summary>
    public readonly double Jaccard => JaccardOf(Both, Either);

    /// <summary>The spike agreement of counts kept elsewhere: <paramref name="both"/> / <paramref name="either"/>, NaN when neither fired.</summary>
    public static double JaccardOf(long both, long either) => either == 0 ? double.NaN : (double)both / either;

    /// <summary>Cells where both fired or both stayed silent / cells compared (NaN when none): near 1 for any sparse raster.</summary>
    public readonly double CellAgreement => Cells == 0 ? double.NaN : (double)Matches / Cells;
}
