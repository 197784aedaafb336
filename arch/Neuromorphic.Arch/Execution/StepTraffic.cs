using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The part of a crossbar node's step that does not depend on time, done when the step is captured
/// (so a producer running the function pass ahead does it, not the timing pass): its macros sorted
/// into their groups, each group's packets assembled (flits and bits per source and target tile), and
/// the counts that follow from them alone: row-address table reads, the receiving tiles' I/O buffer
/// bits, the routers' and links' flits of each packet's route. The counts are sums, so adding them
/// when the step is captured rather than when its packets go out leaves every total as it was.
/// </summary>
internal sealed class StepTraffic
{
    private readonly NocUnit _noc;
    private readonly Ledger _ledger;
    private readonly int _addressBits, _sumBits;
    private readonly int[] _hRowTable, _hBufferWrite, _hBufferRead;
    private readonly (int Router, int Link)[] _nocHandles;
    private readonly int[] _firstGroup, _groupCount; // per node: its groups' indices are first .. first + count - 1
    // Per group, per source (in) and target (out) slot: the step's bits and flits being summed (the capture's thread only).
    private readonly long[][] _inBits, _outBits;
    private readonly int[][] _inFlits, _outFlits;

    /// <summary>Counts into <paramref name="ledger"/> with these handles (per node).</summary>
    /// <param name="groups">Every group, indexed by <see cref="MacroGroup.Index"/>; each node's groups are consecutive.</param>
    /// <param name="nodes">Nodes of the program.</param>
    /// <param name="ledger">Where the counts go (the function pass's: it runs on the function pass's thread).</param>
    /// <param name="noc">The NoC (flits of a payload, routes' hop counts).</param>
    /// <param name="addressBits">Bits of a spike's row address.</param>
    /// <param name="sumBits">Bits of a partial sum with its address.</param>
    /// <param name="rowTable">Per node: its row-address table reads (compacted word lines), or -1.</param>
    /// <param name="bufferWrite">Per node: the I/O buffer's bit writes.</param>
    /// <param name="bufferRead">Per node: the I/O buffer's bit reads.</param>
    /// <param name="nocHandles">Per node: the NoC's router and link flit handles.</param>
    public StepTraffic(MacroGroup[] groups, int nodes, Ledger ledger, NocUnit noc, int addressBits, int sumBits,
        int[] rowTable, int[] bufferWrite, int[] bufferRead, (int Router, int Link)[] nocHandles)
    {
        (_noc, _ledger, _addressBits, _sumBits) = (noc, ledger, addressBits, sumBits);
        (_hRowTable, _hBufferWrite, _hBufferRead, _nocHandles) = (rowTable, bufferWrite, bufferRead, nocHandles);
        Groups = groups;
        (_inBits, _inFlits) = (groups.Select(g => new long[g.SourceTiles.Length]).ToArray(), groups.Select(g => new int[g.SourceTiles.Length]).ToArray());
        (_outBits, _outFlits) = (groups.Select(g => new long[g.TargetTiles.Length]).ToArray(), groups.Select(g => new int[g.TargetTiles.Length]).ToArray());
        (_firstGroup, _groupCount) = (new int[nodes], new int[nodes]);
        foreach (var g in groups)
        {
            if (_groupCount[g.Node]++ == 0) _firstGroup[g.Node] = g.Index;
            else if (g.Index != _firstGroup[g.Node] + _groupCount[g.Node] - 1) throw new ArgumentException($"node {g.Node}'s groups are not consecutive", nameof(groups));
        }
    }

    /// <summary>Every group, indexed by <see cref="MacroGroup.Index"/>.</summary>
    public MacroGroup[] Groups { get; }

    /// <summary>Groups of node <paramref name="node"/>.</summary>
    public int GroupsOf(int node) => _groupCount[node];

