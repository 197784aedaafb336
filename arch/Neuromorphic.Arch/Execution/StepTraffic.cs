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
        for (var k = 0; k < w.GroupCount; k++) w.Groups[k].Clear();
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
            gw.Active[gw.ActiveCount++] = mw;
            // Its spikes per source tile, its partial sums per target tile, each in flits of its own.
            var (counts, slots) = (mw.SpikesFrom, mw.SourceSlots);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                rowReads += count;
                var bits = (long)count * _addressBits;
                gw.InBits[slots[j]] += bits;
                gw.InFlits[slots[j]] += _noc.FlitsFor(bits);
            }
            (counts, slots) = (mw.ValuesTo, mw.TargetSlots);
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                var bits = (long)count * _sumBits;
                gw.OutBits[slots[j]] += bits;
                gw.OutFlits[slots[j]] += _noc.FlitsFor(bits);
            }
        }
        // Compacted word lines: each spike's entry for a macro is read from its source tile's row-address table.
        if (rowTable >= 0 && rowReads > 0) _ledger.Add(rowTable, rowReads);
        long buffered = 0;
        for (var k = 0; k < w.GroupCount; k++)
        {
            var gw = w.Groups[k];
            var g = gw.Group;
            gw.ListSlots();
            for (var j = 0; j < gw.InCount; j++)
            {
                var slot = gw.InSlots[j];
                buffered += gw.InBits[slot];
                CountRoute(g.SourceTiles[slot], g.Tile, gw.InFlits[slot], node);
            }
            for (var j = 0; j < gw.OutCount; j++)
            {
                var slot = gw.OutSlots[j];
                buffered += gw.OutBits[slot];
                CountRoute(g.Tile, g.TargetTiles[slot], gw.OutFlits[slot], node);
            }
        }
        // The receiving tile's I/O buffer takes every packet's bits in and hands them on once each.
        if (buffered > 0)
        {
            _ledger.Add(_hBufferWrite[node], buffered);
            _ledger.Add(_hBufferRead[node], buffered);
        }
    }

    /// <summary>Every router on a packet's way (the source's and one per hop) and every link take its flits once; nothing within a tile.</summary>
    private void CountRoute(int from, int to, int flits, int node)
    {
        if (from == to) return;
        var hops = _noc.Hops(from, to);
        _ledger.Add(_nocHandles[node].Router, (long)flits * (hops + 1));
        _ledger.Add(_nocHandles[node].Link, (long)flits * hops);
    }
}
