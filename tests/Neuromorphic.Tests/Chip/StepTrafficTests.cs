using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <see cref="StepTraffic.Assemble"/> against a hand count: which groups a step's worked macros fall into and in what
/// order, each group's reads and packets (slot, flits, and a spike packet's spikes where the node has a row-address
/// table; their bits through the buffers' counts), and what they add to the ledger (routers' and links'
/// flits, row-address table reads, I/O buffer bits). Two nodes, several groups with several source and target tiles,
/// macros that worked without reading, payloads of 1024 spikes and more and of 1100 sums (past the flit table of
/// payloads up to 1023), and steps back to back (the assembly's scratch must be empty again after each).
/// </summary>
[TestFixture]
public sealed class StepTrafficTests
{
    // 4 x 3 mesh (tile = y * 4 + x), 32-bit links: a payload of b bits takes ceil(b / 32) flits.
    private const int AddressBits = 12, SumBits = 20;

    private sealed class Chip
    {
        public readonly Ledger Ledger = new();
        public readonly MacroRuntime[] Macros;
        public readonly MacroGroup[] Groups;
        public readonly StepTraffic Traffic;
        public readonly (int Router, int Link)[] Noc;
        public readonly int[] RowTable, BufferWrite, BufferRead;

        public Chip()
        {
            var scheduler = new Scheduler();
            var noc = new NocUnit(scheduler, new MeshNocParameters { Width = 4, Height = 3, LinkWidthBits = 32, HopLatencyCycles = 1, ClockHz = 1e9, BufferFlits = 4 },
                1e9, new Ledger());
            // Macro index, node, tile, source tiles, target tiles (each ascending and distinct, as the mapper makes them).
            var spec = new (int Node, int Tile, int[] From, int[] To)[]
            {
                (0, 5, [0, 5], [6]),      // m0, group A (node 0, tile 5)
                (0, 5, [5, 11], [6, 10]), // m1, group A
                (0, 5, [0], [10]),        // m2, group A
                (0, 6, [1, 3], [6]),      // m3, group B (node 0, tile 6)
                (0, 6, [3], [7]),         // m4, group B
                (0, 9, [8], [9]),         // m5, group C (node 0, tile 9)
                (1, 2, [0, 2], [2, 3]),   // m6, group D (node 1, tile 2)
            };
            Macros = spec.Select((s, k) => new MacroRuntime(k, s.Node, 0, new MacroTile(k, s.Tile, 0, 1, 0, 1, null!), null!,
                s.From, s.To)).ToArray();
            Groups =
            [
                new MacroGroup(0, 0, 5, [Macros[0], Macros[1], Macros[2]]),
                new MacroGroup(1, 0, 6, [Macros[3], Macros[4]]),
                new MacroGroup(2, 0, 9, [Macros[5]]),
                new MacroGroup(3, 1, 2, [Macros[6]]),
            ];
            Noc = [NocUnit.HandlesIn(Ledger, "n0"), NocUnit.HandlesIn(Ledger, "n1")];
            // Node 0 has compacted word lines (a row-address table), node 1 not.
            RowTable = [Ledger.Register("row_table", "n0", "read"), -1];
            BufferWrite = [Ledger.Register("buffer", "n0", "write"), Ledger.Register("buffer", "n1", "write")];
            BufferRead = [Ledger.Register("buffer", "n0", "read"), Ledger.Register("buffer", "n1", "read")];
            Traffic = new StepTraffic(Groups, Macros.Length, 2, Ledger, noc, AddressBits, SumBits, RowTable, BufferWrite, BufferRead, Noc);
        }

        /// <summary>Sets macro <paramref name="m"/>'s work of the step: reads, spikes per source tile, sums per target tile.</summary>
        public MacroRuntime Work(int m, int reads, int[] spikesFrom, int[] valuesTo)
        {
            var macro = Macros[m];
            macro.Reads = reads;
            spikesFrom.CopyTo(macro.SpikesFrom, 0);
            valuesTo.CopyTo(macro.ValuesTo, 0);
            return macro;
        }

        public NodeWork Record(int node) => new(0, Traffic.GroupsOf(node), Traffic.HasRowTable(node));

