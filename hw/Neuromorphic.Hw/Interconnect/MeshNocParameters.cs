using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// Parameters of a 2-D mesh network-on-chip. Hop latency follows SANA-FE's Loihi table (Davies et al. 2018,
/// 14 nm): 4.1-6.5 ns per hop; the default clock of 200 MHz makes one hop 5 ns. Energy is per bit: a flit's
/// router and link energy grow with its width (the bits that switch) and scale with the node by the
/// project's digital rule (<see cref="TechnologyNode.DynamicEnergyScale"/>), anchored on Loihi's 3.0-4.2 pJ
/// per hop (see <see cref="RouterEnergyPjPerBit"/>); explicit per-flit figures override the derivation.
/// </summary>
public sealed record MeshNocParameters
{
    /// <summary>Node of the per-bit anchors: Loihi's 14 nm (Davies et al. 2018, IEEE Micro 38(1)).</summary>
    public const double ReferenceNodeNm = 14;

    /// <summary>
    /// Flit width assumed for Loihi's hop energy when it is turned into a per-bit figure, bits. Assumed: neither
    /// Davies et al. 2018 nor SANA-FE's Loihi table states Loihi's mesh flit or message width; 32 bits holds a
    /// spike's destination (4096 axons per core, 12 bits; core and tile of a 128-core chip, 7 bits; a chip
    /// of a multi-chip system) and is this model's own default link width, at which the earlier per-flit
    /// figures (router 2.0 pJ, link 1.6 pJ) were applied.
    /// </summary>
    public const int ReferenceFlitBits = 32;

    /// <summary>Default of <see cref="RouterEnergyPjPerBit"/>: 2.0 pJ / 32 bits = 0.0625 pJ per bit at 14 nm.</summary>
    public const double DefaultRouterEnergyPjPerBit = 2.0 / ReferenceFlitBits;

    /// <summary>Default of <see cref="LinkEnergyPjPerBit"/>: 1.6 pJ / 32 bits = 0.05 pJ per bit at 14 nm.</summary>
    public const double DefaultLinkEnergyPjPerBit = 1.6 / ReferenceFlitBits;

    /// <summary>Tiles along x.</summary>
    public int Width { get; init; } = 4;

    /// <summary>Tiles along y.</summary>
    public int Height { get; init; } = 4;

    /// <summary>Link (flit) width in bits.</summary>
    public int LinkWidthBits { get; init; } = 32;

    /// <summary>Cycles for a flit to cross one router and link.</summary>
    public int HopLatencyCycles { get; init; } = 1;

    /// <summary>
    /// Router energy per bit of a flit at <see cref="ReferenceNodeNm"/>, pJ, if given; null takes 2.0 pJ per 32-bit flit (assumed
    /// share 2.0 of SANA-FE/Loihi's 3.0-4.2 pJ per hop, over the assumed <see cref="ReferenceFlitBits"/>).
    /// </summary>
    public double? RouterEnergyPjPerBit { get; init; }

    /// <summary>Router energy per bit in force at <see cref="ReferenceNodeNm"/>, pJ: the given figure, else the default.</summary>
    public double RouterPjPerBit => RouterEnergyPjPerBit ?? DefaultRouterEnergyPjPerBit;

    /// <summary>
    /// Link energy per bit of a flit at <see cref="ReferenceNodeNm"/>, pJ, if given; null takes 1.6 pJ per 32-bit flit (assumed
    /// share 1.6 of SANA-FE/Loihi's 3.0-4.2 pJ per hop, over the assumed <see cref="ReferenceFlitBits"/>).
    /// </summary>
    public double? LinkEnergyPjPerBit { get; init; }

    /// <summary>Link energy per bit in force at <see cref="ReferenceNodeNm"/>, pJ: the given figure, else the default.</summary>
    public double LinkPjPerBit => LinkEnergyPjPerBit ?? DefaultLinkEnergyPjPerBit;

    /// <summary>
    /// Length of one link, um (the tile pitch), if the architecture knows it; null takes the link's energy per bit
    /// (<see cref="LinkPjPerBit"/>). Given, a link flit costs its width of wires of this length charged once at the
    /// node's supply (<see cref="WireEnergy.TransferPj"/>, the shared bus's wire model: a bare wire, no repeaters, no
    /// link pipeline; Loihi's per-bit link figure at 40 nm equals about 2 mm of such wire).
    /// </summary>
    public double? LinkLengthUm { get; init; }

