using Neuromorphic.Hw.Devices;

namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// One RRAM 1T1R subarray read in parallel (all rows at once) through shared SAR ADCs, with the knobs
/// that separate NeuroSim V1.4's design from ours. Defaults: NeuroSim V1.4's Param.cpp with
/// memcelltype = 2 (RRAM), technode = 32, SARADC = true. Parameters only; <see cref="SubarrayModel"/> is the behaviour.
/// </summary>
public sealed record SubarrayParameters
{
    /// <summary>Word lines (Param.cpp numRowSubArray).</summary>
    public int Rows { get; init; } = 128;

    /// <summary>Bit lines (Param.cpp numColSubArray).</summary>
    public int Columns { get; init; } = 128;

    /// <summary>Columns sharing one ADC (Param.cpp numColMuxed).</summary>
    public int ColumnsPerAdc { get; init; } = 8;

    /// <summary>ADC resolution (Param.cpp levelOutput = 16: 4 bits).</summary>
    public int AdcBits { get; init; } = 4;

    /// <summary>Technology node, nm (22-130).</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>Read voltage on the selected bit lines, V (Param.cpp readVoltage).</summary>
    public double ReadVoltage { get; init; } = 0.5;

    /// <summary>Gate voltage of the access transistor, V (Param.cpp accessVoltage).</summary>
    public double AccessVoltage { get; init; } = 1.1;

    /// <summary>Low-resistance state, ohm (Param.cpp resistanceOn).</summary>
    public double RonOhm { get; init; } = 100e3;

    /// <summary>Roff / Ron (Param.cpp: 17).</summary>
    public double OnOffRatio { get; init; } = 17;

    /// <summary>Access transistor on-resistance, ohm; null = Ron x IR_DROP_TOLERANCE (0.25, constant.h), NeuroSim's sizing.</summary>
    public double? AccessResistanceOhm { get; init; }

    /// <summary>Physical columns one weight column occupies: 8 for NeuroSim's 8-bit offset binary on 1-bit cells, 2 x slices for differential pairs.</summary>
    public int CellsPerWeight { get; init; } = 8;

    /// <summary>Read clocking (NeuroSim's synchronous clock, or our pipelined drive).</summary>
    public ReadTiming Timing { get; init; } = ReadTiming.NeuroSimSynchronous;

    /// <summary>
    /// Skip a read with no active row (our design: no drive, no conversion); NeuroSim converts every column
    /// even with no active row (false).
    /// </summary>
    public bool SkipEmptyReads { get; init; }

    /// <summary>Sensing-cycle latency factor beta (Param.cpp, validated: 1.4).</summary>
    public double LatencyFactor { get; init; } = 1.4;

    /// <summary>Switching activity of the shift-add DFFs gamma (Param.cpp, validated: 0.5).</summary>
    public double DffActivity { get; init; } = 0.5;

    /// <summary>Word-line switch-matrix transmission-gate size in minimum widths; null = Param.cpp's newswitchmatrixsizeratio (14 at 22 nm and below, 6 above).</summary>
    public double? SwitchMatrixSizeRatio { get; init; }

    /// <summary>The access resistance in force.</summary>
    public double EffectiveAccessResistanceOhm => AccessResistanceOhm ?? RonOhm * 0.25;

    /// <summary>The switch-matrix size ratio in force.</summary>
    public double EffectiveSwitchMatrixSizeRatio => SwitchMatrixSizeRatio ?? (TechnologyNm <= 22 ? 14 : 6);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        const string Owner = nameof(SubarrayParameters);
        ParameterCheck.InRange(Rows, 1, 1 << 16, Owner, nameof(Rows));
        ParameterCheck.InRange(Columns, 1, 1 << 16, Owner, nameof(Columns));
        ParameterCheck.InRange(ColumnsPerAdc, 1, Columns, Owner, nameof(ColumnsPerAdc));
        ParameterCheck.InRange(AdcBits, 1, 16, Owner, nameof(AdcBits));
        ParameterCheck.InRange(CellsPerWeight, 1, Columns, Owner, nameof(CellsPerWeight));
        if (!(TechnologyNm >= 22 && TechnologyNm <= 130)) throw new ArgumentException($"{Owner}.{nameof(TechnologyNm)} must lie in [22, 130] nm, found {TechnologyNm}");
        ParameterCheck.Positive(ReadVoltage, Owner, nameof(ReadVoltage));
        ParameterCheck.Positive(AccessVoltage, Owner, nameof(AccessVoltage));
        ParameterCheck.Positive(RonOhm, Owner, nameof(RonOhm));
        if (!(OnOffRatio > 1) || double.IsInfinity(OnOffRatio)) throw new ArgumentException($"{Owner}.{nameof(OnOffRatio)} must be > 1, found {OnOffRatio}");
        if (AccessResistanceOhm is { } r) ParameterCheck.NonNegative(r, Owner, nameof(AccessResistanceOhm));
        ParameterCheck.Defined(Timing, Owner, nameof(Timing));
        ParameterCheck.Positive(LatencyFactor, Owner, nameof(LatencyFactor));
        if (!(DffActivity >= 0 && DffActivity <= 1)) throw new ArgumentException($"{Owner}.{nameof(DffActivity)} must lie in [0, 1], found {DffActivity}");
        if (SwitchMatrixSizeRatio is { } s) ParameterCheck.Positive(s, Owner, nameof(SwitchMatrixSizeRatio));
    }
}
