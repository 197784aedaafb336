using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// The hand-counted macro whose reads wait for their clock edges (MacroThroughputRulesTests, MacroTimelineAgreementTests):
/// drive + settle = (1 + 1) x 5 = 10 base cycles (a 200 MHz macro clock on 1 GHz), conversions = 2 rounds (2 columns per
/// ADC) of a 5-bit SAR's 6 ns = 12, between 10 and 10 + 5 - 1 and not whole macro cycles; 64 x 64 cells read 16 rows at
/// a time.
/// </summary>
internal static class EdgeWaitMacro
{
    /// <summary>The macro's knobs with a shift-add of <paramref name="shiftAddCycles"/> macro cycles.</summary>
    public static MacroParameters Parameters(int shiftAddCycles) => new()
    {
        Crossbar = new CrossbarParameters { Rows = 64, Columns = 64, WeightBits = 2, SignedWeights = SignedWeightScheme.DifferentialPair },
        Device = new RramDeviceParameters { BitsPerCell = 1 },
        Adc = new AdcParameters { Bits = 5, ClockHz = 1e9, TechnologyNm = 40, ReadVoltage = 0.2 },
        ParallelRows = 16,
        ColumnsPerAdc = 2,
        ClockHz = 200e6,
        DriveCycles = 1,
        SettleCycles = 1,
        ShiftAddCycles = shiftAddCycles,
    };
}
