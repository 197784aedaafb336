namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One macro group's work of one step, assembled when the step is captured (none of it depends on
/// time): the group's macros with reads, and its packets: one per source tile carrying the macros'
/// spikes (inbound) and one per target tile carrying their partial sums (outbound), each macro's
/// payload in flits of its own. The timing pass only sends them.
/// </summary>
internal sealed class GroupWork(MacroGroup group)
{
    /// <summary>The group.</summary>
    public MacroGroup Group { get; } = group;

    /// <summary>The group's macros with reads this step, in the order they worked.</summary>
    public readonly MacroWork[] Active = new MacroWork[group.Macros.Length];

    /// <summary>How many of <see cref="Active"/> are this step's.</summary>
    public int ActiveCount;

    /// <summary>Per slot of <see cref="MacroGroup.SourceTiles"/>: the inbound packet's flits and bits (0: no packet).</summary>
    public readonly int[] InFlits = new int[group.SourceTiles.Length];

    /// <inheritdoc cref="InFlits"/>
    public readonly long[] InBits = new long[group.SourceTiles.Length];

    /// <summary>The slots with an inbound packet, ascending (the order they are sent in).</summary>
    public readonly int[] InSlots = new int[group.SourceTiles.Length];

    /// <summary>How many of <see cref="InSlots"/> are this step's.</summary>
    public int InCount;

    /// <summary>Per slot of <see cref="MacroGroup.TargetTiles"/>: the outbound packet's flits and bits (0: no packet).</summary>
    public readonly int[] OutFlits = new int[group.TargetTiles.Length];

    /// <inheritdoc cref="OutFlits"/>
    public readonly long[] OutBits = new long[group.TargetTiles.Length];

    /// <summary>The slots with an outbound packet, ascending (the order they are sent in).</summary>
    public readonly int[] OutSlots = new int[group.TargetTiles.Length];

    /// <summary>How many of <see cref="OutSlots"/> are this step's.</summary>
    public int OutCount;

    /// <summary>Empties the record for another step (only the slots it used are non-zero).</summary>
    public void Clear()
    {
        for (var k = 0; k < InCount; k++) (InFlits[InSlots[k]], InBits[InSlots[k]]) = (0, 0);
        for (var k = 0; k < OutCount; k++) (OutFlits[OutSlots[k]], OutBits[OutSlots[k]]) = (0, 0);
        (ActiveCount, InCount, OutCount) = (0, 0, 0);
    }

    /// <summary>Lists the slots with packets, ascending, once every active macro's payloads are in.</summary>
    public void ListSlots()
    {
        var n = 0;
        for (var slot = 0; slot < InFlits.Length; slot++) if (InFlits[slot] > 0) InSlots[n++] = slot;
        InCount = n;
        n = 0;
        for (var slot = 0; slot < OutFlits.Length; slot++) if (OutFlits[slot] > 0) OutSlots[n++] = slot;
        OutCount = n;
    }
}
