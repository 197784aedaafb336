using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Subarray;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// A tile's I/O buffer: it holds arriving spikes and the macros' partial sums until the macros or the neuron core take
/// them, a register file as in NeuroSim (Param.cpp tileBufferType = false), each bit written once and read once. (The
/// partial sums of a layer's row blocks are added on the neuron core's lanes, <see cref="DigitalNeuronUnit.AddAction"/>:
/// the tile has no separate partial-sum adder.)
/// </summary>
public static class TileIoBuffer
{
    /// <summary>Component class of the tile's I/O buffer.</summary>
    public const string Component = "io_buffer";

    /// <summary>Action: one bit written into the I/O buffer.</summary>
    public const string WriteBitAction = "write_bit";

    /// <summary>Action: one bit read from the I/O buffer.</summary>
    public const string ReadBitAction = "read_bit";

    /// <summary>Bits the I/O buffer holds (assumed: NeuroSim's tile buffer core, 32 x 32 x 4 = 4 Kbit).</summary>
    public const int Bits = 4096;

    /// <summary>Energy of writing or reading one bit of the register-file buffer, pJ: one DFF clocked with data (NeuroSim DFF.cpp CalculatePower).</summary>
    /// <param name="technologyNm">Node (clamped to NeuroSim's 22-130 nm table).</param>
    /// <returns>pJ per bit.</returns>
    public static double BitPj(double technologyNm) =>
        new CircuitPrimitives(TechnologyParameters.ForNode(Math.Clamp(technologyNm, 22, 130))).DffClockEnergyFj * 1e-3;

    /// <summary>Cost rows: the I/O buffer's bit write and read.</summary>
    /// <param name="technologyNm">Node.</param>
    /// <returns>The rows.</returns>
    public static IEnumerable<CostEntry> DefaultCosts(double technologyNm)
    {
        var dff = BitPj(technologyNm);
        var source = $"NeuroSim V1.4 DFF.cpp CalculatePower: one DFF clocked with data, Vdd^2 (8 C_in + 10 C_out) of minimum inverters (Technology.cpp PTM LP at {Math.Clamp(technologyNm, 22, 130)} nm); register-file buffer as NeuroSim's tile buffer";
        yield return new CostEntry(Component, WriteBitAction, dff, 0, source);
        yield return new CostEntry(Component, ReadBitAction, dff, 0, source + "; a read passes the bit through the output DFF once more (assumed equal to a write)");
    }

    /// <summary>Area and leakage: one I/O buffer per tile.</summary>
    /// <param name="technologyNm">Node.</param>
    /// <returns>The row.</returns>
    public static IEnumerable<ComponentCost> DefaultComponentCosts(double technologyNm)
    {
        var f = technologyNm * 1e-3;
        var buffer = Bits * 12 * TechnologyParameters.CellHeightF * 2 * TechnologyParameters.ContactedPolyPitchF * f * f;
        yield return new ComponentCost(Component, buffer, ArithmeticEnergy.LeakageUw(buffer),
            $"NeuroSim DFF.cpp CalculateArea: 12 minimum inverters per bit (28 F x 2 CPP each, CPP = 3.8 F, constant.h), {Bits} bits; {ArithmeticEnergy.LeakageSource}");
    }
}