    /// <summary>Energy per flit per router traversal, pJ, given explicitly; null derives it (<see cref="RouterFlitEnergyPj"/>).</summary>
    public double? RouterEnergyPjPerFlit { get; init; }

    /// <summary>Energy per flit per link traversal, pJ, given explicitly; null derives it (<see cref="LinkFlitEnergyPj"/>).</summary>
    public double? LinkEnergyPjPerFlit { get; init; }

    /// <summary>
    /// Scale of the per-bit anchors from <see cref="ReferenceNodeNm"/> to <see cref="TechnologyNm"/>:
    /// DynamicEnergyScale(node) / DynamicEnergyScale(14 nm), C V^2 with the node's supply voltage. A link spans a
    /// tile pitch, which shrinks with the node as the tile's logic does, so its wire capacitance scales like the
    /// logic's (assumed).
    /// </summary>
    public double NodeScale => TechnologyNode.DynamicEnergyScale(TechnologyNm) / TechnologyNode.DynamicEnergyScale(ReferenceNodeNm);

    /// <summary>Energy per flit per router traversal in force, pJ: the explicit figure, else per bit x link width x <see cref="NodeScale"/>.</summary>
    public double RouterFlitEnergyPj => RouterEnergyPjPerFlit ?? RouterPjPerBit * LinkWidthBits * NodeScale;

    /// <summary>
    /// Energy per flit per link traversal in force, pJ: the explicit figure; else, with <see cref="LinkLengthUm"/>, the
    /// width's wires of that length (<see cref="WireEnergy.TransferPj"/>); else per bit x link width x <see cref="NodeScale"/>.
    /// </summary>
    public double LinkFlitEnergyPj => LinkEnergyPjPerFlit
        ?? (LinkLengthUm is { } length ? WireEnergy.TransferPj(LinkWidthBits, length, TechnologyNm) : LinkPjPerBit * LinkWidthBits * NodeScale);

    /// <summary>NoC clock in Hz (200 MHz: 5 ns per hop, inside Loihi's 4.1-6.5 ns).</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node of the energy and area estimates (Loihi's 14 nm by default, the node of the energy anchors).</summary>
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
        if (RouterEnergyPjPerBit is { } routerBit) CheckEnergy(routerBit, nameof(RouterEnergyPjPerBit));
        if (LinkEnergyPjPerBit is { } linkBit) CheckEnergy(linkBit, nameof(LinkEnergyPjPerBit));
        // One way of pricing each part: a second one given beside it would be ignored without a word.
        if (RouterEnergyPjPerFlit is not null && RouterEnergyPjPerBit is not null)
        {
            throw new ArgumentException("MeshNocParameters: give RouterEnergyPjPerFlit or RouterEnergyPjPerBit, not both", nameof(RouterEnergyPjPerBit));
        }
        if ((LinkEnergyPjPerFlit is not null ? 1 : 0) + (LinkEnergyPjPerBit is not null ? 1 : 0) + (LinkLengthUm is not null ? 1 : 0) > 1)
        {
            throw new ArgumentException("MeshNocParameters: give at most one of LinkEnergyPjPerFlit, LinkEnergyPjPerBit and LinkLengthUm", nameof(LinkLengthUm));
        }
        if (RouterEnergyPjPerFlit is { } router) CheckEnergy(router, nameof(RouterEnergyPjPerFlit));
        if (LinkEnergyPjPerFlit is { } link) CheckEnergy(link, nameof(LinkEnergyPjPerFlit));
        if (LinkLengthUm is { } length)
        {
            if (!(length > 0) || double.IsInfinity(length))
            {
                throw new ArgumentException($"MeshNocParameters.LinkLengthUm must be > 0 and finite, found {length}", nameof(LinkLengthUm));
            }
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

    private static void CheckEnergy(double pj, string field)
    {
        if (!(pj >= 0) || double.IsInfinity(pj))
        {
            throw new ArgumentException($"MeshNocParameters.{field} must be >= 0 and finite, found {pj}", field);
        }
    }
}
