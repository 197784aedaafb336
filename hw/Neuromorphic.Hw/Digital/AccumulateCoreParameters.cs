using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Digital;

/// <summary>Parameters of a sparse accumulate core (synapses of layers not mapped onto a macro).</summary>
public sealed record AccumulateCoreParameters
{
    /// <summary>Accumulates per cycle.</summary>
    public int Lanes { get; init; } = 16;

    /// <summary>Stored weight width in bits.</summary>
    public int WeightBits { get; init; } = 8;

    /// <summary>
    /// Stored column-index width per synapse in bits, read with each weight; 0 when the fan-out
    /// index is implicit (e.g. dense rows), log2(columns) for a compressed (CSR) store.
    /// </summary>
    public int IndexBits { get; init; }

    /// <summary>Accumulator width in bits (2 to 32); sums saturate to it.</summary>
    public int AccumulatorBits { get; init; } = 24;

    /// <summary>
    /// Capacity of the weight SRAM in bytes: sets the per-bit read energy and the SRAM's area and leakage. 0: the core
    /// stores no weights (no SRAM: no area, no leakage, a weight read costs nothing). The chip sizes it by what the mapped
    /// workload stores (an LSM's readout: features x classes x weight bits) or by <c>accumulate_core.weight_memory_bytes</c>.
    /// </summary>
    public long WeightMemoryBytes { get; init; } = 64 * 1024;

    /// <summary>Clock in Hz.</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 40;

    /// <summary>Bits read from the weight memory per synaptic event: weight plus index.</summary>
    public int BitsPerSynapse => WeightBits + IndexBits;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Lanes < 1)
        {
            throw new ArgumentException($"AccumulateCoreParameters.Lanes must be >= 1, found {Lanes}", nameof(Lanes));
        }
        if (WeightBits is < 1 or > 32)
        {
            throw new ArgumentException($"AccumulateCoreParameters.WeightBits must be in [1, 32], found {WeightBits}", nameof(WeightBits));
        }
        if (IndexBits is < 0 or > 32)
        {
            throw new ArgumentException($"AccumulateCoreParameters.IndexBits must be in [0, 32], found {IndexBits}", nameof(IndexBits));
        }
        if (AccumulatorBits is < 2 or > 32)
        {
            throw new ArgumentException($"AccumulateCoreParameters.AccumulatorBits must be in [2, 32], found {AccumulatorBits}", nameof(AccumulatorBits));
        }
        if (WeightMemoryBytes < 0)
        {
            throw new ArgumentException($"AccumulateCoreParameters.WeightMemoryBytes must be >= 0, found {WeightMemoryBytes}", nameof(WeightMemoryBytes));
        }
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"AccumulateCoreParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        TechnologyNode.Validate(TechnologyNm, "AccumulateCoreParameters.TechnologyNm");
    }
}
