namespace Neuromorphic.Arch.Execution;

/// <summary>One unit's counters of one step: which unit (<see cref="TimingEngine"/>'s numbering), its queue counters, and one more count.</summary>
internal struct UnitDelta
{
    /// <summary>The unit: a macro, a neuron core, a NoC link or a node, numbered as <see cref="PackTotals"/> and <see cref="TimingEngine.Merge"/> read them.</summary>
    public int Unit;

    /// <summary>Its queue counters (a node's: its busy cycles only).</summary>
    public QueueCounters Counters;

    /// <summary>A macro's reads, a link's packets that passed straight through, a node's row-group reads.</summary>
    public long Extra;
}
