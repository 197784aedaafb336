namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// A weight matrix [outputs x inputs] as placed on macros: inputs drive word lines, outputs are
/// weight columns; the matrix is split over macros by rows and columns and the partial outputs of
/// the row blocks are summed digitally. Stored weights are the matrix divided by <see cref="Scale"/>
/// (so they lie in [-1, 1]; in [0, 1] for a one-signed matrix on single cells), quantised to the macro's weight levels.
/// </summary>
/// <param name="Layer">Layer name (ledger key).</param>
/// <param name="Inputs">Word lines the matrix drives (the node's inputs, or those with a synapse: <see cref="InputRows"/>).</param>
/// <param name="Outputs">Matrix rows (weight columns).</param>
/// <param name="Scale">
/// Weight units per stored unit: the matrix's largest magnitude, negative for an all-negative matrix on single cells
/// (<see cref="Storage"/>), whose cells hold magnitudes: every macro output is multiplied by it.
/// </param>
/// <param name="Tiles">The blocks, row block by row block.</param>
/// <param name="CellsPerMacro">Cells of one macro (for utilisation).</param>
public sealed record MappedMatrix(string Layer, int Inputs, int Outputs, double Scale, IReadOnlyList<MacroTile> Tiles, long CellsPerMacro)
{
    /// <summary>Share of the used macros' cells that hold (a slice of) a weight of this matrix, reference columns included.</summary>
    public double Utilisation =>
        Tiles.Count == 0 ? 0 : Tiles.Sum(t => (double)t.RowCount * t.Array.PhysicalColumns) / (Tiles.Count * (double)CellsPerMacro);

    /// <summary>
    /// The word line of each of the node's inputs, -1 for an input with no synapse in the matrix (it
    /// takes no word line and its spikes go nowhere); null when every input has its own word line, in order.
    /// </summary>
    public int[]? InputRows { get; init; }

    /// <summary>
    /// Compacted word lines (<c>mapping.word_lines: compacted</c>): each input's (macro, word line) pairs;
    /// the macros' inputs are their <see cref="MacroTile.WordLineSources"/>. Null with the dense mapping.
    /// </summary>
    public CompactedRoutes? Routes { get; init; }

    /// <summary>Non-zero weights the matrix holds (after repeated pairs are summed); -1 where not counted (dense matrices).</summary>
    public long NonZeros { get; init; } = -1;

    /// <summary>
    /// How the weights sit in the cells (<c>inspect NET --arch</c>): the signed scheme written to targets
    /// (<c>differential_pair</c>, <c>reference_column</c>, <c>offset_binary</c>: the architecture's <c>macro.signed_weights</c>),
    /// <c>single_cells</c> (a one-signed matrix's magnitudes, its sign in <see cref="Scale"/>), cells programmed in place
    /// (<c>programmed_single_cells</c>, <c>programmed_pairs</c>), or <c>none</c> for a matrix on no macro.
    /// </summary>
    public string Storage => Tiles.Count == 0 ? "none" : StorageOf(Tiles[0].Array);

    private static string StorageOf(Neuromorphic.Hw.Crossbar.CrossbarArray array) =>
        array.MagnitudeSteps == 0 ? (array.ColumnsPerLogical == 2 ? "programmed_pairs" : "programmed_single_cells")
        : array.Parameters.SignedWeights switch
        {
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.DifferentialPair => "differential_pair",
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.ReferenceColumn => "reference_column",
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.OffsetBinary => "offset_binary",
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.SingleCell => "single_cells",
            var other => throw new ArgumentOutOfRangeException(nameof(array), other, "a signed-weight scheme with no storage name"),
        };

    /// <summary>Row blocks (macros stacked along the inputs; compacted: the most macros any column block takes).</summary>
    public int RowBlocks => Tiles.Select(t => t.RowStart).Distinct().Count();
}
