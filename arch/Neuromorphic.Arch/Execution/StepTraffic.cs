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
    // Payloads up to this many spikes or sums take their flits from a table (the NoC's own count, made once).
    private const int FlitTable = 1024;

    private readonly NocUnit _noc;
    private readonly Ledger _ledger;
    private readonly int _addressBits, _sumBits;
    private readonly int[] _hRowTable, _hBufferWrite, _hBufferRead;
    private readonly (int Router, int Link)[] _nocHandles;
    private readonly int[] _firstGroup; // per node: its groups' indices are first .. first + count - 1
    private readonly MacroGroup[] _groups;
    private readonly MacroGroup[][] _nodeGroups;
    private readonly int[][] _place;                   // per node, per group of it: its place among the step's groups, -1 (scratch)
    // What the capture reads of the chip, copied here once: the kernel's thread writes the NoC's and the groups' objects
    // every step, and a read of a line the other core has just written costs a transfer between the cores.
    private readonly int[] _groupOf;                   // per macro: its group
    // Per macro: its source / target tiles' slots in its group's: the group's own arrays, not copies (written once, when
    // the group is made; the kernel writes the group's object, not them).
    private readonly int[][] _sourceSlots, _targetSlots;
    private readonly int[][] _inHops, _outHops;        // per group, per source / target slot: the route's hops, -1 within the tile
    private readonly int[] _inFlitsOf, _outFlitsOf;    // flits of a payload of so many spikes / partial sums
    // Per group, per source (in) and target (out) slot: the step's bits and flits being summed (the capture's thread only).
    private readonly long[][] _inBits, _outBits;
    private readonly int[][] _inFlits, _outFlits;

    /// <summary>Counts into <paramref name="ledger"/> with these handles (per node).</summary>
    /// <param name="groups">Every group, indexed by <see cref="MacroGroup.Index"/>; each node's groups are consecutive.</param>
    /// <param name="macros">Macros of the chip (indexed by <see cref="MacroRuntime.Index"/>); each is in one of the groups.</param>
    /// <param name="nodes">Nodes of the program.</param>
    /// <param name="ledger">Where the counts go (the function pass's: it runs on the function pass's thread).</param>
    /// <param name="noc">The NoC (flits of a payload, routes' hop counts; asked here, once).</param>
    /// <param name="addressBits">Bits of a spike's row address.</param>
    /// <param name="sumBits">Bits of a partial sum with its address.</param>
    /// <param name="rowTable">Per node: its row-address table reads (compacted word lines), or -1.</param>
    /// <param name="bufferWrite">Per node: the I/O buffer's bit writes.</param>
    /// <param name="bufferRead">Per node: the I/O buffer's bit reads.</param>
    /// <param name="nocHandles">Per node: the NoC's router and link flit handles.</param>
    public StepTraffic(MacroGroup[] groups, int macros, int nodes, Ledger ledger, NocUnit noc, int addressBits, int sumBits,
        int[] rowTable, int[] bufferWrite, int[] bufferRead, (int Router, int Link)[] nocHandles)
    {
        (_noc, _ledger, _addressBits, _sumBits) = (noc, ledger, addressBits, sumBits);
        (_hRowTable, _hBufferWrite, _hBufferRead, _nocHandles) = (rowTable, bufferWrite, bufferRead, nocHandles);
        var (firstGroup, groupCount) = (new int[nodes], new int[nodes]);
        foreach (var g in groups)
        {
            if (groupCount[g.Node]++ == 0) firstGroup[g.Node] = g.Index;
            else if (g.Index != firstGroup[g.Node] + groupCount[g.Node] - 1) throw new ArgumentException($"node {g.Node}'s groups are not consecutive", nameof(groups));
        }
        (_firstGroup, _groups) = (firstGroup, groups);
        _nodeGroups = Enumerable.Range(0, nodes).Select(i => groups.AsSpan(firstGroup[i], groupCount[i]).ToArray()).ToArray();
        _place = _nodeGroups.Select(x => Enumerable.Repeat(-1, x.Length).ToArray()).ToArray();
        (_groupOf, _sourceSlots, _targetSlots) = (new int[macros], new int[macros][], new int[macros][]);
        foreach (var g in groups)
            for (var k = 0; k < g.Macros.Length; k++)
            {
                var m = g.Macros[k].Index;
                (_groupOf[m], _sourceSlots[m], _targetSlots[m]) = (g.Index, g.SourceSlots(k), g.TargetSlots(k));
            }
        int Hops(int from, int to) => from == to ? -1 : noc.Hops(from, to);
        _inHops = groups.Select(g => g.SourceTiles.Select(t => Hops(t, g.Tile)).ToArray()).ToArray();
        _outHops = groups.Select(g => g.TargetTiles.Select(t => Hops(g.Tile, t)).ToArray()).ToArray();
        _inFlitsOf = Enumerable.Range(0, FlitTable).Select(c => noc.FlitsFor((long)c * addressBits)).ToArray();
        _outFlitsOf = Enumerable.Range(0, FlitTable).Select(c => noc.FlitsFor((long)c * sumBits)).ToArray();
        (_inBits, _inFlits) = (groups.Select(g => new long[g.SourceTiles.Length]).ToArray(), groups.Select(g => new int[g.SourceTiles.Length]).ToArray());
        (_outBits, _outFlits) = (groups.Select(g => new long[g.TargetTiles.Length]).ToArray(), groups.Select(g => new int[g.TargetTiles.Length]).ToArray());
    }

    /// <summary>Groups of node <paramref name="node"/>, in the node's order.</summary>
    public MacroGroup[] GroupsOf(int node) => _nodeGroups[node];

    /// <summary>
    /// Sorts crossbar node <paramref name="node"/>'s macros that worked this step (<paramref name="worked"/>, in the
    /// order they did, their reads and payloads filled in) into their groups: the groups with reads take
    /// <paramref name="w"/>'s group records in the order each group's first macro worked, their reads fill its
    /// <see cref="NodeWork.Active"/> group after group (each group's in the order its macros worked), their packets its
    /// <see cref="NodeWork.Packets"/>; and counts what the packets imply.
    /// </summary>
    public void Assemble(int node, NodeWork w, ReadOnlySpan<MacroRuntime> worked)
    {
        var first = _firstGroup[node];
        var place = _place[node];
        var groups = 0;
        // The groups with reads, in the order their first macro worked, and how many macros of each read.
        foreach (var m in worked)
        {
            if (m.Reads == 0) continue;
            var local = _groupOf[m.Index] - first;
            var k = place[local];
            if (k < 0)
            {
                place[local] = k = groups++;
                var gw = w.Groups[k];
                gw.Index = first + local;
                gw.Group = _groups[first + local];
                gw.ActiveCount = 0;
            }
            w.Groups[k].ActiveCount++;
        }
        for (int k = 0, start = 0; k < groups; k++)
        {
            var gw = w.Groups[k];
            (gw.ActiveStart, start, gw.ActiveCount) = (start, start + gw.ActiveCount, 0);
        }
        var rowTable = _hRowTable[node];
        long rowReads = 0;
        foreach (var m in worked)
        {
            var reads = m.Reads;
            if (reads == 0) continue;
            var index = m.Index;
            var g = _groupOf[index];
            var gw = w.Groups[place[g - first]];
            ref var read = ref w.Active[gw.ActiveStart + gw.ActiveCount++];
            (read.Macro, read.Reads) = (index, reads);
            // Its spikes per source tile, its partial sums per target tile, each in flits of its own (summed per
            // slot in the group's scratch, which only this thread touches).
            var (bits, flits) = (_inBits[g], _inFlits[g]);
            var (counts, slots) = (m.SpikesFrom, _sourceSlots[index]);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                rowReads += count;
                bits[slots[j]] += (long)count * _addressBits;
                flits[slots[j]] += count < FlitTable ? _inFlitsOf[count] : _noc.FlitsFor((long)count * _addressBits);
            }
            (bits, flits) = (_outBits[g], _outFlits[g]);
            (counts, slots) = (m.ValuesTo, _targetSlots[index]);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                bits[slots[j]] += (long)count * _sumBits;
                flits[slots[j]] += count < FlitTable ? _outFlitsOf[count] : _noc.FlitsFor((long)count * _sumBits);
            }
        }
        // Compacted word lines: each spike's entry for a macro is read from its source tile's row-address table.
        if (rowTable >= 0 && rowReads > 0) _ledger.Add(rowTable, rowReads);
        long buffered = 0;
        var handles = _nocHandles[node];
        var packets = 0;
        for (var k = 0; k < groups; k++)
        {
            var gw = w.Groups[k];
            var g = gw.Index;
            place[g - first] = -1;
            long reads = 0;
            for (var a = 0; a < gw.ActiveCount; a++) reads += w.Active[gw.ActiveStart + a].Reads;
            gw.Reads = reads;
            gw.InStart = packets;
            packets += gw.InCount = List(w.Packets, packets, _inBits[g], _inFlits[g], _inHops[g], handles, ref buffered);
            gw.OutStart = packets;
            packets += gw.OutCount = List(w.Packets, packets, _outBits[g], _outFlits[g], _outHops[g], handles, ref buffered);
        }
        w.GroupCount = groups;
        // The receiving tile's I/O buffer takes every packet's bits in and hands them on once each.
        if (buffered > 0)
        {
            _ledger.Add(_hBufferWrite[node], buffered);
            _ledger.Add(_hBufferRead[node], buffered);
        }
    }

    /// <summary>
    /// Lists a group's packets of one direction from its scratch sums (slot ascending) into <paramref name="packets"/> from
    /// <paramref name="start"/> on, counts their routes and bits, and empties the scratch. Returns how many there are.
    /// </summary>
    private int List(GroupWork.Packet[] packets, int start, long[] bits, int[] flits, int[] hops, (int Router, int Link) handles, ref long buffered)
    {
        var n = start;
        for (var slot = 0; slot < flits.Length; slot++)
        {
            var f = flits[slot];
            if (f == 0) continue;
            ref var p = ref packets[n++];
            (p.Slot, p.Flits, p.Bits) = (slot, f, bits[slot]);
            buffered += bits[slot];
            // The route's count: the NoC's own (CountHops; nothing within a tile, whose hops are -1 here).
            NocUnit.CountHops(_ledger, handles, hops[slot], f);
            (flits[slot], bits[slot]) = (0, 0);
        }
        return n - start;
    }
}
