namespace Neuromorphic.Hw.Periphery;

/// <summary>The readout circuit that digitises a column.</summary>
public enum AdcKind
{
    /// <summary>Successive-approximation ADC: one comparator, (bits + 1) clock cycles per conversion (NeuroSim's SarADC).</summary>
    Sar,

    /// <summary>Flash ADC / multi-level sense amp: 2^bits - 1 comparators in parallel, one cycle per conversion.</summary>
    Flash,

    /// <summary>1-bit current sense amp: one comparator against a threshold and a latch (spike outputs).</summary>
    SenseAmp,
}
