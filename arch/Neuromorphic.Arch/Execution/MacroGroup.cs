namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The macros of one crossbar node on one tile: the unit its NoC traffic is aggregated by. A step's
/// spikes reach the group as one packet per source tile (each macro's spike list in flits of its own,
/// so bits and flits are those of one packet per macro), its macros start their reads when the last
/// packet is in, and their partial sums leave together, one packet per target tile, when the last
/// macro of the group has read. The packets are assembled when the step is captured (<see cref="GroupWork"/>).
/// </summary>
internal sealed class MacroGroup
{
    private readonly int[][] _sourceSlot, _targetSlot;

    public MacroGroup(int index, int node, int tile, MacroRuntime[] macros)
    {
        (Index, Node, Tile, Macros) = (index, node, tile, macros);
        SourceTiles = macros.SelectMany(m => m.SourceTiles).Distinct().Order().ToArray();
        TargetTiles = macros.SelectMany(m => m.TargetTiles).Distinct().Order().ToArray();
        _sourceSlot = macros.Select(m => m.SourceTiles.Select(t => Array.IndexOf(SourceTiles, t)).ToArray()).ToArray();
        _targetSlot = macros.Select(m => m.TargetTiles.Select(t => Array.IndexOf(TargetTiles, t)).ToArray()).ToArray();
    }

    public int Index { get; }
    public int Node { get; }
    public int Tile { get; }
    public MacroRuntime[] Macros { get; }

    /// <summary>Distinct tiles the group's inputs come from / its outputs go to.</summary>
    public int[] SourceTiles { get; }
    public int[] TargetTiles { get; }

    /// <summary>Per source tile of macro <paramref name="member"/>, its slot in <see cref="SourceTiles"/>.</summary>
    public int[] SourceSlots(int member) => _sourceSlot[member];

    /// <summary>Per target tile of macro <paramref name="member"/>, its slot in <see cref="TargetTiles"/>.</summary>
    public int[] TargetSlots(int member) => _targetSlot[member];
}
