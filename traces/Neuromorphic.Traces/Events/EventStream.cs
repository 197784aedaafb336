namespace Neuromorphic.Traces.Events;

/// <summary>
/// A recording of an event camera (or an emulation of one): events in time order and the sensor
/// size. Plain data, read once from a file (N-MNIST <c>.bin</c>, CSV, AEDAT, ...) or generated.
/// </summary>
public sealed class EventStream
{
    /// <summary>Creates a stream; events must be within the sensor and in non-decreasing time order.</summary>
    /// <exception cref="ArgumentException">If an event lies outside the sensor or time goes backwards.</exception>
    public EventStream(int width, int height, IReadOnlyList<DvsEvent> events)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"sensor size must be positive, found {width} x {height}");
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.X >= width || e.Y >= height) throw new ArgumentException($"event {i} at ({e.X}, {e.Y}) lies outside the {width} x {height} sensor");
            if (e.Polarity > 1) throw new ArgumentException($"event {i} has polarity {e.Polarity}; expected 0 or 1");
            if (i > 0 && e.TimeUs < events[i - 1].TimeUs) throw new ArgumentException($"event {i} at {e.TimeUs} us comes before its predecessor at {events[i - 1].TimeUs} us");
        }
        Width = width;
        Height = height;
        Events = events;
    }

    /// <summary>Sensor width in pixels.</summary>
    public int Width { get; }

    /// <summary>Sensor height in pixels.</summary>
    public int Height { get; }

    /// <summary>The events, in time order.</summary>
    public IReadOnlyList<DvsEvent> Events { get; }

    /// <summary>Time of the last event (0 if empty).</summary>
    public long DurationUs => Events.Count == 0 ? 0 : Events[^1].TimeUs;
}
