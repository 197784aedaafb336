using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Execution;

// The timing pass: each node's captured work of a step as kernel events between hardware units
// (spike packets to the macros, row-group reads, partial sums to the neuron cores, core batches).
public sealed partial class ChipExecutor
{
    private void Start(int i, Scheduler s)
    {
        _nodeStart[i] = s.Now;
        var node = _program.Nodes[i];
        var work = _work.Start(i);
        switch (node.Kind)
        {
            case ChipNodeKind.Crossbar:
            {
                // The step's spikes go out as one packet per (source tile, group): each macro's list in flits of its own.
                var groups = _stepGroups[i];
                var count = 0;
                for (var k = 0; k < work.MacroCount; k++)
                {
                    var w = work.Macro(k);
                    if (w.Reads == 0) continue;
                    var g = w.Group;
                    if (g.ActiveCount == 0) groups[count++] = g.Index;
                    g.Active[g.ActiveCount++] = w;
                    AddPayloads(g, w, inbound: true);
                }
                _stepGroupCount[i] = count;
                _pendingWork[i] = count;
                for (var k = 0; k < count; k++)
                {
                    var g = _groups[groups[k]];
                    if (SendPackets(g, inbound: true, s) == 0) StartReads(g, s);
                }
                if (count == 0) Done(i, s);
                break;
            }
            case ChipNodeKind.Population:
                var population = _populations[i]!;
                var slices = node.Slices;
                _pendingWork[i] = slices.Count;
                for (var k = 0; k < slices.Count; k++) _cores[slices[k].Tile].Submit(s, work.SliceUpdates[k], Token(CoreDone, i));
                if (slices.Count == 0) Done(i, s);
                break;
            case ChipNodeKind.Digital:
                _pendingWork[i] = 1;
                _cores[node.OutputTile.Length > 0 ? node.OutputTile[0] : 0].Submit(s, work.Operations, Token(CoreDone, i));
                break;
            default:
                Done(i, s);
                break;
        }
    }

    private void Done(int i, Scheduler s)
    {
        _busy[i] += s.Now - _nodeStart[i];
        _work.Finish(i);
        _steps.Finished(i, s);
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
                var g = _groups[index];
                if (--g.PendingPackets == 0) StartReads(g, s);
                break;
            }
            case ReadsDone:
            {
                var g = _groups[index];
                for (var a = 0; a < g.ActiveCount; a++)
                {
                    var w = g.Active[a];
                    var m = w.Macro;
                    _reads[m.Node] += w.Reads;
                    _probe?.MacroOperated(m.Index, m.RequestedAt, m.DoneAt, w.Reads, (long)w.Reads * m.Tile.Array.PhysicalColumns);
                    AddPayloads(g, w, inbound: false);
                }
                if (SendPackets(g, inbound: false, s) == 0) GroupDone(g, s);
                break;
            }
            case SumsArrived:
            {
                var g = _groups[index];
                if (--g.PendingPackets == 0) GroupDone(g, s);
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

    /// <summary>The receiving tile's I/O buffer takes the packet's bits in and hands them on once each.</summary>
    private void Buffered(int node, long bits)
    {
        _timingLedger.Add(_hBufferWrite[node], bits);
        _timingLedger.Add(_hBufferRead[node], bits);
    }

    /// <summary>
    /// Adds one macro's payloads to the group's packets: its spikes per source tile (<paramref name="inbound"/>)
    /// or its partial sums per target tile, each in flits of its own.
    /// </summary>
    private void AddPayloads(MacroGroup g, MacroWork w, bool inbound)
    {
        var counts = inbound ? w.SpikesFrom : w.ValuesTo;
        var slots = inbound ? w.SourceSlots : w.TargetSlots;
        var bitsEach = inbound ? _addressBits : _sumBits;
        // Compacted word lines: each spike's entry for this macro is read from its source tile's row-address table.
        var rowTable = inbound ? _hRowTable[g.Node] : -1;
        var (groupBits, groupFlits) = (g.Bits, g.Flits);
        for (var k = 0; k < counts.Length; k++)
        {
            var count = counts[k];
            if (count == 0) continue;
            if (rowTable >= 0) _timingLedger.Add(rowTable, count);
            var bits = (long)count * bitsEach;
            var slot = slots[k];
            groupBits[slot] += bits;
            groupFlits[slot] += _noc.FlitsFor(bits);
        }
    }

    /// <summary>
    /// Sends the group's assembled packets: from each source tile to the group's tile (<paramref name="inbound"/>:
    /// spikes) or from it to each target tile (partial sums), and empties them. Returns how many it sent.
    /// </summary>
    private int SendPackets(MacroGroup g, bool inbound, Scheduler s)
    {
        var tiles = inbound ? g.SourceTiles : g.TargetTiles;
        var flits = g.Flits;
        var count = 0;
        for (var slot = 0; slot < tiles.Length; slot++) if (flits[slot] > 0) count++;
        g.PendingPackets = count;
        var token = Token(inbound ? SpikesArrived : SumsArrived, g.Index);
        for (var slot = 0; slot < tiles.Length; slot++)
        {
            if (flits[slot] == 0) continue;
            // Compacted word lines: the packet leaves once its spikes' row addresses are read, one table entry per cycle.
            var ready = inbound && _hRowTable[g.Node] >= 0 ? s.Now + g.Bits[slot] / _addressBits * _rowTableCycles : s.Now;
            var (from, to) = inbound ? (tiles[slot], g.Tile) : (g.Tile, tiles[slot]);
            _noc.SendFlits(s, from, to, flits[slot], ready, this, token, _nocHandles[g.Node]);
            Buffered(g.Node, g.Bits[slot]);
            // The packet is out: its slot is left empty for the next one (no clearing of the whole group's packets).
            (flits[slot], g.Bits[slot]) = (0, 0);
        }
        return count;
    }

    /// <summary>The group's spikes are in: its macros queue their reads (timed now), one event at the last one's end.</summary>
    private void StartReads(MacroGroup g, Scheduler s)
    {
        var end = s.Now;
        for (var a = 0; a < g.ActiveCount; a++)
        {
            var w = g.Active[a];
            var m = w.Macro;
            m.RequestedAt = s.Now;
            m.DoneAt = m.Timing.Reserve(s, w.Reads);
            end = Math.Max(end, m.DoneAt);
        }
        _alarm.At(s, end, Token(ReadsDone, g.Index));
    }

    private void GroupDone(MacroGroup g, Scheduler s)
    {
        g.ActiveCount = 0;
        MacroDone(g.Node, s);
    }

    private void MacroDone(int node, Scheduler s)
    {
        if (--_pendingWork[node] > 0) return;
        // Row blocks' partial sums and biases meet on the neuron core's adders.
        var adds = _work.Current(node).Operations;
        var tile = _program.Nodes[node].OutputTile.Length > 0 ? _program.Nodes[node].OutputTile[0] : 0;
        _cores[tile].Submit(s, adds, Token(AddsDone, node));
    }
}
