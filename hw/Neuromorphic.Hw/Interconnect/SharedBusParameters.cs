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

    /// <summary>
    /// Energy per flit, pJ (assumed 3.2: 32 wires of 1 mm at 0.2 fF/um, 1 V, activity 0.5; the
    /// order of one SANA-FE/Loihi NoC hop, 3.0-4.2 pJ).
    /// </summary>
    public double EnergyPjPerFlit { get; init; } = 3.2;

    /// <summary>Bus clock in Hz.</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node for the area estimate.</summary>
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
        if (!(EnergyPjPerFlit >= 0) || double.IsInfinity(EnergyPjPerFlit))
        {
            throw new ArgumentException($"SharedBusParameters.EnergyPjPerFlit must be >= 0, found {EnergyPjPerFlit}", nameof(EnergyPjPerFlit));
        }
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"SharedBusParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        TechnologyNode.Validate(TechnologyNm, "SharedBusParameters.TechnologyNm");
    }
}
