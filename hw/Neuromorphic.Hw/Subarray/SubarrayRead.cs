namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// The cost of one read of a subarray (one input vector applied, every weight column converted), split
/// the way NeuroSim V1.4 reports it. Energies in pJ, latency in ns.
/// </summary>
/// <param name="ActiveRows">Word lines driven.</param>
/// <param name="AdcPj">SAR ADC energy, including the column (cell) current term.</param>
/// <param name="WordLinePj">Word-line charging of the array (capRow2 Vdd^2 per driven row and mux step).</param>
/// <param name="SwitchMatrixPj">Word-line switch matrix: its DFF shift register and transmission gates.</param>
/// <param name="MuxPj">Column multiplexer and its decoder.</param>
/// <param name="AccumulationPj">Shift-add of the weight slices, adders and their DFFs.</param>
/// <param name="LatencyNs">Time from the inputs to the last partial sum.</param>
/// <param name="Conversions">ADC conversions performed.</param>
public sealed record SubarrayRead(int ActiveRows, double AdcPj, double WordLinePj, double SwitchMatrixPj, double MuxPj,
    double AccumulationPj, double LatencyNs, long Conversions)
{
    /// <summary>Word lines and switch matrix together (NeuroSim's "other" minus the mux).</summary>
    public double WordLinesAndSwitchMatrixPj => WordLinePj + SwitchMatrixPj;

    /// <summary>Everything.</summary>
    public double TotalPj => AdcPj + WordLinePj + SwitchMatrixPj + MuxPj + AccumulationPj;

    /// <summary>A read that did nothing (an empty row group skipped).</summary>
    /// <param name="activeRows">Rows driven (0 for a skip).</param>
    /// <returns>The zero read.</returns>
    public static SubarrayRead None(int activeRows) => new(activeRows, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Component-wise sum.</summary>
    /// <param name="a">First read.</param>
    /// <param name="b">Second read.</param>
    /// <returns>The sum; latency and rows add too (reads one after another).</returns>
    public static SubarrayRead operator +(SubarrayRead a, SubarrayRead b) => new(a.ActiveRows + b.ActiveRows, a.AdcPj + b.AdcPj,
        a.WordLinePj + b.WordLinePj, a.SwitchMatrixPj + b.SwitchMatrixPj, a.MuxPj + b.MuxPj, a.AccumulationPj + b.AccumulationPj,
        a.LatencyNs + b.LatencyNs, a.Conversions + b.Conversions);
}
