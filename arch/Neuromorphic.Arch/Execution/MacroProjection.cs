using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A mapped weight matrix at run time: spikes travel over the NoC from their neurons' tiles to the
/// tiles of the macros holding their rows, every macro whose rows were hit performs one operation
/// (one row group read per group with an active row), and the partial sums travel back to the tiles
/// of the target neurons, where the row blocks' partial sums are added. Allocation-free per step.
/// </summary>
public sealed class MacroProjection
{
    private readonly RramMacro[] _macros;
    private readonly TileSlot[] _tiles;
    private readonly RowBlock[] _blocks;
    private readonly int[] _localRows;
    private readonly int[] _touched;
    private int _touchedCount;
    private readonly int _accumulatorBits;

    private readonly Ledger _ledger;
    private readonly int _hPartialSum, _hBufferWrite, _hBufferRead;

    /// <summary>Builds the macros of a mapped matrix, counting into <paramref name="ledger"/>.</summary>
    public MacroProjection(MappedMatrix mapped, ChipModel chip, Ledger ledger)
    {
        Mapped = mapped;
        _macros = mapped.Tiles.Select(t => chip.CreateMacro(t.Array, ledger, mapped.Layer, mapped.Scale)).ToArray();
        _ledger = ledger;
        _hPartialSum = ledger.Register(Hw.Digital.PartialSumAdder.Component, mapped.Layer, Hw.Digital.PartialSumAdder.AddAction);
        _hBufferWrite = ledger.Register(Hw.Digital.PartialSumAdder.BufferComponent, mapped.Layer, Hw.Digital.PartialSumAdder.WriteBitAction);
        _hBufferRead = ledger.Register(Hw.Digital.PartialSumAdder.BufferComponent, mapped.Layer, Hw.Digital.PartialSumAdder.ReadBitAction);
        _tiles = mapped.Tiles.Select(t => new TileSlot(t.Tile, t.ColumnStart, t.ColumnCount, AddressBits(t.ColumnCount))).ToArray();
        _blocks = BlocksOf(mapped.Tiles);
        _localRows = new int[chip.Spec.Macro.Crossbar.Rows];
        _touched = new int[mapped.Outputs * Math.Max(1, mapped.RowBlocks)];
        _accumulatorBits = chip.Spec.Macro.AccumulatorBits;
    }

