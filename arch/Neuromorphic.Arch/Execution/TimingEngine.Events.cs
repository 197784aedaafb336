using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

// The timing pass: each node's captured work of a step as kernel events between hardware units
// (spike packets to the macros, row-group reads, partial sums to the neuron cores, core batches).
internal sealed partial class TimingEngine
{
    private const long KindShift = 40;
    private const long SpikesArrived = 1, ReadsDone = 2, SumsArrived = 3, CoreDone = 4, AddsDone = 5;

    private void Start(int i, Scheduler s)
    {
        _nodeStart[i] = s.Now;
        var node = _nodes[i];
        var work = _cursor.Start(i);
        switch (node.Kind)
        {
            case ChipNodeKind.Crossbar:
            {
                // The step's spikes go out as one packet per (source tile, group), assembled when the step was captured.
                var count = work.GroupCount;
                _pendingWork[i] = count;
                _nodeWork[i] = work;
                for (var k = 0; k < count; k++)
                {
                    ref var gw = ref work.Groups[k];
                    var g = _groups[gw.Index];
                    _groupAt[gw.Index] = k;
                    if (SendPackets(g, work, in gw, inbound: true, s) == 0) StartReads(g, work, in gw, s);
                }
                if (count == 0) Done(i, s);
                break;
            }
            case ChipNodeKind.Population:
            {
                var tiles = _sliceTiles[i];
                var updates = work.SliceUpdates;
                _pendingWork[i] = tiles.Length;
                var token = Token(CoreDone, i);
                MarkUsed(tiles);
                _coreBatch.Submit(s, Cores, tiles, updates, token);
                if (tiles.Length == 0) Done(i, s);
                break;
            }
            case ChipNodeKind.Digital:
                _pendingWork[i] = 1;
                Submit(node.OutputTile.Length > 0 ? node.OutputTile[0] : 0, s, work.Operations, Token(CoreDone, i));
                break;
            default:
                Done(i, s);
                break;
        }
    }

    /// <summary>Queues a batch on a tile's core (a second engine lists the cores a step used: <see cref="Harvest"/>).</summary>
    private void Submit(int tile, Scheduler s, long operations, long token)
    {
        if (_coreUsed is not null) MarkUsed(tile);
        Cores[tile].Submit(s, operations, token);
    }

    /// <summary>A second engine: the cores of these tiles are used this step (<see cref="Harvest"/>).</summary>
    private void MarkUsed(int[] tiles)
    {
        if (_coreUsed is null) return;
        foreach (var tile in tiles) MarkUsed(tile);
    }

    private void MarkUsed(int tile)
    {
        if (_coreUsed![tile]) return;
        _coreUsed[tile] = true;
        _usedCores[_usedCoreCount++] = tile;
    }

    private void Done(int i, Scheduler s)
    {
        Busy[i] += s.Now - _nodeStart[i];
        _cursor.Finish(i);
        Steps.Finished(i, s);
    }

    private static long Token(long kind, int index) => kind << (int)KindShift | (uint)index;

    /// <inheritdoc />
    public void Completed(long token, Scheduler s)
    {
        var kind = token >> (int)KindShift;
        var index = (int)(token & uint.MaxValue);
        switch (kind)
        {
            case SpikesArrived:
            {
                if (--_pendingPackets[index] > 0) break;
                var g = _groups[index];
                var work = _nodeWork[g.Node]!;
                StartReads(g, work, in work.Groups[_groupAt[index]], s);
                break;
            }
            case ReadsDone:
            {
                var g = _groups[index];
                var work = _nodeWork[g.Node]!;
                ref var gw = ref work.Groups[_groupAt[index]];
                Reads[g.Node] += gw.Reads;
                if (Probe is { } probe)
                {
                    for (var a = 0; a < gw.ActiveCount; a++)
                    {
                        ref var r = ref work.Active[gw.ActiveStart + a];
                        var m = _macros[r.Macro];
                        var unit = Macros[r.Macro];
                        probe.MacroOperated(m.Index, unit.RequestedAt, unit.DoneAt, r.Reads, (long)r.Reads * m.Tile.Array.PhysicalColumns);
                    }
                }
                if (SendPackets(g, work, in gw, inbound: false, s) == 0) MacroDone(g.Node, s);
                break;
            }
            case SumsArrived:
            {
                var g = _groups[index];
                if (--_pendingPackets[index] == 0) MacroDone(g.Node, s);
                break;
            }
            case CoreDone:
                if (--_pendingWork[index] == 0) Done(index, s);
                break;
            case AddsDone:
                Done(index, s);
                break;
        }
    }

    /// <summary>
    /// Sends the group's packets of the step: from each source tile to the group's tile (<paramref name="inbound"/>:
    /// spikes) or from it to each target tile (partial sums), counted when the step was captured. Returns how many it sent.
    /// </summary>
    private int SendPackets(MacroGroup g, NodeWork work, in GroupWork gw, bool inbound, Scheduler s)
    {
        var (tiles, start, count) = inbound ? (g.SourceTiles, gw.InStart, gw.InCount) : (g.TargetTiles, gw.OutStart, gw.OutCount);
        _pendingPackets[g.Index] = count;
        var token = Token(inbound ? SpikesArrived : SumsArrived, g.Index);
        // Compacted word lines: a packet of spikes leaves once their row addresses are read, one table entry per cycle.
        var rowTable = inbound && _hRowTable[g.Node] >= 0;
        for (var k = 0; k < count; k++)
        {
            ref var p = ref work.Packets[start + k];
            var ready = rowTable ? s.Now + work.Spikes[start + k] * _rowTableCycles : s.Now;
            var (from, to) = inbound ? (tiles[p.Slot], g.Tile) : (g.Tile, tiles[p.Slot]);
            Noc.SendCounted(s, from, to, p.Flits, ready, this, token);
        }
        return count;
    }

    /// <summary>The group's spikes are in: its macros queue their reads (timed now), one event at the last one's end.</summary>
    private void StartReads(MacroGroup g, NodeWork work, in GroupWork gw, Scheduler s)
    {
        var end = s.Now;
        var macros = Macros;
        var active = work.Active;
        for (var a = 0; a < gw.ActiveCount; a++)
        {
            ref var r = ref active[gw.ActiveStart + a];
            end = Math.Max(end, macros[r.Macro].Reserve(s, r.Reads));
        }
        _alarm.At(s, end, Token(ReadsDone, g.Index));
    }

    private void MacroDone(int node, Scheduler s)
    {
        if (--_pendingWork[node] > 0) return;
        // Row blocks' partial sums and biases meet on the neuron core's adders.
        var adds = _nodeWork[node]!.Operations;
        var outputTile = _nodes[node].OutputTile;
        var tile = outputTile.Length > 0 ? outputTile[0] : 0;
        Submit(tile, s, adds, Token(AddsDone, node));
    }
}
