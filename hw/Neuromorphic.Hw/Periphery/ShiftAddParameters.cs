namespace Neuromorphic.Hw.Periphery;

/// <summary>Parameters of a shift-and-add unit that combines partial sums of weight bit slices or bit-serial inputs.</summary>
public sealed record ShiftAddParameters
{
    /// <summary>Narrowest accumulator.</summary>
    public const int MinBits = 2;

    /// <summary>Widest accumulator: the sum of two saturated terms must fit a signed 64-bit integer.</summary>
    public const int MaxBits = 62;

    /// <summary>Accumulator width in bits (<see cref="MinBits"/> to <see cref="MaxBits"/>); results saturate to this signed range.</summary>
    public int Bits { get; init; } = 16;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>Clock in Hz; one add per cycle (assumed 1 GHz, the SAR clock of NeuroSim's periphery).</summary>
    public double ClockHz { get; init; } = 1e9;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Bits is < MinBits or > MaxBits)
        {
            throw new ArgumentException($"ShiftAddParameters.Bits must be in [{MinBits}, {MaxBits}], found {Bits}", nameof(Bits));
        }
        TechnologyNode.Validate(TechnologyNm, "ShiftAddParameters.TechnologyNm");
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"ShiftAddParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
    }
}