    /// <summary>
    /// Sorts crossbar node <paramref name="node"/>'s captured macros (<paramref name="w"/>, their reads and
    /// payloads filled in) into their groups, in the order each group's first macro worked, assembles the
    /// groups' packets and counts what they imply.
    /// </summary>
    public void Assemble(int node, NodeWork w)
    {
        for (var k = 0; k < w.GroupCount; k++) w.Groups[k].ActiveCount = 0;
        w.GroupCount = 0;
        var first = _firstGroup[node];
        var rowTable = _hRowTable[node];
        long rowReads = 0;
        for (var k = 0; k < w.MacroCount; k++)
        {
            var mw = w.Macro(k);
            if (mw.Reads == 0) continue;
            var g = mw.Group;
            var gw = w.ByGroup[g.Index - first] ??= new GroupWork(g);
            if (gw.ActiveCount == 0) w.Groups[w.GroupCount++] = gw;
            ref var read = ref gw.Active[gw.ActiveCount++];
            (read.Timing, read.Macro, read.Reads) = (mw.Macro.Timing, mw.Macro.Index, mw.Reads);
            // Its spikes per source tile, its partial sums per target tile, each in flits of its own (summed per
            // slot in the group's scratch, which only this thread touches).
            var (bits, flits) = (_inBits[g.Index], _inFlits[g.Index]);
            var (counts, slots) = (mw.SpikesFrom, mw.SourceSlots);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                rowReads += count;
                var b = (long)count * _addressBits;
                bits[slots[j]] += b;
                flits[slots[j]] += _noc.FlitsFor(b);
            }
            (bits, flits) = (_outBits[g.Index], _outFlits[g.Index]);
            (counts, slots) = (mw.ValuesTo, mw.TargetSlots);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                var b = (long)count * _sumBits;
                bits[slots[j]] += b;
                flits[slots[j]] += _noc.FlitsFor(b);
            }
        }
        // Compacted word lines: each spike's entry for a macro is read from its source tile's row-address table.
        if (rowTable >= 0 && rowReads > 0) _ledger.Add(rowTable, rowReads);
        long buffered = 0;
        for (var k = 0; k < w.GroupCount; k++)
        {
            var gw = w.Groups[k];
            var g = gw.Group;
            long reads = 0;
            for (var a = 0; a < gw.ActiveCount; a++) reads += gw.Active[a].Reads;
            gw.Reads = reads;
            gw.InCount = List(g, gw.In, _inBits[g.Index], _inFlits[g.Index], g.SourceTiles, g.Tile, inbound: true, node, ref buffered);
            gw.OutCount = List(g, gw.Out, _outBits[g.Index], _outFlits[g.Index], g.TargetTiles, g.Tile, inbound: false, node, ref buffered);
        }
        // The receiving tile's I/O buffer takes every packet's bits in and hands them on once each.
        if (buffered > 0)
        {
            _ledger.Add(_hBufferWrite[node], buffered);
            _ledger.Add(_hBufferRead[node], buffered);
        }
    }

    /// <summary>
    /// Lists a group's packets of one direction from its scratch sums (slot ascending), counts their routes and
    /// bits, and empties the scratch. Returns how many there are.
    /// </summary>
    private int List(MacroGroup g, GroupWork.Packet[] packets, long[] bits, int[] flits, int[] tiles, int tile, bool inbound, int node, ref long buffered)
    {
        var n = 0;
        for (var slot = 0; slot < flits.Length; slot++)
        {
            if (flits[slot] == 0) continue;
            ref var p = ref packets[n++];
            (p.Slot, p.Flits, p.Bits) = (slot, flits[slot], bits[slot]);
            buffered += bits[slot];
            if (inbound) _noc.CountRoute(_ledger, _nocHandles[node], tiles[slot], tile, flits[slot]);
            else _noc.CountRoute(_ledger, _nocHandles[node], tile, tiles[slot], flits[slot]);
            (flits[slot], bits[slot]) = (0, 0);
        }
        return n;
    }
}
