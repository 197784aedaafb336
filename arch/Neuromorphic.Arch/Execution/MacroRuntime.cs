using System.Runtime.CompilerServices;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Macro;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One placed macro at run time: its function (the programmed <see cref="RramMacro"/>) and this timestep's work: row-group reads, the spikes it
/// needs from each source tile and the partial sums it sends to each target tile.
/// </summary>
internal sealed class MacroRuntime(int index, int node, int delayClass, MacroTile tile, RramMacro function,
    int[] sourceTiles, int[] targetTiles)
{
    public int Index { get; } = index;
    public int Node { get; } = node;
    public int DelayClass { get; } = delayClass;
    public MacroTile Tile { get; } = tile;
    public RramMacro Function { get; } = function;
    // Its timing is a MacroUnit of each timing engine (TimingEngine.Macros[Index]): two engines may time steps.

    /// <summary>Distinct tiles its inputs come from / its outputs go to.</summary>
    public int[] SourceTiles { get; } = sourceTiles;
    public int[] TargetTiles { get; } = targetTiles;

    // Read on every spike: kept in the object itself, whose line the step's counts bring in anyway, rather than
    // behind the tile record and the tiles array.
    private readonly bool _oneSource = sourceTiles.Length == 1;

    /// <summary>The first matrix row (input or word line) of <see cref="Tile"/>.</summary>
    public int RowStart { get; } = tile.RowStart;

    /// <summary>
    /// Index of a chip tile in <see cref="SourceTiles"/> / <see cref="TargetTiles"/> (both ascending and
    /// distinct): a search in the macro's few tiles rather than a map of every chip tile, which a chip of a
    /// million macros on a quarter of a million tiles could not hold. The tile must be one of them: a
    /// macro fed from one tile (the usual case) needs no search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SourceIndex(int tile) => _oneSource ? 0 : IndexOf(SourceTiles, tile);

    /// <summary>
    /// <see cref="Array.BinarySearch{T}(T[], T)"/>'s answer for <paramref name="tile"/> in <paramref name="tiles"/>
    /// (ascending and distinct): its index, or a negative number when it is absent. A macro's rows come from a few
    /// tiles, and a spike's is looked up per spike and macro: a scan finds it sooner than the search's call; many
    /// tiles, or a tile not among them, take the search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOf(int[] tiles, int tile)
    {
        if (tiles.Length <= ScannedTiles)
            for (var k = 0; k < tiles.Length; k++)
                if (tiles[k] == tile) return k;
        return Array.BinarySearch(tiles, tile);
    }

    private const int ScannedTiles = 16;

    public int TargetIndex(int tile) => Array.BinarySearch(TargetTiles, tile);

    /// <summary>
    /// Index in <see cref="TargetTiles"/> of each column's tile, for a dense matrix (column j is output
    /// <c>Tile.ColumnStart + j</c> of <paramref name="outputTile"/>); built on the macro's first read.
    /// </summary>
    public int[] TargetOfColumns(int[] outputTile)
    {
        if (_targetOfColumn is { } known) return known;
        var targets = new int[Tile.ColumnCount];
        for (var j = 0; j < targets.Length; j++) targets[j] = TargetIndex(outputTile[Tile.ColumnStart + j]);
        return _targetOfColumn = targets;
    }

    private int[]? _targetOfColumn;

    // This timestep's work.
    public int Reads;
    public readonly int[] SpikesFrom = new int[sourceTiles.Length];
    public readonly int[] ValuesTo = new int[targetTiles.Length];
    public bool Worked;

    public void ClearWork()
    {
        Worked = false;
        Reads = 0;
        // Most macros have one or two source and target tiles: a loop beats a call to clear them.
        for (var k = 0; k < SpikesFrom.Length; k++) SpikesFrom[k] = 0;
        for (var k = 0; k < ValuesTo.Length; k++) ValuesTo[k] = 0;
    }
}
