namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One macro group's work of one step, assembled when the step is captured (none of it depends on
/// time): the group's macros with reads, and its packets: one per source tile carrying the macros'
/// spikes (inbound) and one per target tile carrying their partial sums (outbound), each macro's
/// payload in flits of its own. The timing pass only sends them and queues the reads. Kept to a few
/// flat arrays of structs, made right after the object, so the timing (on another thread than the capture,
/// with two threads) reads a group's step in a few adjacent cache lines and nothing the function pass writes
/// elsewhere.
/// </summary>
internal sealed class GroupWork(MacroGroup group)
{
    /// <summary>A packet of the step: its slot (in <see cref="MacroGroup.SourceTiles"/> or <see cref="MacroGroup.TargetTiles"/>), flits and bits.</summary>
    public struct Packet
    {
        public int Slot, Flits;
        public long Bits;
    }

    /// <summary>A macro's reads of the step: its timing unit, its index (<see cref="MacroRuntime.Index"/>) and its row-group reads.</summary>
    public struct Read
    {
        public MacroUnit Timing;
        public int Macro, Reads;
    }

    /// <summary>The group.</summary>
    public MacroGroup Group { get; } = group;

    /// <summary>The group's <see cref="MacroGroup.Index"/>, kept here: the capture reads it, and the kernel writes the group's object.</summary>
    public readonly int Index = group.Index;

    /// <summary>The group's macros with reads this step, in the order they worked.</summary>
    public readonly Read[] Active = new Read[group.Macros.Length];

    /// <summary>How many of <see cref="Active"/> are this step's.</summary>
    public int ActiveCount;

    /// <summary>Row-group reads of the step, all its macros'.</summary>
    public long Reads;

    /// <summary>The inbound packets (spikes), by source slot ascending (the order they are sent in).</summary>
    public readonly Packet[] In = new Packet[group.SourceTiles.Length];

    /// <summary>How many of <see cref="In"/> are this step's.</summary>
    public int InCount;

    /// <summary>The outbound packets (partial sums), by target slot ascending (the order they are sent in).</summary>
    public readonly Packet[] Out = new Packet[group.TargetTiles.Length];

    /// <summary>How many of <see cref="Out"/> are this step's.</summary>
    public int OutCount;

    /// <summary>The bytes a record of <paramref name="group"/> takes, its arrays included (an estimate of the runtime's layout).</summary>
    public static long Bytes(MacroGroup group) =>
        72L + 24L + 16L * group.Macros.Length + 2 * 24L + 16L * (group.SourceTiles.Length + group.TargetTiles.Length);
}
