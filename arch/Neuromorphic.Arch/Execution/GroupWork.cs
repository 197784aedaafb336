namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One macro group's work of one step, assembled when the step is captured (none of it depends on
/// time): the group's macros with reads, and its packets: one per source tile carrying the macros'
/// spikes (inbound) and one per target tile carrying their partial sums (outbound), each macro's
/// payload in flits of its own. The timing pass only sends them and queues the reads.
/// </summary>
/// <remarks>
/// Flat and compact, because with two threads the capture writes it on one core and the timing reads it on the
/// other, a cache line at a time: a node's step keeps its groups' records in one array of these (40 bytes each, no
/// reference: written without a GC write barrier), all their reads in another and all their packets in a third
/// (<see cref="NodeWork"/>; a group's are a range of each), and the step's groups take the node's records in order
/// (the k-th group with reads takes the k-th), so a step's records are a few runs of adjacent lines, whatever groups work.
/// </remarks>
internal struct GroupWork
{
    /// <summary>A packet of the step: its slot (in <see cref="MacroGroup.SourceTiles"/> or <see cref="MacroGroup.TargetTiles"/>) and
    /// flits. Eight bytes, eight to a cache line: the timing reads nothing else of it (its bits are counted at the capture,
    /// <see cref="StepTraffic"/>; a spike packet's row-address reads, where the node has a table, come from <see cref="NodeWork.Spikes"/>).
    /// </summary>
    public struct Packet
    {
        public int Slot, Flits;
    }

    /// <summary>A macro's reads of the step: its index (<see cref="MacroRuntime.Index"/>: each timing engine has its unit) and its row-group reads.</summary>
    public struct Read
    {
        public int Macro, Reads;
    }

    /// <summary>The group's <see cref="MacroGroup.Index"/> (set each step: the node's k-th group with reads takes the k-th record).</summary>
    public int Index;

    /// <summary>The group's macros with reads this step are <see cref="NodeWork.Active"/>[<see cref="ActiveStart"/> ..], in the order they worked.</summary>
    public int ActiveStart, ActiveCount;

    /// <summary>
    /// The inbound packets (spikes) are <see cref="NodeWork.Packets"/>[<see cref="InStart"/> ..], by source slot ascending
    /// (the order they are sent in); the outbound (partial sums) <see cref="NodeWork.Packets"/>[<see cref="OutStart"/> ..],
    /// by target slot ascending.
    /// </summary>
    public int InStart, InCount, OutStart, OutCount;

    /// <summary>Row-group reads of the step, all its macros'.</summary>
    public long Reads;

    /// <summary>
    /// The bytes a node's records of a step take for its groups: their records, reads, packets and spikes (an estimate of the
    /// runtime's layout, and an upper bound: 12 bytes a packet, its 8 and the 4 of its spike count, which only a node with a
    /// row-address table keeps).
    /// </summary>
    public static long Bytes(IReadOnlyList<MacroGroup> groups) =>
        groups.Sum(g => 40L + 8L * g.Macros.Length + 12L * (g.SourceTiles.Length + g.TargetTiles.Length)) + (groups.Count > 0 ? 4 * 24L : 0);
}
