namespace Neuromorphic.Hw.Devices;

/// <summary>
/// What programming one cell produced: its conductance and the activity a cost model charges for it.
/// </summary>
/// <param name="Conductance">Conductance the cell holds right after programming (siemens, before drift).</param>
/// <param name="Pulses">Programming pulses applied (at least 1).</param>
/// <param name="VerifyReads">Verify reads performed (one per pulse for write-verify, 0 for a stochastic pulse).</param>
/// <param name="Fault">The cell's permanent defect, if any.</param>
public readonly record struct ProgrammedCell(double Conductance, int Pulses, int VerifyReads, CellFault Fault);
