using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// Parameters of a 2-D mesh network-on-chip. Energy and hop-latency defaults follow SANA-FE's Loihi
/// table (Davies et al. 2018): 3.0-4.2 pJ and 4.1-6.5 ns per hop; the default clock of 200 MHz
/// makes one hop 5 ns and a hop's router + link energy 3.6 pJ, mid-range of both.
/// </summary>
public sealed record MeshNocParameters
{
    /// <summary>Tiles along x.</summary>
    public int Width { get; init; } = 4;

    /// <summary>Tiles along y.</summary>
    public int Height { get; init; } = 4;

    /// <summary>Link (flit) width in bits.</summary>
    public int LinkWidthBits { get; init; } = 32;

    /// <summary>Cycles for a flit to cross one router and link.</summary>
    public int HopLatencyCycles { get; init; } = 1;

    /// <summary>Energy per flit per router traversal, pJ (assumed share 2.0 of SANA-FE/Loihi's 3.0-4.2 pJ per hop).</summary>
    public double RouterEnergyPjPerFlit { get; init; } = 2.0;

    /// <summary>Energy per flit per link traversal, pJ (assumed share 1.6 of SANA-FE/Loihi's 3.0-4.2 pJ per hop).</summary>
    public double LinkEnergyPjPerFlit { get; init; } = 1.6;

    /// <summary>NoC clock in Hz (200 MHz: 5 ns per hop, inside Loihi's 4.1-6.5 ns).</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node for the area estimate (Loihi's 14 nm by default, matching the energy figures).</summary>
    public double TechnologyNm { get; init; } = 14;

    /// <summary>Flit buffer depth per router input port (area only).</summary>
    public int BufferFlits { get; init; } = 4;

    /// <summary>Number of tiles.</summary>
    public int Tiles => Width * Height;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Width is < 1 or > 1024)
        {
            throw new ArgumentException($"MeshNocParameters.Width must be in [1, 1024], found {Width}", nameof(Width));
        }
        if (Height is < 1 or > 1024)
        {
            throw new ArgumentException($"MeshNocParameters.Height must be in [1, 1024], found {Height}", nameof(Height));
        }
        if (LinkWidthBits < 1)
        {
            throw new ArgumentException($"MeshNocParameters.LinkWidthBits must be >= 1, found {LinkWidthBits}", nameof(LinkWidthBits));
        }
        if (HopLatencyCycles < 1)
        {
            throw new ArgumentException($"MeshNocParameters.HopLatencyCycles must be >= 1, found {HopLatencyCycles}", nameof(HopLatencyCycles));
        }
        if (!(RouterEnergyPjPerFlit >= 0) || double.IsInfinity(RouterEnergyPjPerFlit))
        {
            throw new ArgumentException($"MeshNocParameters.RouterEnergyPjPerFlit must be >= 0, found {RouterEnergyPjPerFlit}", nameof(RouterEnergyPjPerFlit));
        }
        if (!(LinkEnergyPjPerFlit >= 0) || double.IsInfinity(LinkEnergyPjPerFlit))
        {
            throw new ArgumentException($"MeshNocParameters.LinkEnergyPjPerFlit must be >= 0, found {LinkEnergyPjPerFlit}", nameof(LinkEnergyPjPerFlit));
        }
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"MeshNocParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        TechnologyNode.Validate(TechnologyNm, "MeshNocParameters.TechnologyNm");
        if (BufferFlits < 1)
        {
            throw new ArgumentException($"MeshNocParameters.BufferFlits must be >= 1, found {BufferFlits}", nameof(BufferFlits));
        }
    }
}
