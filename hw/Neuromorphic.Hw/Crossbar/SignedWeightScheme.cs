namespace Neuromorphic.Hw.Crossbar;

/// <summary>How a crossbar of non-negative conductances represents signed weights.</summary>
public enum SignedWeightScheme
{
    /// <summary>
    /// Each weight uses a pair of columns: the magnitude goes into the positive or the negative column,
    /// the other holds level 0; the digital decode subtracts the pair (GMin cancels).
    /// </summary>
    DifferentialPair,

    /// <summary>
    /// Each weight is stored as an offset unsigned value (w + 1, i.e. q + (2^WeightBits - 1) steps); shared
    /// reference columns holding the offset are subtracted digitally. Half the columns of a differential
    /// pair, at the price of one extra encoded bit.
    /// </summary>
    ReferenceColumn,

    /// <summary>
    /// NeuroSim's offset binary: the same unsigned value as <see cref="ReferenceColumn"/> (w + 1 in steps,
    /// WeightBits + 1 encoded bits) but no reference column: the offset's contribution, known from the
    /// number of driven rows, is subtracted digitally. NeuroSim's "8-bit weight" is WeightBits = 7 here (8 cells).
    /// </summary>
    OffsetBinary,

    /// <summary>
    /// No sign in the array: for a matrix whose weights are all &gt;= 0 (a one-signed layer, whose sign its
    /// mapper carries outside the array, e.g. in a negative output scale). |w| is quantised as under the
    /// other schemes (q of 2^WeightBits - 1 steps) and its WeightBits bits go in slices of BitsPerCell on one
    /// column per slice: no pair, no reference column, no offset bit. The decode subtracts the floor of the
    /// driven rows' level-0 cells digitally (activeRowCount x GMin x V_read per slice), as
    /// <see cref="OffsetBinary"/> does for its floor and as arrays built from conductances do. Half the
    /// columns (and conversions) of <see cref="DifferentialPair"/>, one encoded bit fewer than the offset
    /// schemes; a negative weight cannot be stored (programming one is an error). Not a choice for a whole
    /// chip (the architecture's <c>macro.signed_weights</c> must store signed weights): the mapper uses it
    /// for the layers it finds one-signed.
    /// </summary>
    SingleCell,
}
