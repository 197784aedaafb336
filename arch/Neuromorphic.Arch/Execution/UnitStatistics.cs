namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Utilisation of one hardware unit over a run: busy cycles, and its queue's occupancy integrated
/// over time (so mean occupancy = area / elapsed cycles, and by Little's law the mean wait of an
/// item = area / arrivals).
/// </summary>
public sealed class UnitStatistics(string name, string kind)
{
    private long _lastChange;

    /// <summary>Instance path, e.g. <c>tile0.macro1</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Component class (<c>macro</c>, <c>neuron_core</c>, <c>noc_link</c>).</summary>
    public string Kind { get; } = kind;

    /// <summary>Cycles the unit was working.</summary>
    public long BusyCycles { get; private set; }

    /// <summary>Items that entered the queue.</summary>
    public long Arrivals { get; private set; }

    /// <summary>Queue length integrated over cycles.</summary>
    public double QueueArea { get; private set; }

    /// <summary>Items waiting now.</summary>
    public int QueueLength { get; private set; }

    /// <summary>Longest queue seen.</summary>
    public int MaxQueueLength { get; private set; }

    /// <summary>Cycles items spent waiting, summed (measured per item, independently of the area).</summary>
    public long WaitCycles { get; private set; }

    /// <summary>An item joins the queue at <paramref name="now"/>.</summary>
    public void Enqueue(long now)
    {
        Advance(now);
        QueueLength++;
        Arrivals++;
        if (QueueLength > MaxQueueLength) MaxQueueLength = QueueLength;
    }

    /// <summary>An item that joined at <paramref name="enqueued"/> leaves the queue at <paramref name="now"/>.</summary>
    public void Dequeue(long now, long enqueued)
    {
        Advance(now);
        QueueLength--;
        WaitCycles += now - enqueued;
    }

    /// <summary>The unit works for <paramref name="cycles"/>.</summary>
    public void Busy(long cycles) => BusyCycles += cycles;

    private void Advance(long now)
    {
        if (now > _lastChange) QueueArea += (double)QueueLength * (now - _lastChange);
        _lastChange = Math.Max(_lastChange, now);
    }

    /// <summary>Closes the integral at <paramref name="now"/> (the end of the run).</summary>
    public void Close(long now) => Advance(now);
}
