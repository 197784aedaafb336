using Neuromorphic.Hw.Devices;

namespace Neuromorphic.Hw.Crossbar;

/// <summary>
/// Parameters of one 1T1R crossbar array and of how weights are laid out on it. Plain data, apart
/// from the behaviour in <see cref="CrossbarArray"/>. Defaults: the 512 x 512 (256 Kb at 1 bit per
/// cell) macro of the RRAM LSM paper, binary weights on differential pairs, no IR drop.
/// </summary>
public sealed record CrossbarParameters
{
    /// <summary>Physical word lines (rows) of the array.</summary>
    public int Rows { get; init; } = 512;

    /// <summary>Physical bit lines (columns) of the array.</summary>
    public int Columns { get; init; } = 512;

    /// <summary>How signed weights are represented.</summary>
    public SignedWeightScheme SignedWeights { get; init; } = SignedWeightScheme.DifferentialPair;

    /// <summary>
    /// Magnitude bits per weight (1..16): |w| in [0, 1] is quantised to 2^WeightBits - 1 steps and sliced
    /// over ceil(encoded bits / BitsPerCell) cells, recombined by shift-add.
    /// </summary>
    public int WeightBits { get; init; } = 1;

    /// <summary>Switch for the first-order IR-drop model (see <see cref="CrossbarArray"/>).</summary>
    public bool IrDrop { get; init; }

    /// <summary>Resistance of one cell-to-cell wire segment of a word or bit line, ohm.</summary>
    public double WireResistanceOhm { get; init; } = 2.0;

    /// <summary>
    /// Largest share of an array's cells above level 0 for which the simulator keeps only those cells
    /// (sparse storage: the level-0 cells are drawn when read), in [0, 1]; above it every cell is kept
    /// (dense storage). A simulation setting, not hardware: both storages give the same results to the
    /// last bit; sparse storage needs memory and read time in proportion to the programmed cells, dense
    /// storage reads a row with one vector addition.
    /// </summary>
    public double SparseStorageMaxOccupancy { get; init; } = 0.25;

    /// <summary>Most rows (and most columns) of one array.</summary>
    public const int MaxSide = 1 << 16;

    /// <summary>
    /// Most cells of one array (rows x columns): 16 Mi cells, 16 times the largest published RRAM
    /// macro arrays (1 Mb); an array in dense storage is held cell by cell in memory, and its indices in 32-bit integers.
    /// </summary>
    public const long MaxCells = 1L << 24;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the field and its value when a parameter is out of its domain.</summary>
    public void Validate()
    {
        const string Owner = nameof(CrossbarParameters);
        ParameterCheck.InRange(Rows, 1, MaxSide, Owner, nameof(Rows));
        ParameterCheck.InRange(Columns, 1, MaxSide, Owner, nameof(Columns));
        if ((long)Rows * Columns > MaxCells)
            throw new ArgumentException($"{Owner}: a {Rows} x {Columns} array has {(long)Rows * Columns} cells, more than the {MaxCells} an array may have");
        ParameterCheck.Defined(SignedWeights, Owner, nameof(SignedWeights));
        ParameterCheck.InRange(WeightBits, 1, 16, Owner, nameof(WeightBits));
        ParameterCheck.NonNegative(WireResistanceOhm, Owner, nameof(WireResistanceOhm));
        ParameterCheck.Probability(SparseStorageMaxOccupancy, Owner, nameof(SparseStorageMaxOccupancy));
    }
}
