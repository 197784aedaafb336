namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// Receives the events of a recording as a reader decodes them, a buffer at a time, so that a
/// recording of any length can be inspected, converted or collected in constant memory.
/// </summary>
/// <remarks>
/// A reader calls <see cref="Begin"/> once, before any event, then <see cref="Write"/> with
/// consecutive runs of events in file order. The span passed to <see cref="Write"/> is only
/// valid during the call (the reader reuses its buffer).
/// </remarks>
public interface IEventSink
{
    /// <summary>Called once, before the first event, with what the header says.</summary>
    /// <param name="info">Format and sensor size.</param>
    void Begin(RecordingInfo info);

    /// <summary>Called with the next events, times as recorded (see <see cref="RecordingInfo"/>).</summary>
    /// <param name="events">The events; valid only during the call.</param>
    void Write(ReadOnlySpan<DvsEvent> events);
}
