namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Utilisation of one hardware unit over a run: busy cycles, and its queue's occupancy integrated
/// over time (so mean occupancy = area / elapsed cycles, and by Little's law the mean wait of an
/// item = area / arrivals).
/// </summary>
/// <remarks>
/// Updated on every queueing event of the chip's units, so kept to plain fields and integer
/// arithmetic (<see cref="QueueCounters"/>): the area is an exact integer sum (queue length x cycles), read as a double.
/// </remarks>
public sealed class UnitStatistics(string name, string kind)
{
    private QueueCounters _counters;

    /// <summary>A unit's statistics taken from counters kept elsewhere (e.g. inside the NoC's link records).</summary>
    internal UnitStatistics(string name, string kind, in QueueCounters counters) : this(name, kind) => _counters = counters;

    /// <summary>Instance path, e.g. <c>tile0.macro1</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Component class (<c>macro</c>, <c>neuron_core</c>, <c>noc_link</c>).</summary>
    public string Kind { get; } = kind;

    /// <summary>Cycles the unit was working.</summary>
    public long BusyCycles => _counters.Busy;

    /// <summary>Items that entered the queue.</summary>
    public long Arrivals => _counters.Arrivals;

    /// <summary>
    /// Items that joined the queue (<see cref="Enqueue(long, int)"/>). Less than <see cref="Arrivals"/> for a NoC link:
    /// a packet that finds its link free crosses at once and counts as an arrival only.
    /// </summary>
    public long QueuedArrivals => _counters.Queued;

    /// <summary>Queue length integrated over cycles.</summary>
    public double QueueArea => _counters.Area;

    /// <summary>Items waiting now.</summary>
    public int QueueLength => _counters.Length;

    /// <summary>Longest queue seen.</summary>
    public int MaxQueueLength => _counters.MaxLength;

    /// <summary>
    /// Cycles items spent waiting, summed. Units that record each item's arrival and departure (the NoC's links, the
    /// neuron cores) measure it per item, independently of <see cref="QueueArea"/>, so Little's law (area = summed
    /// waits once the queue is empty) checks one against the other. A macro does not: it sets its area to its
    /// summed waits (<see cref="MacroUnit.Close"/>), so for a macro the two agree by construction.
    /// </summary>
    public long WaitCycles => _counters.Wait;

    /// <summary>An item joins the queue at <paramref name="now"/>.</summary>
    public void Enqueue(long now) => _counters.Enqueue(now, 1);

    /// <summary><paramref name="items"/> items join the queue at <paramref name="now"/> (as many calls of <see cref="Enqueue(long)"/>).</summary>
    public void Enqueue(long now, int items) => _counters.Enqueue(now, items);

    /// <summary>An item that joined at <paramref name="enqueued"/> leaves the queue at <paramref name="now"/>.</summary>
    public void Dequeue(long now, long enqueued) => _counters.Dequeue(now, enqueued);

    /// <summary>The unit works for <paramref name="cycles"/>.</summary>
    public void Busy(long cycles) => _counters.Busy += cycles;

    /// <summary>Takes a unit's counters kept elsewhere (a unit that keeps its own, e.g. a macro's), replacing these.</summary>
    internal void Load(in QueueCounters counters) => _counters = counters;

    /// <summary>Hands the counters over and starts again from zero (an engine that times steps for another: <see cref="TimingEngine"/>).</summary>
    internal QueueCounters Take()
    {
        var counters = _counters;
        _counters = default;
        return counters;
    }

    /// <summary>Adds counters of a step timed elsewhere (<see cref="QueueCounters.Add"/>).</summary>
    internal void Merge(in QueueCounters counters) => _counters.Add(in counters);

    /// <summary>Closes the integral at <paramref name="now"/> (the end of the run).</summary>
    public void Close(long now) => _counters.Advance(now);
}