    private static int AddressBits(int columns) => Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(1, columns - 1)));

    /// <summary>The mapping.</summary>
    public MappedMatrix Mapped { get; }

    /// <summary>The macros, in the order of <see cref="MappedMatrix.Tiles"/>.</summary>
    public IReadOnlyList<RramMacro> Macros => _macros;

    /// <summary>Outputs the last <see cref="Execute"/> added to (an output may appear once per row block).</summary>
    public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _touchedCount);

    /// <summary>Observer of the macros' operations (null: none).</summary>
    public IChipProbe? Probe { get; set; }

    /// <summary>Chip-wide index of this projection's first macro (for <see cref="Probe"/>).</summary>
    public int FirstMacroIndex { get; set; }

    /// <summary>Macro operations performed so far.</summary>
    public long Operations { get; private set; }

    /// <summary>Forgets every macro's resource occupancy.</summary>
    public void ResetTimeline()
    {
        foreach (var m in _macros) m.ResetTimeline();
    }

    /// <summary>
    /// Multiplies the binary input vector (its active indices, ascending) with the matrix and adds
    /// the result, in weight units, to <paramref name="outputs"/>. Returns the cycle at which the
    /// last partial sum reached its neuron tile (or <paramref name="readyCycle"/> if nothing ran).
    /// </summary>
    /// <param name="activeInputs">Inputs that spiked, ascending.</param>
    /// <param name="readyCycle">Cycle at which the spikes leave their tiles.</param>
    /// <param name="sourceTile">Tile of each input (where its spike starts).</param>
    /// <param name="targetTile">Tile of each output (where its partial sum is needed).</param>
    /// <param name="noc">The network on chip (its links are shared with every other projection).</param>
    /// <param name="outputs">Accumulated outputs, one per matrix row.</param>
    /// <param name="noise">Read-noise stream (only needed when the device has read noise).</param>
    /// <param name="costOnly">Time and count only (replay): no outputs are computed, the messages carry the recorded sizes.</param>
    public long Execute(ReadOnlySpan<int> activeInputs, long readyCycle, ReadOnlySpan<int> sourceTile, ReadOnlySpan<int> targetTile,
        ChipNoc noc, Span<double> outputs, DeterministicRandom? noise, bool costOnly = false)
    {
        var end = readyCycle;
        _touchedCount = 0;
        var next = 0;
        foreach (var block in _blocks)
        {
            while (next < activeInputs.Length && activeInputs[next] < block.RowStart) next++;
            var first = next;
            while (next < activeInputs.Length && activeInputs[next] < block.RowEnd) next++;
            var count = next - first;
            if (count == 0) continue;
            for (var k = 0; k < count; k++) _localRows[k] = activeInputs[first + k] - block.RowStart;
            var rows = _localRows.AsSpan(0, count);
            var arrivalTile = -1;
            var ready = readyCycle;
            for (var t = block.FirstTile; t < block.EndTile; t++)
            {
                var tile = _tiles[t];
                // Every spike of the block travels once to each tile holding macros of the block (the
                // router hands it to all of them); the operations there start when the last arrives.
                if (tile.Tile != arrivalTile)
                {
                    arrivalTile = tile.Tile;
                    ready = readyCycle;
                    for (var k = 0; k < count; k++)
                        ready = Math.Max(ready, noc.Send(sourceTile[activeInputs[first + k]], tile.Tile, 32, readyCycle));
                }
                // The macro adds its (scaled) column results straight into this block's outputs.
                var macro = _macros[t];
                var op = macro.Execute(rows, ready, outputs.Slice(tile.ColumnStart, tile.ColumnCount), noise, costOnly: costOnly);
                Operations++;
                Probe?.MacroOperated(FirstMacroIndex + t, op);
                var touched = macro.Touched;
                foreach (var j in touched) _touched[_touchedCount++] = tile.ColumnStart + j;
                // Non-zero partial sums (value and column address) go to the tile of the block's first
                // output neuron: the outputs of a block sit together.
                var bits = Math.Max(1, touched.Length) * (_accumulatorBits + tile.AddressBits);
                end = Math.Max(end, noc.Send(tile.Tile, targetTile[tile.ColumnStart], bits, op.End));
                // At the target tile every partial sum is buffered, read and added into its neuron's accumulator;
                // the spikes that started the operation were buffered at this tile the same way (32-bit packets).
                _ledger.Add(_hPartialSum, touched.Length);
                _ledger.Add(_hBufferWrite, bits + 32L * count);
                _ledger.Add(_hBufferRead, bits + 32L * count);
            }
        }
        return end;
    }

    /// <summary>Where one macro of the projection sits, flattened for the hot loop.</summary>
    private readonly record struct TileSlot(int Tile, int ColumnStart, int ColumnCount, int AddressBits);

    /// <summary>A row block: an input range and the consecutive tiles holding it.</summary>
    private readonly record struct RowBlock(int RowStart, int RowEnd, int FirstTile, int EndTile);

    private static RowBlock[] BlocksOf(IReadOnlyList<MacroTile> tiles)
    {
        var blocks = new List<RowBlock>();
        for (var t = 0; t < tiles.Count;)
        {
            var end = t;
            while (end < tiles.Count && tiles[end].RowStart == tiles[t].RowStart) end++;
            blocks.Add(new RowBlock(tiles[t].RowStart, tiles[t].RowStart + tiles[t].RowCount, t, end));
            t = end;
        }
        return blocks.ToArray();
    }
}
