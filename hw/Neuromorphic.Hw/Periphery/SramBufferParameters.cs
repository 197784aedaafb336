namespace Neuromorphic.Hw.Periphery;

/// <summary>Parameters of an SRAM buffer (input/output spike buffers, weight and state memories).</summary>
public sealed record SramBufferParameters
{
    /// <summary>Capacity in bytes (default 8 KB, the size of Horowitz's reference figure).</summary>
    public long CapacityBytes { get; init; } = 8192;

    /// <summary>Word width in bits: bits delivered per access.</summary>
    public int WordBits { get; init; } = 64;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>Clock in Hz; one access per cycle (assumed 1 GHz).</summary>
    public double ClockHz { get; init; } = 1e9;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (CapacityBytes < 1)
        {
            throw new ArgumentException($"SramBufferParameters.CapacityBytes must be >= 1, found {CapacityBytes}", nameof(CapacityBytes));
        }
        if (WordBits is < 1 or > 4096)
        {
            throw new ArgumentException($"SramBufferParameters.WordBits must be in [1, 4096], found {WordBits}", nameof(WordBits));
        }
        TechnologyNode.Validate(TechnologyNm, "SramBufferParameters.TechnologyNm");
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"SramBufferParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
    }
}
