using System.Runtime.InteropServices;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// Writes events to a stream in one file format as they arrive, holding one buffer at a time:
/// the output side of <c>convert events</c>. Call <see cref="IEventSink.Begin"/>, then
/// <see cref="IEventSink.Write"/> any number of times, then <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// An event the format cannot represent raises <see cref="ArgumentException"/> naming its index
/// (counted from the first event written) and the limit.
/// </remarks>
public abstract class EventWriter : IEventSink
{
    /// <summary>Creates a writer over a stream (which it does not dispose).</summary>
    /// <param name="stream">The destination.</param>
    protected EventWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
    }

    /// <summary>The destination.</summary>
    protected Stream Stream { get; }

    /// <summary>Events written so far (the index of the next one).</summary>
    public long Written { get; protected set; }

    /// <summary>The sensor size given to <see cref="Begin"/>.</summary>
    protected RecordingInfo Info { get; private set; } = new("", 1, 1, false);

    /// <inheritdoc/>
    public void Begin(RecordingInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
        WriteHeader();
    }

    /// <inheritdoc/>
    public abstract void Write(ReadOnlySpan<DvsEvent> events);

    /// <summary>Finishes the file (flushes buffers, patches counts into the header).</summary>
    public virtual void Complete()
    {
    }

    /// <summary>Writes whatever precedes the events; <see cref="Info"/> is set.</summary>
    protected abstract void WriteHeader();

    /// <summary>Writes a whole in-memory stream: begin, every event, complete.</summary>
    /// <param name="events">The events.</param>
    /// <param name="format">The format name reported to <see cref="Begin"/>.</param>
    public void WriteAll(EventStream events, string format = "")
    {
        ArgumentNullException.ThrowIfNull(events);
        Begin(new RecordingInfo(format, events.Width, events.Height, false));
        switch (events.Events)
        {
            case DvsEvent[] array:
                Write(array);
                break;
            case List<DvsEvent> list:
                Write(CollectionsMarshal.AsSpan(list));
                break;
            default:
                var buffer = new DvsEvent[EventBatch.Capacity];
                int n = 0;
                foreach (DvsEvent e in events.Events)
                {
                    buffer[n++] = e;
                    if (n == buffer.Length)
                    {
                        Write(buffer);
                        n = 0;
                    }
                }

                Write(buffer.AsSpan(0, n));
                break;
        }

        Complete();
    }
}
