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
    private readonly MacroGroup[][] _nodeGroups;
    private readonly int[][] _place;                   // per node, per group of it: its place among the step's groups, -1 (scratch)
    // What the capture reads of the chip, copied here once: the kernel's thread writes the NoC's and the groups' objects
    // every step, and a read of a line the other core has just written costs a transfer between the cores.
    private readonly int[] _groupOf;                   // per macro: its group
    // Flat, so a step's payloads touch a few adjacent lines, not four arrays per group and two per macro: every group's
    // slots numbered in one run (group g's source slots from _inAt[g], then its target slots from _outAt[g] to _endAt[g]); per macro,
    // the numbers of its source slots then of its target slots, from _slotsAt[macro] in _slots.
    private readonly int[] _inAt, _outAt, _endAt;
    private readonly int[] _slotsAt, _slots;
    private readonly int[] _hops;                      // per slot: the route's hops, -1 within the tile
    private readonly int[] _inFlitsOf, _outFlitsOf;    // flits of a payload of so many spikes / partial sums
    // Per slot, the step's payload being summed (the capture's thread only): at 2q its spikes or partial sums, at 2q + 1
    // its flits (each macro's payload in flits of its own). The bits are the count times the bits of one. Longs, as the
    // bits were (a packet's flits are an int: checked when it is listed).
    private readonly long[] _sums;
    // Assemble's scratch (the capture's thread only): per worked macro, its group's record (-1: no reads) and its rank in
    // the group; per record of the step, its group, its reads' count and first place, and its row-group reads.
    private readonly int[] _recordOf, _rank, _groupAt, _activeIn, _startOf;
    private readonly long[] _readsIn;

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
        _firstGroup = firstGroup;
        _nodeGroups = Enumerable.Range(0, nodes).Select(i => groups.AsSpan(firstGroup[i], groupCount[i]).ToArray()).ToArray();
        _place = _nodeGroups.Select(x => Enumerable.Repeat(-1, x.Length).ToArray()).ToArray();
        (_inAt, _outAt, _endAt) = (new int[groups.Length], new int[groups.Length], new int[groups.Length]);
        var slotCount = 0;
        foreach (var g in groups)
        {
            (_inAt[g.Index], _outAt[g.Index]) = (slotCount, slotCount + g.SourceTiles.Length);
            slotCount += g.SourceTiles.Length + g.TargetTiles.Length;
            _endAt[g.Index] = slotCount;
        }
        int Hops(int from, int to) => from == to ? -1 : noc.Hops(from, to);
        _hops = new int[slotCount];
        foreach (var g in groups)
        {
            for (var j = 0; j < g.SourceTiles.Length; j++) _hops[_inAt[g.Index] + j] = Hops(g.SourceTiles[j], g.Tile);
            for (var j = 0; j < g.TargetTiles.Length; j++) _hops[_outAt[g.Index] + j] = Hops(g.Tile, g.TargetTiles[j]);
        }
        _sums = new long[2 * slotCount];
        (_groupOf, _slotsAt) = (new int[macros], new int[macros]);
        var slots = new List<int>();
        foreach (var g in groups)
            for (var k = 0; k < g.Macros.Length; k++)
            {
                var m = g.Macros[k];
                (_groupOf[m.Index], _slotsAt[m.Index]) = (g.Index, slots.Count);
                // As many as the macro's payload counts (MacroRuntime.SpikesFrom, ValuesTo), in their order.
                var (from, to) = (g.SourceSlots(k), g.TargetSlots(k));
                if (from.Length != m.SourceTiles.Length || to.Length != m.TargetTiles.Length)
                    throw new ArgumentException($"macro {m.Index}'s slots do not match its tiles", nameof(groups));
                foreach (var slot in from) slots.Add(_inAt[g.Index] + slot);
                foreach (var slot in to) slots.Add(_outAt[g.Index] + slot);
            }
        _slots = slots.ToArray();
        _inFlitsOf = Enumerable.Range(0, FlitTable).Select(c => noc.FlitsFor((long)c * addressBits)).ToArray();
        _outFlitsOf = Enumerable.Range(0, FlitTable).Select(c => noc.FlitsFor((long)c * sumBits)).ToArray();
        var mostGroups = Math.Max(1, groupCount.DefaultIfEmpty().Max());
        (_recordOf, _rank) = (new int[Math.Max(1, macros)], new int[Math.Max(1, macros)]);
        (_groupAt, _activeIn, _startOf, _readsIn) = (new int[mostGroups], new int[mostGroups], new int[mostGroups], new long[mostGroups]);
    }

    /// <summary>Whether node <paramref name="node"/>'s spikes go through a row-address table (compacted word lines).</summary>
    public bool HasRowTable(int node) => _hRowTable[node] >= 0;

    /// <summary>Groups of node <paramref name="node"/>, in the node's order.</summary>
    public MacroGroup[] GroupsOf(int node) => _nodeGroups[node];

    /// <summary>
    /// Sorts crossbar node <paramref name="node"/>'s macros that worked this step (<paramref name="worked"/>, in the
    /// order they did, their reads and payloads filled in) into their groups: the groups with reads take
    /// <paramref name="w"/>'s group records in the order each group's first macro worked, their reads fill its
    /// <see cref="NodeWork.Active"/> group after group (each group's in the order its macros worked), their packets its
    /// <see cref="NodeWork.Packets"/>; and counts what the packets imply.
    /// </summary>
    /// <remarks>
    /// A first pass gives each macro with reads its group's record and its rank within the group (in scratch of this
    /// thread's own); a second writes each read straight to its place and sums the payloads; a third writes each group's
    /// record once and lists its packets. The records are only written (the other core reads them last when two threads
    /// run), never read back, and the routes' flits are counted into the ledger once per step, not once per packet
    /// (integer sums: the same totals).
    /// </remarks>
    public void Assemble(int node, NodeWork w, ReadOnlySpan<MacroRuntime> worked)
    {
        var first = _firstGroup[node];
        var place = _place[node];
        var (groupOf, recordOf, rank) = (_groupOf, _recordOf, _rank);
        var (groupAt, activeIn, readsIn, startOf) = (_groupAt, _activeIn, _readsIn, _startOf);
        var groups = 0;
        // The groups with reads, in the order their first macro worked, and each macro's rank among its group's.
        for (var p = 0; p < worked.Length; p++)
        {
            var m = worked[p];
            if (m.Reads == 0) { recordOf[p] = -1; continue; }
            var local = groupOf[m.Index] - first;
            var k = place[local];
            if (k < 0)
            {
                place[local] = k = groups++;
                (groupAt[k], activeIn[k], readsIn[k]) = (first + local, 0, 0);
            }
            (recordOf[p], rank[p]) = (k, activeIn[k]++);
        }
        for (int k = 0, start = 0; k < groups; k++) (startOf[k], start) = (start, start + activeIn[k]);
        var rowTable = _hRowTable[node];
        long rowReads = 0;
        var (active, slotsAt, allSlots, sums) = (w.Active, _slotsAt, _slots, _sums);
        for (var p = 0; p < worked.Length; p++)
        {
            var k = recordOf[p];
            if (k < 0) continue;
            var m = worked[p];
            var (index, reads) = (m.Index, m.Reads);
            ref var read = ref active[startOf[k] + rank[p]];
            (read.Macro, read.Reads) = (index, reads);
            readsIn[k] += reads;
            // Its spikes per source slot, its partial sums per target slot, each in flits of its own (summed per slot).
            var at = slotsAt[index];
            var counts = m.SpikesFrom;
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                rowReads += count;
                var q = 2 * allSlots[at + j];
                sums[q] += count;
                sums[q + 1] += count < FlitTable ? _inFlitsOf[count] : _noc.FlitsFor((long)count * _addressBits);
            }
            at += counts.Length;
            counts = m.ValuesTo;
            for (var j = 0; j < counts.Length; j++)
            {
                var count = counts[j];
                if (count == 0) continue;
                var q = 2 * allSlots[at + j];
                sums[q] += count;
                sums[q + 1] += count < FlitTable ? _outFlitsOf[count] : _noc.FlitsFor((long)count * _sumBits);
            }
        }
        // Compacted word lines: each spike's entry for a macro is read from its source tile's row-address table.
        if (rowTable >= 0 && rowReads > 0) _ledger.Add(rowTable, rowReads);
        var route = new RouteCounts();
        var packets = 0;
        for (var k = 0; k < groups; k++)
        {
            var g = groupAt[k];
            place[g - first] = -1;
            ref var gw = ref w.Groups[k];
            gw.Index = g;
            (gw.ActiveStart, gw.ActiveCount, gw.Reads) = (startOf[k], activeIn[k], readsIn[k]);
            var count = List(w.Packets, rowTable >= 0 ? w.Spikes : null, packets, _inAt[g], _outAt[g] - _inAt[g], _addressBits, ref route);
            (gw.InStart, gw.InCount) = (packets, count);
            packets += count;
            count = List(w.Packets, null, packets, _outAt[g], _endAt[g] - _outAt[g], _sumBits, ref route);
            (gw.OutStart, gw.OutCount) = (packets, count);
            packets += count;
        }
        w.GroupCount = groups;
        // The routes' flits (NocUnit.RouteFlits, summed over the step's packets).
        var handles = _nocHandles[node];
        if (route.RouterFlits > 0) _ledger.Add(handles.Router, route.RouterFlits);
        if (route.LinkFlits > 0) _ledger.Add(handles.Link, route.LinkFlits);
        // The receiving tile's I/O buffer takes every packet's bits in and hands them on once each.
        if (route.Buffered > 0)
        {
            _ledger.Add(_hBufferWrite[node], route.Buffered);
            _ledger.Add(_hBufferRead[node], route.Buffered);
        }
    }

    /// <summary>A step's route counts, summed over its packets: router and link flits (<see cref="NocUnit.CountHops"/>), buffered bits.</summary>
    private struct RouteCounts
    {
        public long RouterFlits, LinkFlits, Buffered;
    }

    /// <summary>
    /// Lists a group's packets of one direction (its <paramref name="count"/> slots from <paramref name="first"/>, in order)
    /// from the step's sums into <paramref name="packets"/> from <paramref name="start"/> on (and each one's spikes or sums
    /// into <paramref name="spikes"/> at its index, if given: a row-address table's reads), adds their routes' flits and
    /// their bits (<paramref name="bitsEach"/> a spike or partial sum) to <paramref name="route"/>, and empties the sums.
    /// Returns how many there are.
    /// </summary>
    private int List(GroupWork.Packet[] packets, int[]? spikes, int start, int first, int count, int bitsEach, ref RouteCounts route)
    {
        var (sums, hops) = (_sums, _hops);
        var n = start;
        for (var slot = 0; slot < count; slot++)
        {
            var q = first + slot;
            var f = sums[2 * q + 1];
            if (f == 0) continue;
            var bits = checked(sums[2 * q] * bitsEach);
            if (spikes is not null) spikes[n] = checked((int)sums[2 * q]);
            ref var p = ref packets[n++];
            (p.Slot, p.Flits) = (slot, checked((int)f));
            route.Buffered += bits;
            // The route's count, by NocUnit.CountHops' rule (nothing within a tile, whose hops are -1 here).
            var (routers, links) = NocUnit.RouteFlits(hops[q], f);
            route.RouterFlits += routers;
            route.LinkFlits += links;
            (sums[2 * q], sums[2 * q + 1]) = (0, 0);
        }
        return n - start;
    }
}