        public long[] Counts(int node) =>
            [Ledger.Count(Noc[node].Router), Ledger.Count(Noc[node].Link), RowTable[node] < 0 ? 0 : Ledger.Count(RowTable[node]),
             Ledger.Count(BufferWrite[node]), Ledger.Count(BufferRead[node])];
    }

    // The bits of each packet are the payload's count times the bits of one (a spike's address, a sum with its address):
    // the record keeps each packet's slot and flits, and a spike packet's count where the node has a row-address table.
    private static void AssertGroup(NodeWork w, int k, int index, (int Macro, int Reads)[] reads,
        (int Slot, int Flits, long Bits)[] inbound, (int Slot, int Flits, long Bits)[] outbound, Chip chip)
    {
        var g = w.Groups[k];
        var name = $"group record {k}";
        Assert.That(g.Index, Is.EqualTo(index), name);
        var active = w.Active.AsSpan(g.ActiveStart, g.ActiveCount).ToArray();
        Assert.That(active.Select(r => (r.Macro, r.Reads)), Is.EqualTo(reads), name);
        Assert.That(g.Reads, Is.EqualTo(reads.Sum(r => (long)r.Reads)), name);
        Assert.That(w.Packets.AsSpan(g.InStart, g.InCount).ToArray().Select(p => (p.Slot, p.Flits)), Is.EqualTo(inbound.Select(p => (p.Slot, p.Flits))), name + " inbound");
        Assert.That(w.Packets.AsSpan(g.OutStart, g.OutCount).ToArray().Select(p => (p.Slot, p.Flits)), Is.EqualTo(outbound.Select(p => (p.Slot, p.Flits))), name + " outbound");
        if (w.Spikes.Length > 0)
            Assert.That(w.Spikes.AsSpan(g.InStart, g.InCount).ToArray(), Is.EqualTo(inbound.Select(p => (int)(p.Bits / AddressBits))), name + " inbound spikes (row-address table reads)");
    }

