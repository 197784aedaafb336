namespace Neuromorphic.Hw.Macro;

/// <summary>The timing of one matrix-vector operation on a macro, in base cycles of the kernel.</summary>
/// <param name="Start">When the first row group began driving (or the ready cycle if no group was active).</param>
/// <param name="End">When the last shift-add finished: the outputs are valid from here.</param>
/// <param name="ActiveGroups">Row groups read.</param>
/// <param name="SkippedGroups">Row groups skipped because none of their rows was active.</param>
/// <param name="Conversions">ADC conversions performed.</param>
public readonly record struct MacroOperation(long Start, long End, int ActiveGroups, int SkippedGroups, long Conversions)
{
    /// <summary>Cycles from start to end.</summary>
    public long Latency => End - Start;
}
