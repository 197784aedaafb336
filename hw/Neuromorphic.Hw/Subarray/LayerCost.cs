namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// One input vector through a whole layer, NeuroSim's chip-report rows: the subarrays' read, the H-tree
/// interconnect and the buffers; latency and chip area with their parts. Energies pJ, times ns, areas mm^2.
/// </summary>
/// <param name="Subarrays">Sum over the layer's subarrays.</param>
/// <param name="InterconnectPj">H-tree energy of the inputs in and the outputs out.</param>
/// <param name="BufferPj">Register-file buffer energy (write and read of every bit).</param>
/// <param name="SubarrayLatencyNs">The slowest subarray with the adder tree.</param>
/// <param name="BufferLatencyNs">Buffers moving the bits through their interface.</param>
/// <param name="InterconnectLatencyNs">H-tree root to leaf, in whole clocks.</param>
/// <param name="Area">Chip area and its parts.</param>
public sealed record LayerCost(SubarrayRead Subarrays, double InterconnectPj, double BufferPj, double SubarrayLatencyNs,
    double BufferLatencyNs, double InterconnectLatencyNs, ChipArea Area)
{
    /// <summary>NeuroSim's "ADC" row of the chip report: ADCs plus the word-line (array) energy it files there.</summary>
    public double AdcRowPj => Subarrays.AdcPj + Subarrays.WordLinePj;

    /// <summary>NeuroSim's "other" row: switch matrix, mux, interconnect and buffers.</summary>
    public double OtherRowPj => Subarrays.SwitchMatrixPj + Subarrays.MuxPj + InterconnectPj + BufferPj;

    /// <summary>Total read energy.</summary>
    public double TotalPj => Subarrays.TotalPj + InterconnectPj + BufferPj;

    /// <summary>Total latency.</summary>
    public double LatencyNs => SubarrayLatencyNs + BufferLatencyNs + InterconnectLatencyNs;
}

/// <summary>Chip area of a layer's floorplan, mm^2: NeuroSim's used parts and the empty space its bounding boxes leave.</summary>
/// <param name="ArraysMm2">RRAM cells of the placed subarrays.</param>
/// <param name="AdcMm2">Their ADCs.</param>
/// <param name="AccumulationMm2">Shift-add and adder trees.</param>
/// <param name="OtherPeripheryMm2">Switch matrices, level shifters, muxes.</param>
/// <param name="BuffersMm2">PE, tile and global buffers.</param>
/// <param name="InterconnectMm2">Tile H-trees and the global bus, wiring and repeaters.</param>
/// <param name="EmptyMm2">Space inside the subarray, PE, tile and chip bounding boxes that nothing uses.</param>
public sealed record ChipArea(double ArraysMm2, double AdcMm2, double AccumulationMm2, double OtherPeripheryMm2, double BuffersMm2, double InterconnectMm2, double EmptyMm2)
{
    /// <summary>Everything: the chip's bounding box.</summary>
    public double TotalMm2 => ArraysMm2 + AdcMm2 + AccumulationMm2 + OtherPeripheryMm2 + BuffersMm2 + InterconnectMm2 + EmptyMm2;
}