    [Test]
    public void Assemble_sorts_reads_and_packets_into_groups_and_counts_routes_tables_and_buffers()
    {
        var chip = new Chip();

        // Step 1, node 0: macros in the order they worked; m5 and m2 worked without reading (they send nothing).
        var w = chip.Record(0);
        MacroRuntime[] worked =
        [
            chip.Work(3, 2, [2, 5], [8]),
            chip.Work(5, 0, [0], [0]),
            chip.Work(0, 3, [1024, 3], [16]),
            chip.Work(4, 1, [1], [4]),
            chip.Work(1, 4, [2, 0], [16, 1]),
            chip.Work(2, 0, [0], [0]),
        ];
        chip.Traffic.Assemble(0, w, worked);
        // Groups with reads in the order their first macro worked: B (m3 first), then A; C did not read.
        Assert.That(w.GroupCount, Is.EqualTo(2));
        // B (tile 6 = (2,1)): sources [1, 3], targets [6, 7].
        //   in slot 0 (tile 1, 2 hops): m3's 2 spikes = 24 bits, 1 flit.
        //   in slot 1 (tile 3, 2 hops): m3's 5 spikes = 60 bits, 2 flits + m4's 1 = 12 bits, 1 flit: 72 bits, 3 flits.
        //   out slot 0 (tile 6, its own): m3's 8 sums = 160 bits, 5 flits.
        //   out slot 1 (tile 7, 1 hop): m4's 4 sums = 80 bits, 3 flits.
        AssertGroup(w, 0, 1, [(3, 2), (4, 1)], [(0, 1, 24), (1, 3, 72)], [(0, 5, 160), (1, 3, 80)], chip);
        // A (tile 5 = (1,1)): sources [0, 5, 11], targets [6, 10].
        //   in slot 0 (tile 0, 2 hops): m0's 1024 spikes = 12288 bits, 384 flits.
        //   in slot 1 (tile 5, its own): m0's 3 = 36 bits, 2 flits + m1's 2 = 24 bits, 1 flit: 60 bits, 3 flits.
        //   in slot 2 (tile 11): nothing.
        //   out slot 0 (tile 6, 1 hop): m0's 16 sums = 320 bits, 10 flits + m1's 16, the same: 640 bits, 20 flits.
        //   out slot 1 (tile 10, 2 hops): m1's 1 sum = 20 bits, 1 flit.
        AssertGroup(w, 1, 0, [(0, 3), (1, 4)], [(0, 384, 12288), (1, 3, 60)], [(0, 20, 640), (1, 1, 20)], chip);
        Assert.That(w.Groups[0].InStart, Is.EqualTo(0));
        Assert.That(w.Groups[1].InStart, Is.EqualTo(4), "a node's packets group after group");
        Assert.That(w.Groups[1].ActiveStart, Is.EqualTo(2), "a node's reads group after group");
        // Routers: flits x (hops + 1), links: flits x hops, packets within a tile none.
        //   B: 1 x 3 + 3 x 3 + 3 x 2 = 18 router, 1 x 2 + 3 x 2 + 3 x 1 = 11 link flits.
        //   A: 384 x 3 + 20 x 2 + 1 x 3 = 1195 router, 384 x 2 + 20 x 1 + 1 x 2 = 790 link flits.
        // Row table: every spike of a macro that read: 7 + 1 + 1027 + 2 = 1037. Buffers: every packet's bits,
        // local ones included: 24 + 72 + 160 + 80 + 12288 + 60 + 640 + 20 = 13344, written and read.
        Assert.That(chip.Counts(0), Is.EqualTo(new long[] { 1213, 801, 1037, 13344, 13344 }));
        Assert.That(chip.Counts(1), Is.EqualTo(new long[] { 0, 0, 0, 0, 0 }));

        // Node 1 (no row table): m6 (tile 2 = (2,0)); sources [0, 2], targets [2, 3].
        //   in slot 0 (tile 0, 2 hops): 1 spike = 12 bits, 1 flit; in slot 1 (its own tile): 4 = 48 bits, 2 flits.
        //   out slot 1 (tile 3, 1 hop): 3 sums = 60 bits, 2 flits. Routers 1 x 3 + 2 x 2 = 7, links 1 x 2 + 2 x 1 = 4.
        var w1 = chip.Record(1);
        chip.Traffic.Assemble(1, w1, [chip.Work(6, 5, [1, 4], [0, 3])]);
        Assert.That(w1.GroupCount, Is.EqualTo(1));
        AssertGroup(w1, 0, 3, [(6, 5)], [(0, 1, 12), (1, 2, 48)], [(1, 2, 60)], chip);
        Assert.That(w1.Spikes, Is.Empty, "no row-address table: no spike counts kept");
        Assert.That(chip.Counts(1), Is.EqualTo(new long[] { 7, 4, 0, 120, 120 }));

        // Step 2, node 0, into the same record: C first now, then A; nothing of step 1 may be left in the scratch.
        worked =
        [
            chip.Work(5, 1, [1500], [2]),
            chip.Work(1, 1, [0, 1], [0, 1100]),
        ];
        chip.Traffic.Assemble(0, w, worked);
        Assert.That(w.GroupCount, Is.EqualTo(2));
        // C (tile 9 = (1,2)): in slot 0 (tile 8, 1 hop): 1500 spikes = 18000 bits, 563 flits; out slot 0 (its own): 2 sums
        // = 40 bits, 2 flits.
        AssertGroup(w, 0, 2, [(5, 1)], [(0, 563, 18000)], [(0, 2, 40)], chip);
        // A: in slot 2 (tile 11 = (3,2), 3 hops): 1 spike = 12 bits, 1 flit; out slot 1 (tile 10, 2 hops): 1100 sums =
        // 22000 bits, 688 flits.
        AssertGroup(w, 1, 0, [(1, 1)], [(2, 1, 12)], [(1, 688, 22000)], chip);
        // Routers 563 x 2 + 1 x 4 + 688 x 3 = 3194, links 563 x 1 + 1 x 3 + 688 x 2 = 1942; row table 1500 + 1; buffers
        // 18000 + 40 + 12 + 22000 = 40052.
        Assert.That(chip.Counts(0), Is.EqualTo(new long[] { 1213 + 3194, 801 + 1942, 1037 + 1501, 13344 + 40052, 13344 + 40052 }));
        Assert.That(chip.Counts(1), Is.EqualTo(new long[] { 7, 4, 0, 120, 120 }));
    }
}
