namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// A sink that keeps every event in memory and builds an <see cref="EventStream"/>: what runs
/// and tests use when a recording is small enough to hold (the readers themselves stream).
/// </summary>
/// <param name="fromFirstEvent">
/// Shift times so the first event is at 0 when the format's clock has no meaningful origin
/// (<see cref="RecordingInfo.TimesFromFirstEvent"/>); false keeps them as recorded.
/// </param>
public sealed class EventCollector(bool fromFirstEvent = true) : IEventSink
{
    private readonly List<DvsEvent> _events = [];
    private RecordingInfo? _info;
    private long _shift = -1;

    /// <summary>The header the reader reported (null before <see cref="Begin"/>).</summary>
    public RecordingInfo? Info => _info;

    /// <inheritdoc/>
    public void Begin(RecordingInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        _info = info;
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<DvsEvent> events)
    {
        if (events.IsEmpty)
        {
            return;
        }

        if (_shift < 0)
        {
            _shift = fromFirstEvent && _info is { TimesFromFirstEvent: true } ? events[0].TimeUs : 0;
        }

        _events.EnsureCapacity(_events.Count + events.Length);
        foreach (DvsEvent e in events)
        {
            _events.Add(_shift == 0 ? e : e with { TimeUs = e.TimeUs - _shift });
        }
    }

    /// <summary>The events collected, on the reported sensor.</summary>
    /// <returns>The stream.</returns>
    /// <exception cref="InvalidOperationException">No reader has called <see cref="Begin"/>.</exception>
    public EventStream ToStream()
    {
        RecordingInfo info = _info ?? throw new InvalidOperationException("no recording was read");
        return new EventStream(info.Width, info.Height, _events);
    }
}
