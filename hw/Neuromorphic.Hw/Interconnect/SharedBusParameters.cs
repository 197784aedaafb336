using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>Parameters of a shared bus between macros and cores: one medium, one message at a time.</summary>
public sealed record SharedBusParameters
{
    /// <summary>Endpoints attached to the bus.</summary>
    public int Endpoints { get; init; } = 8;

    /// <summary>Bus width in bits (bits per flit, one flit per cycle).</summary>
    public int WidthBits { get; init; } = 32;

    /// <summary>Cycles from grant to the first flit at the receiver (arbitration plus wire).</summary>
    public int TransferLatencyCycles { get; init; } = 1;

    /// <summary>Length of the bus wires, um (assumed: 1 mm, a bus spanning a few macros).</summary>
    public double WireLengthUm { get; init; } = 1000;

    /// <summary>Energy per flit, pJ, given explicitly; null derives it from the wires (<see cref="FlitEnergyPj"/>).</summary>
    public double? EnergyPjPerFlit { get; init; }

    /// <summary>
    /// Energy per flit in force, pJ: the explicit figure, else the width's wires charged once at the node's supply
    /// (<see cref="WireEnergy.TransferPj"/>: width x length x 0.2 fF/um x Vdd(node)^2 / 2; 32 wires of 1 mm at 40 nm,
    /// 0.96 V: 2.96 pJ).
    /// </summary>
    public double FlitEnergyPj => EnergyPjPerFlit ?? WireEnergy.TransferPj(WidthBits, WireLengthUm, TechnologyNm);

    /// <summary>Bus clock in Hz.</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node of the energy (supply voltage) and area estimates.</summary>
    public double TechnologyNm { get; init; } = 40;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Endpoints < 1)
        {
            throw new ArgumentException($"SharedBusParameters.Endpoints must be >= 1, found {Endpoints}", nameof(Endpoints));
        }
        if (WidthBits < 1)
        {
            throw new ArgumentException($"SharedBusParameters.WidthBits must be >= 1, found {WidthBits}", nameof(WidthBits));
        }
        if (TransferLatencyCycles < 1)
        {
            throw new ArgumentException($"SharedBusParameters.TransferLatencyCycles must be >= 1, found {TransferLatencyCycles}", nameof(TransferLatencyCycles));
        }
        if (EnergyPjPerFlit is { } e && (!(e >= 0) || double.IsInfinity(e)))
        {
            throw new ArgumentException($"SharedBusParameters.EnergyPjPerFlit must be >= 0, found {e}", nameof(EnergyPjPerFlit));
        }
        if (!(WireLengthUm >= 0) || double.IsInfinity(WireLengthUm))
        {
            throw new ArgumentException($"SharedBusParameters.WireLengthUm must be >= 0 and finite, found {WireLengthUm}", nameof(WireLengthUm));
        }
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"SharedBusParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        TechnologyNode.Validate(TechnologyNm, "SharedBusParameters.TechnologyNm");
    }
}
