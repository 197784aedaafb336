namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// A reader's output buffer: events are appended one by one and handed to the sink in runs of
/// up to <see cref="Capacity"/>, so decoding loops neither allocate nor call the sink per event.
/// </summary>
internal sealed class EventBatch(IEventSink sink)
{
    /// <summary>Events per hand-over.</summary>
    public const int Capacity = 8192;

    private readonly DvsEvent[] _events = new DvsEvent[Capacity];
    private int _count;

    /// <summary>Events handed over or buffered so far.</summary>
    public long Total { get; private set; }

    /// <summary>Appends one event, handing the buffer over when it is full.</summary>
    public void Add(DvsEvent e)
    {
        if (_count == _events.Length)
        {
            Flush();
        }

        _events[_count++] = e;
        Total++;
    }

    /// <summary>Hands the buffered events to the sink.</summary>
    public void Flush()
    {
        if (_count > 0)
        {
            sink.Write(_events.AsSpan(0, _count));
            _count = 0;
        }
    }
}
