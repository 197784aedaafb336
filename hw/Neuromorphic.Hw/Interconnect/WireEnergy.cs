using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// Energy of driving a bundle of on-chip wires once: bits x length x <see cref="TechnologyNode.WireCapacitanceFfPerUm"/>
/// x Vdd(node)^2 / 2, every bit charged as NeuroSim V1.4's XYBus.cpp charges its wires (CalculatePower: wire capacitance
/// per length x Vdd^2 x 0.5 per bit, no activity factor). The shared bus and a mesh link of known length use it. A wire's capacitance
/// per um stays about constant across nodes (0.2 fF/um, as NeuroSim V1.4's Bus.cpp, XYBus.cpp and HTree.cpp take it),
/// so at a given length only the supply voltage scales it. Repeaters are left out: NeuroSim's repeated wire
/// (<see cref="HTreeInterconnect.EnergyFjPerBitUm"/>) adds about 45-50 % at 22-130 nm, so this is a lower bound.
/// </summary>
public static class WireEnergy
{
    /// <summary>The 1/2 of the 1/2 C V^2 a wire takes from the supply per transfer (not an activity factor: every bit is charged).</summary>
    public const double HalfCV2 = 0.5;

    /// <summary>Energy of one transfer over <paramref name="bits"/> wires of <paramref name="lengthUm"/> at <paramref name="nodeNm"/>, pJ.</summary>
    /// <param name="bits">Wires driven (the flit's width).</param>
    /// <param name="lengthUm">Wire length, um.</param>
    /// <param name="nodeNm">Technology node, nm (its nominal supply voltage, <see cref="TechnologyNode.SupplyVoltage"/>).</param>
    /// <returns>pJ.</returns>
    public static double TransferPj(int bits, double lengthUm, double nodeNm)
    {
        var v = TechnologyNode.SupplyVoltage(nodeNm);
        return bits * lengthUm * TechnologyNode.WireCapacitanceFfPerUm * v * v * HalfCV2 * 1e-3;
    }
}
