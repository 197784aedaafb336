using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Macro;

/// <summary>Component classes and actions the macro itself adds to the cost table (beyond its periphery's).</summary>
public static class MacroCosts
{
    /// <summary>The crossbar array.</summary>
    public const string ArrayComponent = "rram_array";

    /// <summary>Ohmic read energy of the driven cells, counted in units of 1 nS x 1 ns (conductance x read time).</summary>
    public const string ReadAction = "read";

    /// <summary>One programming (SET/RESET) pulse.</summary>
    public const string ProgramPulseAction = "program_pulse";

    /// <summary>One verify read during write-verify.</summary>
    public const string VerifyReadAction = "verify_read";

    /// <summary>Bookkeeping of the macro as a whole.</summary>
    public const string MacroComponent = "rram_macro";

    /// <summary>A row group with no active row whose conversions were skipped (costs nothing; counted to show sparsity at work).</summary>
    public const string SkippedConversionAction = "conversion_skipped";

    /// <summary>One matrix-vector operation started on the macro (costs nothing by itself; counted for utilisation).</summary>
    public const string OperationAction = "operation";

    /// <summary>The rows of the macro's own actions, and of its periphery.</summary>
    public static IEnumerable<CostEntry> Defaults(MacroParameters p, Adc adc, WordLineDriver driver, ColumnMux mux, ShiftAdd shiftAdd)
    {
        var v = p.Device.ReadVoltage;
        // The cells' I^2R is inside the ADC's column term (NeuroSim SarADC.cpp: "readDynamicEnergyArray ... no need,
        // already considered in multilevelsenseamp"); charging it here as well would count it twice.
        yield return new CostEntry(ArrayComponent, ReadAction, 0, 0,
            $"NeuroSim V1.4 SubArray.cpp CalculatePower: the cells' V_read^2 G t (V_read = {v} V) is counted in the ADC column term ({Adc.SarComponent}.{Adc.ColumnLoadAction}), not again here; per nS x ns");
        yield return new CostEntry(ArrayComponent, ProgramPulseAction, p.ProgramPulseEnergyPj, 100,
            "assumed: ~10 pJ and 100 ns per SET/RESET pulse, the order reported for 1T1R HfOx/TaOx cells (e.g. Wong et al., Proc. IEEE 2012)");
        yield return new CostEntry(ArrayComponent, VerifyReadAction, v * v / p.Device.RonOhm * 10e-9 * 1e12 + adc.LogicEnergyFj * 1e-3, 10,
            "assumed: one 10 ns read of a low-resistance cell at V_read plus one ADC conversion");
        yield return new CostEntry(MacroComponent, SkippedConversionAction, 0, 0, "bookkeeping: a skipped conversion is not performed and costs nothing");
        yield return new CostEntry(MacroComponent, OperationAction, 0, 0, "bookkeeping: operation count (energy is in the actions it causes)");
        foreach (var e in driver.DefaultCosts()) yield return e;
        foreach (var e in mux.DefaultCosts()) yield return e;
        foreach (var e in adc.DefaultCosts()) yield return e;
        foreach (var e in shiftAdd.DefaultCosts()) yield return e;
    }

    /// <summary>Area and leakage rows of the macro's parts: one area model (<see cref="MacroArea"/>) for every run, <c>inspect</c> and the NeuroSim side by side.</summary>
    /// <param name="p">The macro.</param>
    /// <param name="adc">Its converter.</param>
    /// <param name="cellsPerWeight">Physical columns one weight column takes under the macro's signed-weight scheme.</param>
    public static IEnumerable<ComponentCost> DefaultInstances(MacroParameters p, Adc adc, int cellsPerWeight) =>
        MacroArea.Of(p, cellsPerWeight, adc).Instances(adc, p.Adc.TechnologyNm);
}
