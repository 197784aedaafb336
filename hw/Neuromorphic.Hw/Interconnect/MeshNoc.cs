using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// A 2-D mesh NoC with XY dimension-ordered routing and link contention. Tile t sits at
/// (t mod Width, t / Width). A message is split into flits = max(1, ceil(bits / link width)); its
/// head crosses one router and link per <see cref="MeshNocParameters.HopLatencyCycles"/>, and each
/// directed link it uses is busy for one cycle per flit. A message that finds a link busy waits at
/// that router (virtual cut-through: routers buffer whole messages), so latency grows with traffic.
/// </summary>
/// <remarks>
/// Without contention a message of f flits over h hops arrives at ready + h x hop latency + f - 1
/// (the tail follows the head by f - 1 cycles). Messages to the same tile do not enter the NoC and
/// arrive when ready. Links are granted in call order, so callers send in event order (cycle, then
/// sequence) and results are deterministic. Counters feed the ledger; <see cref="Reset"/> clears
/// them with the link state.
/// </remarks>
public sealed class MeshNoc
{
    /// <summary>Component class.</summary>
    public const string Component = "mesh_noc";

    /// <summary>Action: one flit through one router (a message over h &gt; 0 hops passes h + 1 routers).</summary>
    public const string RouterFlitAction = "router_flit";

    /// <summary>Action: one flit across one link (h per flit of a message over h hops).</summary>
    public const string LinkFlitAction = "link_flit";

    private const int East = 0, West = 1, North = 2, South = 3;

    // Cycle at which each directed link (tile x 4 + direction of its output port) becomes free.
    private readonly long[] _linkFreeAt;

    // Precomputed XY routes (link ids per source-destination pair) for meshes up to RouteCacheTiles
    // tiles: a send then walks a short array instead of re-deriving its turns hop by hop.
    private const int RouteCacheTiles = 256;
    private readonly int[]? _routeStart;
    private readonly int[]? _routeLinks;
    private readonly int _tiles, _width, _linkWidth, _hopLatency;

