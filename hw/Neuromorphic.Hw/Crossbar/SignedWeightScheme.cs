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
}
