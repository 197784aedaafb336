using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Subarray;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// The digital side of a tile that takes the macros' results: adders that combine partial sums (every partial
/// sum a macro sends, one per non-zero output column of a row block, is added into its neuron's input
/// accumulator, so a layer spread over several row blocks pays one add per block and output), and the tile's
/// I/O buffer that holds arriving spikes and partial sums until the core takes them: a register file as in
/// NeuroSim (Param.cpp tileBufferType = false), each bit written once and read once.
/// </summary>
public static class PartialSumAdder
{
    /// <summary>Component class of the adders.</summary>
    public const string Component = "partial_sum_adder";

    /// <summary>Action: one partial sum added into an accumulator.</summary>
    public const string AddAction = "add";

    /// <summary>Component class of the tile's I/O buffer.</summary>
    public const string BufferComponent = "io_buffer";

    /// <summary>Action: one bit written into the I/O buffer.</summary>
    public const string WriteBitAction = "write_bit";

    /// <summary>Action: one bit read from the I/O buffer.</summary>
    public const string ReadBitAction = "read_bit";

    /// <summary>Bits the I/O buffer holds (assumed: NeuroSim's tile buffer core, 32 x 32 x 4 = 4 Kbit).</summary>
    public const int BufferBits = 4096;

    /// <summary>Energy of writing or reading one bit of the register-file buffer, pJ: one DFF clocked with data (NeuroSim DFF.cpp CalculatePower).</summary>
    /// <param name="technologyNm">Node (clamped to NeuroSim's 22-130 nm table).</param>
    /// <returns>pJ per bit.</returns>
    public static double BufferBitPj(double technologyNm) =>
        new CircuitPrimitives(TechnologyParameters.ForNode(Math.Clamp(technologyNm, 22, 130))).DffClockEnergyFj * 1e-3;

    /// <summary>Cost rows: the add, and the I/O buffer's bit write and read.</summary>
    /// <param name="bits">Accumulator width.</param>
    /// <param name="technologyNm">Node.</param>
    /// <param name="clockHz">Clock of the tile logic.</param>
    /// <returns>The rows.</returns>
    public static IEnumerable<CostEntry> DefaultCosts(int bits, double technologyNm, double clockHz)
    {
        var cycle = 1e9 / clockHz;
        yield return new CostEntry(Component, AddAction, ArithmeticEnergy.AddPj(bits, technologyNm), cycle,
            $"{ArithmeticEnergy.AddSource} ({bits} bit, {technologyNm} nm); one cycle");
        var dff = BufferBitPj(technologyNm);
        var source = $"NeuroSim V1.4 DFF.cpp CalculatePower: one DFF clocked with data, Vdd^2 (8 C_in + 10 C_out) of minimum inverters (Technology.cpp PTM LP at {Math.Clamp(technologyNm, 22, 130)} nm); register-file buffer as NeuroSim's tile buffer";
        yield return new CostEntry(BufferComponent, WriteBitAction, dff, 0, source);
        yield return new CostEntry(BufferComponent, ReadBitAction, dff, 0, source + "; a read passes the bit through the output DFF once more (assumed equal to a write)");
    }

    /// <summary>Area and leakage: one accumulator adder per tile, one I/O buffer per tile.</summary>
    /// <param name="bits">Accumulator width.</param>
    /// <param name="technologyNm">Node.</param>
    /// <returns>The rows.</returns>
    public static IEnumerable<ComponentCost> DefaultComponentCosts(int bits, double technologyNm)
    {
        var area = ArithmeticEnergy.AddAreaUm2(bits, technologyNm);
        yield return new ComponentCost(Component, area, ArithmeticEnergy.LeakageUw(area), $"{ArithmeticEnergy.AreaSource}; {ArithmeticEnergy.LeakageSource}");
        var f = technologyNm * 1e-3;
        var buffer = BufferBits * 12 * TechnologyParameters.CellHeightF * 2 * TechnologyParameters.ContactedPolyPitchF * f * f;
        yield return new ComponentCost(BufferComponent, buffer, ArithmeticEnergy.LeakageUw(buffer),
            $"NeuroSim DFF.cpp CalculateArea: 12 minimum inverters per bit (28 F x 2 CPP each, CPP = 3.8 F, constant.h), {BufferBits} bits; {ArithmeticEnergy.LeakageSource}");
    }
}
