namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// Parameters of a column ADC (or 1-bit sense amp). The ADC quantises a column value in
/// [0, full scale] uniformly to 2^bits codes; the sense amp compares against
/// <see cref="SenseThresholdFraction"/> x full scale. Defaults: NeuroSim's 32 nm 5-bit SAR.
/// </summary>
public sealed record AdcParameters
{
    /// <summary>Circuit type.</summary>
    public AdcKind Kind { get; init; } = AdcKind.Sar;

    /// <summary>Resolution in bits (1 to 16); must be 1 for <see cref="AdcKind.SenseAmp"/>.</summary>
    public int Bits { get; init; } = 5;

    /// <summary>Technology node in nanometres (selects NeuroSim's fit and scales the assumed figures).</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>
    /// Clock of the converter, Hz. A SAR takes bits + 1 cycles of it (NeuroSim fixes 1 GHz, hence
    /// (bits + 1) ns); flash and sense amp take one cycle.
    /// </summary>
    public double ClockHz { get; init; } = 1e9;

    /// <summary>
    /// Read voltage on the bit lines, V. NeuroSim characterised its column term at 0.5 V and scales the column
    /// resistance by 0.5 / V_read (SarADC.cpp GetColumnPower), so the column power is c G V_read / 0.5.
    /// </summary>
    public double ReadVoltage { get; init; } = 0.5;

    /// <summary>Sense-amp decision threshold as a fraction of full scale, in (0, 1]; used by <see cref="AdcKind.SenseAmp"/> only.</summary>
    public double SenseThresholdFraction { get; init; } = 0.5;

    /// <summary>A 1-bit sense amp at <paramref name="technologyNm"/> with the default threshold (half of full scale).</summary>
    /// <param name="technologyNm">Technology node in nanometres.</param>
    /// <returns>The parameters.</returns>
    public static AdcParameters SenseAmp(double technologyNm) => new() { Kind = AdcKind.SenseAmp, Bits = 1, TechnologyNm = technologyNm };

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"AdcParameters.Kind is not a known ADC kind: {(int)Kind}", nameof(Kind));
        }
        if (Bits is < 1 or > 16)
        {
            throw new ArgumentException($"AdcParameters.Bits must be in [1, 16], found {Bits}", nameof(Bits));
        }
        if (Kind == AdcKind.SenseAmp && Bits != 1)
        {
            throw new ArgumentException($"AdcParameters.Bits must be 1 for a sense amp, found {Bits}", nameof(Bits));
        }
        TechnologyNode.Validate(TechnologyNm, "AdcParameters.TechnologyNm");
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"AdcParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        if (!(ReadVoltage > 0) || double.IsInfinity(ReadVoltage))
        {
            throw new ArgumentException($"AdcParameters.ReadVoltage must be > 0 and finite, found {ReadVoltage}", nameof(ReadVoltage));
        }
        if (!(SenseThresholdFraction > 0 && SenseThresholdFraction <= 1))
        {
            throw new ArgumentException($"AdcParameters.SenseThresholdFraction must be in (0, 1], found {SenseThresholdFraction}", nameof(SenseThresholdFraction));
        }
    }
}
