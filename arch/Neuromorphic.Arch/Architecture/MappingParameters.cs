namespace Neuromorphic.Arch.Architecture;

/// <summary>How a sparse matrix's inputs are laid onto a macro's word lines.</summary>
public enum WordLineMapping
{
    /// <summary>
    /// Row blocks x column blocks: a macro's word lines are a contiguous run of inputs (those with a
    /// synapse in the matrix), and a spike reaches every macro of its row block. The default.
    /// </summary>
    Dense,

    /// <summary>
    /// Per column block, only the inputs with a synapse in that block take word lines, packed in
    /// ascending order onto as few macros as hold them; a spike reaches only the macros that hold one
    /// of its rows, found in the source tile's row-address table (<c>row_table</c> in the cost table).
    /// Sparse projections only: dense matrices and convolutions keep the dense mapping.
    /// </summary>
    Compacted,
}

/// <summary>In which order a projection's blocks take consecutive macros (and so tiles).</summary>
public enum MacroOrder
{
    /// <summary>
    /// Row block by row block: the column blocks of one row block sit on consecutive macros, so a spike (one
    /// row) reaches few tiles; a column block's partial sums come from as many tiles as it has row blocks. The default.
    /// </summary>
    RowBlockMajor,

    /// <summary>
    /// Column block by column block: the row blocks of one column block sit on consecutive macros, so its
    /// partial sums are made on few tiles (with <c>chip.neuron_placement: near_synapses</c>, on its neurons' own
    /// tile); a spike reaches a tile per column block. Compacted sparse projections are laid out so whatever this says.
    /// </summary>
    ColumnBlockMajor,
}

/// <summary>How the mapper stores a layer whose non-zero weights all have one sign (all &gt;= 0 or all &lt;= 0).</summary>
public enum OneSignedLayers
{
    /// <summary>
    /// Magnitudes on single cells (<see cref="Neuromorphic.Hw.Crossbar.SignedWeightScheme.SingleCell"/>): one
    /// column per weight bit slice, no pair, reference column or offset bit; the layer's sign is applied
    /// digitally (its scale), the level-0 floor removed digitally. Mixed-sign layers keep
    /// <c>macro.signed_weights</c>. The default.
    /// </summary>
    SingleCells,

    /// <summary>Every layer with the architecture's <c>macro.signed_weights</c> scheme, whatever its signs (NeuroSim's way).</summary>
    SignedScheme,
}

/// <summary>The <c>mapping</c> section of an architecture: choices of the mapper that change the hardware it needs.</summary>
public sealed record MappingParameters
{
    /// <summary>Dense (default) or compacted word lines for sparse projections.</summary>
    public WordLineMapping WordLines { get; init; } = WordLineMapping.Dense;

    /// <summary>Row-block-major (default) or column-block-major order of a projection's macros.</summary>
    public MacroOrder MacroOrder { get; init; } = MacroOrder.RowBlockMajor;

    /// <summary>Single cells (default) or the architecture's signed scheme for layers whose weights all have one sign.</summary>
    public OneSignedLayers OneSignedLayers { get; init; } = OneSignedLayers.SingleCells;

    /// <summary>
    /// Entries of each tile's row-address table (compacted mapping): one per (source neuron on the tile,
    /// macro holding a row of it). Assumed 65,536 by default (a 64 Ki-entry SRAM in the tile's NoC
    /// interface, 200 KB at 25-bit entries); the mapper refuses a network whose sources need more and
    /// says how many.
    /// </summary>
    public int RowTableEntries { get; init; } = 65536;

    /// <summary>
    /// <see cref="MacroOrder"/> by its YAML name, as set. Compacted sparse projections are laid out column block
    /// by column block (within each delay class) whatever it says; dense and convolution nodes follow it.
    /// </summary>
    public string MacroOrderName => ArchitectureChoices.MacroOrder.Name(MacroOrder);

    /// <summary><see cref="OneSignedLayers"/> by its YAML name (<c>single_cells</c> or <c>signed_scheme</c>), as reports write it.</summary>
    public string OneSignedLayersName => ArchitectureChoices.OneSignedLayers.Name(OneSignedLayers);

    /// <summary>Largest <see cref="RowTableEntries"/> accepted (2^26: far beyond any tile's SRAM).</summary>
    public const int MaxRowTableEntries = 1 << 26;

    /// <summary>Checks the values; throws naming the field.</summary>
    public void Validate()
    {
        if (RowTableEntries < 1 || RowTableEntries > MaxRowTableEntries)
            throw new ArgumentException($"MappingParameters.RowTableEntries must be in [1, {MaxRowTableEntries}], found {RowTableEntries}");
    }
}
