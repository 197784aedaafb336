using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;

namespace Neuromorphic.Hw.Macro;

/// <summary>
/// An RRAM in-memory-compute macro: the crossbar, its cells, and the periphery that reads it
/// (word-line drivers, column multiplexers, ADCs, shift-add), with the timing knobs of one
/// read. Parameters only; <see cref="RramMacro"/> is the behaviour.
/// </summary>
public sealed record MacroParameters
{
    /// <summary>Array size and weight layout.</summary>
    public CrossbarParameters Crossbar { get; init; } = new();

    /// <summary>The cell.</summary>
    public RramDeviceParameters Device { get; init; } = new();

    /// <summary>The column ADC.</summary>
    public AdcParameters Adc { get; init; } = new();

    /// <summary>Rows driven together in one read (a row group); NeuroSim's "parallel read" rows.</summary>
    public int ParallelRows { get; init; } = 32;

    /// <summary>Columns sharing one ADC through the column multiplexer (converted one after another).</summary>
    public int ColumnsPerAdc { get; init; } = 8;

    /// <summary>Macro clock (word-line drive, settle and shift-add are counted in its cycles).</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Macro cycles to drive the word lines of a row group.</summary>
    public int DriveCycles { get; init; } = 1;

    /// <summary>Macro cycles for the bit lines to settle before the sample-and-hold captures them.</summary>
    public int SettleCycles { get; init; } = 1;

    /// <summary>Macro cycles of the shift-add after the last conversion of a row group.</summary>
    public int ShiftAddCycles { get; init; } = 1;

    /// <summary>Bits of the shift-adds' accumulators, and so of the partial sums a macro sends (added into their neurons' inputs on the neuron core's lanes).</summary>
    public int AccumulatorBits { get; init; } = 16;

    /// <summary>
    /// Level sums that map to the ADC's top code; null = 2^bits - 1, i.e. one code per level: integer
    /// level sums read exactly up to the ADC's range and clip above it (NeuroSim's partial-sum levels).
    /// </summary>
    public int? AdcFullScaleLevels { get; init; }

    /// <summary>
    /// Read clocking: <see cref="ReadTiming.Pipelined"/> (ours: word lines driven once per row group, sample and
    /// hold, conversions back to back) or <see cref="ReadTiming.NeuroSimSynchronous"/> (NeuroSim V1.4: the word
    /// lines re-driven for every column-mux step, one conversion per clock of 1.4 x (ADC + word-line/mux delay)).
    /// </summary>
    public ReadTiming Timing { get; init; } = ReadTiming.Pipelined;

    /// <summary>Skip row groups with no active row (ours, default); false converts every column anyway, as NeuroSim does.</summary>
    public bool SkipEmptyRowGroups { get; init; } = true;

    /// <summary>On-resistance of each cell's access transistor in series with it, ohm (0: none modelled; NeuroSim: 0.25 Ron).</summary>
    public double AccessResistanceOhm { get; init; }

    /// <summary>Energy of one SET/RESET programming pulse, pJ (used for programming cost).</summary>
    public double ProgramPulseEnergyPj { get; init; } = 10;

    /// <summary>Checks the parameters and their parts; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        Crossbar.Validate();
        Device.Validate();
        Adc.Validate();
        if (ParallelRows < 1 || ParallelRows > Crossbar.Rows)
            throw new ArgumentException($"MacroParameters.ParallelRows must lie in [1, {Crossbar.Rows}], found {ParallelRows}");
        if (ColumnsPerAdc < 1 || ColumnsPerAdc > Crossbar.Columns)
            throw new ArgumentException($"MacroParameters.ColumnsPerAdc must lie in [1, {Crossbar.Columns}], found {ColumnsPerAdc}");
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz)) throw new ArgumentException($"MacroParameters.ClockHz must be > 0, found {ClockHz}");
        if (DriveCycles < 0 || SettleCycles < 0 || ShiftAddCycles < 0) throw new ArgumentException("MacroParameters cycle counts must be >= 0");
        if (AccumulatorBits is < ShiftAddParameters.MinBits or > ShiftAddParameters.MaxBits)
            throw new ArgumentException($"MacroParameters.AccumulatorBits must lie in [{ShiftAddParameters.MinBits}, {ShiftAddParameters.MaxBits}] (the shift-add's width), found {AccumulatorBits}");
        if (AdcFullScaleLevels is < 1) throw new ArgumentException($"MacroParameters.AdcFullScaleLevels must be >= 1, found {AdcFullScaleLevels}");
        if (!Enum.IsDefined(Timing)) throw new ArgumentException($"MacroParameters.Timing is not a known read timing: {(int)Timing}");
        if (!(AccessResistanceOhm >= 0) || double.IsInfinity(AccessResistanceOhm)) throw new ArgumentException($"MacroParameters.AccessResistanceOhm must be >= 0, found {AccessResistanceOhm}");
        if (!(ProgramPulseEnergyPj >= 0)) throw new ArgumentException($"MacroParameters.ProgramPulseEnergyPj must be >= 0, found {ProgramPulseEnergyPj}");
    }
}
