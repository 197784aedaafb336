namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The counters behind <see cref="UnitStatistics"/>, as a struct a component can keep inline in its
/// own records (a macro keeps one, the NoC one per link for the packets that wait for it).
/// </summary>
internal struct QueueCounters
{
    public long LastChange, Area, Busy, Arrivals, Wait, Queued;
    public int Length, MaxLength;

    /// <summary><paramref name="items"/> items join the queue at <paramref name="now"/>.</summary>
    public void Enqueue(long now, int items)
    {
        Advance(now);
        Length += items;
        Arrivals += items;
        Queued += items;
        if (Length > MaxLength) MaxLength = Length;
    }

    /// <summary>An item that joined at <paramref name="enqueued"/> leaves the queue at <paramref name="now"/>.</summary>
    public void Dequeue(long now, long enqueued)
    {
        Advance(now);
        Length--;
        Wait += now - enqueued;
    }

    /// <summary>
    /// Adds counters kept elsewhere over a stretch of time the queue was empty before and after (another engine's step,
    /// <see cref="TimingEngine"/>): sums add, the longest queue is the longer. The length and the integral's last change
    /// stay: with an empty queue on both sides, the integral is the same wherever its stretches were integrated.
    /// </summary>
    public void Add(in QueueCounters other)
    {
        Area += other.Area;
        Busy += other.Busy;
        Arrivals += other.Arrivals;
        Wait += other.Wait;
        Queued += other.Queued;
        if (other.MaxLength > MaxLength) MaxLength = other.MaxLength;
    }

    /// <summary>Integrates the queue length up to <paramref name="now"/>.</summary>
    public void Advance(long now)
    {
        if (now <= LastChange) return;
        Area += Length * (now - LastChange);
        LastChange = now;
    }
}