    /// <summary>Creates an idle NoC; validates the parameters.</summary>
    /// <param name="parameters">NoC parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public MeshNoc(MeshNocParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _linkFreeAt = new long[parameters.Tiles * 4];
        (_tiles, _width, _linkWidth, _hopLatency) = (parameters.Tiles, parameters.Width, parameters.LinkWidthBits, parameters.HopLatencyCycles);
        if (_tiles <= RouteCacheTiles) (_routeStart, _routeLinks) = BuildRoutes();
    }

    private (int[] Start, int[] Links) BuildRoutes()
    {
        var start = new int[_tiles * _tiles + 1];
        var links = new List<int>();
        for (var from = 0; from < _tiles; from++)
            for (var to = 0; to < _tiles; to++)
            {
                int x = from % _width, y = from / _width, tx = to % _width, ty = to / _width;
                while (x != tx)
                {
                    var dir = tx > x ? East : West;
                    links.Add((y * _width + x) * 4 + dir);
                    x += dir == East ? 1 : -1;
                }
                while (y != ty)
                {
                    var dir = ty > y ? North : South;
                    links.Add((y * _width + x) * 4 + dir);
                    y += dir == North ? 1 : -1;
                }
                start[from * _tiles + to + 1] = links.Count;
            }
        return (start, links.ToArray());
    }

    /// <summary>The parameters this NoC was built from.</summary>
    public MeshNocParameters Parameters { get; }

    /// <summary>Messages sent, including local ones.</summary>
    public long Messages { get; private set; }

    /// <summary>Messages whose source and destination tile are the same (they do not enter the NoC).</summary>
    public long LocalMessages { get; private set; }

    /// <summary>Sum of hops over all messages.</summary>
    public long Hops { get; private set; }

    /// <summary>Flits injected into the NoC (local messages excluded).</summary>
    public long Flits { get; private set; }

    /// <summary>Flit-link traversals: sum of flits x hops (count of <see cref="LinkFlitAction"/>).</summary>
    public long LinkFlits { get; private set; }

    /// <summary>Flit-router traversals: sum of flits x (hops + 1) over non-local messages (count of <see cref="RouterFlitAction"/>).</summary>
    public long RouterFlits { get; private set; }

    /// <summary>Cycles messages spent waiting for busy links, summed over messages and links.</summary>
    public long WaitCycles { get; private set; }

    /// <summary>Dynamic energy of all traffic so far, pJ: router flits x router energy + link flits x link energy.</summary>
    public double DynamicEnergyPj => RouterFlits * Parameters.RouterFlitEnergyPj + LinkFlits * Parameters.LinkFlitEnergyPj;

    /// <summary>The tile at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column, 0 to Width - 1.</param>
    /// <param name="y">Row, 0 to Height - 1.</param>
    /// <returns>The tile index y x Width + x.</returns>
    public int TileAt(int x, int y)
    {
        if ((uint)x >= (uint)Parameters.Width || (uint)y >= (uint)Parameters.Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Parameters.Width} x {Parameters.Height} mesh.");
        }
        return y * Parameters.Width + x;
    }

    /// <summary>Hops of the XY route between two tiles: the Manhattan distance.</summary>
    /// <param name="fromTile">Source tile.</param>
    /// <param name="toTile">Destination tile.</param>
    /// <returns>|dx| + |dy|.</returns>
    public int HopsBetween(int fromTile, int toTile)
    {
        CheckTile(fromTile, nameof(fromTile));
        CheckTile(toTile, nameof(toTile));
        return XyHops(fromTile, toTile, Parameters.Width);
    }

    /// <summary>Hops of the XY route between two tiles of a mesh <paramref name="width"/> tiles wide, numbered row by row (no range checks).</summary>
    /// <returns>|dx| + |dy|.</returns>
    public static int XyHops(int fromTile, int toTile, int width) =>
        Math.Abs(fromTile % width - toTile % width) + Math.Abs(fromTile / width - toTile / width);

    /// <summary>Flits of a message of <paramref name="bits"/> bits: max(1, ceil(bits / link width)); an empty message still needs a head flit.</summary>
    /// <param name="bits">Payload bits, &gt;= 0.</param>
    /// <returns>The flit count.</returns>
    public int FlitsFor(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        int w = Parameters.LinkWidthBits;
        return bits == 0 ? 1 : (int)(((long)bits + w - 1) / w);
    }

    /// <summary>Sends a message along its XY route, reserving each link it crosses, and returns when its tail arrives.</summary>
    /// <param name="fromTile">Source tile.</param>
    /// <param name="toTile">Destination tile.</param>
    /// <param name="bits">Payload bits, &gt;= 0.</param>
    /// <param name="readyCycle">NoC cycle at which the message is ready to leave the source, &gt;= 0.</param>
    /// <returns>NoC cycle at which the last flit reaches the destination.</returns>
    public long Send(int fromTile, int toTile, int bits, long readyCycle)
    {
        CheckTile(fromTile, nameof(fromTile));
        CheckTile(toTile, nameof(toTile));
        ArgumentOutOfRangeException.ThrowIfNegative(readyCycle);
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        int flits = bits <= _linkWidth ? 1 : (int)(((long)bits + _linkWidth - 1) / _linkWidth);
        Messages++;
        if (fromTile == toTile)
        {
            LocalMessages++;
            return readyCycle;
        }
        long t = readyCycle; // when the head reaches the current router's output
        long wait = 0;
        int hops = 0;
        if (_routeStart is not null)
        {
            var pair = fromTile * _tiles + toTile;
            var route = _routeLinks.AsSpan(_routeStart[pair], _routeStart[pair + 1] - _routeStart[pair]);
            foreach (var link in route) t = Cross(link, t, flits, ref wait) + _hopLatency;
            hops = route.Length;
        }
        else
        {
            int w = _width;
            int x = fromTile % w, y = fromTile / w;
            int tx = toTile % w, ty = toTile / w;
            // X first, then Y: dimension-ordered routing is deadlock-free and deterministic.
            while (x != tx)
            {
                int dir = tx > x ? East : West;
                t = Cross((y * w + x) * 4 + dir, t, flits, ref wait) + _hopLatency;
                x += dir == East ? 1 : -1;
                hops++;
            }
            while (y != ty)
            {
                int dir = ty > y ? North : South;
                t = Cross((y * w + x) * 4 + dir, t, flits, ref wait) + _hopLatency;
                y += dir == North ? 1 : -1;
                hops++;
            }
        }
        Hops += hops;
        Flits += flits;
        LinkFlits += (long)flits * hops;
        RouterFlits += (long)flits * (hops + 1);
        WaitCycles += wait;
        return t + flits - 1;
    }

    /// <summary>Frees every link and zeroes every counter.</summary>
    public void Reset()
    {
        Array.Clear(_linkFreeAt);
        Messages = LocalMessages = Hops = Flits = LinkFlits = RouterFlits = WaitCycles = 0;
    }

    /// <summary>The cost-table rows of this NoC: <see cref="RouterFlitAction"/> and <see cref="LinkFlitAction"/>.</summary>
    /// <returns>Two rows for <see cref="Component"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        double hopNs = p.HopLatencyCycles * 1e9 / p.ClockHz;
        yield return new CostEntry(Component, RouterFlitAction, p.RouterFlitEnergyPj, hopNs,
            EnergySource(p.RouterEnergyPjPerFlit, p.RouterEnergyPjPerBit, p.RouterPjPerBit, "router 2.0") + "; hop latency: SANA-FE Loihi table, 4.1-6.5 ns");
        var linkSource = p.LinkEnergyPjPerFlit is null && p.LinkLengthUm is { } length
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"assumed: {p.LinkWidthBits} wires of {length} um (noc.link_length_um) at {TechnologyNode.WireCapacitanceFfPerUm} fF/um, Vdd {TechnologyNode.SupplyVoltage(p.TechnologyNm):G3} V at {p.TechnologyNm} nm (NeuroSim's PTM LP table), 1/2 C V^2 per bit as NeuroSim V1.4's XYBus.cpp; bare wire, no repeaters")
            : EnergySource(p.LinkEnergyPjPerFlit, p.LinkEnergyPjPerBit, p.LinkPjPerBit, "link 1.6");
        yield return new CostEntry(Component, LinkFlitAction, p.LinkFlitEnergyPj, 0, linkSource + "; latency counted with the router");
    }

    // The source of a per-flit energy: the architecture's own figure, or the per-bit derivation with its anchor.
    private string EnergySource(double? perFlit, double? givenPerBit, double perBit, string share)
    {
        var p = Parameters;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (perFlit is not null) return "given per flit in the architecture (noc.*_energy_pJ_per_flit: width and node not applied)";
        var derivation = string.Create(inv, $"{perBit:G4} pJ/bit x {p.LinkWidthBits}-bit flit x node scale {p.NodeScale:G4} ") +
            string.Create(inv, $"({MeshNocParameters.ReferenceNodeNm} nm -> {p.TechnologyNm} nm, {TechnologyNode.DynamicEnergyScalingNote})");
        return givenPerBit is not null
            ? derivation + "; per bit given in the architecture (noc.*_energy_pJ_per_bit, at 14 nm)"
            : derivation + $"; per bit: SANA-FE Loihi table (Davies et al. 2018, 14 nm): NoC hop 3.0-4.2 pJ, assumed split {share} pJ of 3.6 pJ " +
              $"per hop over an assumed {MeshNocParameters.ReferenceFlitBits}-bit Loihi flit (its width is not published)";
    }

    /// <summary>Area and leakage of one router (one per tile).</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        var p = Parameters;
        double transistor = TechnologyNode.TransistorAreaUm2(p.TechnologyNm);
        // 5 ports (4 neighbours + local) of flit buffers at ~12 transistors per flip-flop bit, plus a 5 x 5 crossbar of pass gates.
        double area = (5.0 * p.BufferFlits * p.LinkWidthBits * 12 + 25.0 * p.LinkWidthBits * 2) * transistor;
        yield return new ComponentCost(Component, area, area * TechnologyNode.LogicLeakageUwPerUm2,
            "assumed: 5-port router, BufferFlits-deep flit buffers at 12 transistors per bit + 5x5 pass-gate crossbar, 40 F^2 per transistor; 0.1 nW/um^2 leakage");
    }

    private long Cross(int link, long t, int flits, ref long wait)
    {
        long start = Math.Max(t, _linkFreeAt[link]);
        wait += start - t;
        _linkFreeAt[link] = start + flits;
        return start;
    }

    private void CheckTile(int tile, string name)
    {
        if ((uint)tile >= (uint)_tiles)
        {
            throw new ArgumentOutOfRangeException(name, tile, $"Tile {tile} is outside the {Parameters.Width} x {Parameters.Height} mesh.");
        }
    }
}
