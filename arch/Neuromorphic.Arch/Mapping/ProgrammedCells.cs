namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// The cells of one projection as they were programmed in place (for instance by one stochastic
/// SET pulse each, the LSM's random weights), rather than weights the mapper writes to targets:
/// the mapper places these conductances on the macros as they are. Matrices are row-major
/// [outputs x inputs] (row = target), siemens, G_min where a cell holds no synapse.
/// Without <see cref="Negative"/> each weight is one cell, <c>w = Gain (G - G_min)</c> (the sign is the
/// gain's: an excitatory or an inhibitory line); with it each weight is a differential pair in two
/// adjacent columns, <c>w = Gain (G+ - G-)</c>. The network node carries the same weights exactly
/// (in its weight units), so the software golden model computes what ideal cells would.
/// </summary>
/// <param name="Positive">Single cells, or the G+ cells of the pairs.</param>
/// <param name="Negative">The G- cells of the pairs (null: single cells).</param>
/// <param name="Gain">Weight units per microsiemens above G_min (negative for an inhibitory line of single cells).</param>
public sealed record ProgrammedCells(double[] Positive, double[]? Negative, double Gain)
{
    /// <summary>True when each weight is a differential pair.</summary>
    public bool Pairs => Negative is not null;
}
