namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Utilisation of one hardware unit over a run: busy cycles, and its queue's occupancy integrated
/// over time (so mean occupancy = area / elapsed cycles, and by Little's law the mean wait of an
/// item = area / arrivals).
/// </summary>
/// <remarks>
/// Updated on every queueing event of the chip's units, so kept to plain fields and integer
/// arithmetic: the area is an exact integer sum (queue length x cycles), read as a double.
/// </remarks>
public sealed class UnitStatistics(string name, string kind)
{
    private long _lastChange, _area, _busy, _arrivals, _wait;
    private int _length, _maxLength;

    /// <summary>Instance path, e.g. <c>tile0.macro1</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Component class (<c>macro</c>, <c>neuron_core</c>, <c>noc_link</c>).</summary>
    public string Kind { get; } = kind;

    /// <summary>Cycles the unit was working.</summary>
    public long BusyCycles => _busy;

    /// <summary>Items that entered the queue.</summary>
    public long Arrivals => _arrivals;

    /// <summary>Queue length integrated over cycles.</summary>
    public double QueueArea => _area;

    /// <summary>Items waiting now.</summary>
    public int QueueLength => _length;

    /// <summary>Longest queue seen.</summary>
    public int MaxQueueLength => _maxLength;

    /// <summary>Cycles items spent waiting, summed (measured per item, independently of the area).</summary>
    public long WaitCycles => _wait;

    /// <summary>An item joins the queue at <paramref name="now"/>.</summary>
    public void Enqueue(long now) => Enqueue(now, 1);

    /// <summary><paramref name="items"/> items join the queue at <paramref name="now"/> (as many calls of <see cref="Enqueue(long)"/>).</summary>
    public void Enqueue(long now, int items)
    {
        Advance(now);
        _length += items;
        _arrivals += items;
        if (_length > _maxLength) _maxLength = _length;
    }

    /// <summary>An item that joined at <paramref name="enqueued"/> leaves the queue at <paramref name="now"/>.</summary>
    public void Dequeue(long now, long enqueued)
    {
        Advance(now);
        _length--;
        _wait += now - enqueued;
    }

    /// <summary>An item joins the queue and leaves it at once at <paramref name="now"/> (<see cref="Enqueue(long)"/> then <see cref="Dequeue"/>: it counts, it does not wait).</summary>
    public void PassThrough(long now)
    {
        Advance(now);
        _arrivals++;
        if (_length + 1 > _maxLength) _maxLength = _length + 1;
    }

    /// <summary>The unit works for <paramref name="cycles"/>.</summary>
    public void Busy(long cycles) => _busy += cycles;

    private void Advance(long now)
    {
        if (now <= _lastChange) return;
        _area += _length * (now - _lastChange);
        _lastChange = now;
    }

    /// <summary>Closes the integral at <paramref name="now"/> (the end of the run).</summary>
    public void Close(long now) => Advance(now);
}
