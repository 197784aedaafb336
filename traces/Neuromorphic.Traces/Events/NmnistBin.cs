namespace Neuromorphic.Traces.Events;

/// <summary>
/// Reads and writes the N-MNIST / N-Caltech101 <c>.bin</c> event format (Orchard et al. 2015,
/// recorded with an ATIS sensor).
/// </summary>
/// <remarks>
/// <para>
/// Layout: no header; a sequence of 5-byte events. Byte 0 is x, byte 1 is y, the top bit of
/// byte 2 is the polarity (1 = ON), and the timestamp in microseconds is the 23-bit value
/// <c>(b2 &amp; 0x7F) &lt;&lt; 16 | b3 &lt;&lt; 8 | b4</c>. An event with y = 240 is not a
/// pixel event but a timestamp-overflow marker: every later timestamp is increased by
/// <see cref="TimestampSpanUs"/> (2^23 µs) and the marker itself is dropped. The x, polarity
/// and timestamp bits of a marker are ignored.
/// </para>
/// <para>
/// Malformed files raise <see cref="InputFormatException"/> with the byte offset of the event
/// at fault: a file whose length is not a multiple of 5 (<c>truncated event (K of 5 bytes)</c>
/// at the offset of the incomplete event), a coordinate outside the sensor, or a timestamp
/// earlier than its predecessor's without an overflow marker in between.
/// </para>
/// </remarks>
public static class NmnistBin
{
    /// <summary>Bytes per event (and per overflow marker).</summary>
    public const int EventSize = 5;

    /// <summary>N-MNIST sensor width in pixels (the saccade-recorded digits are 34 x 34).</summary>
    public const int DefaultSensorWidth = 34;

    /// <summary>N-MNIST sensor height in pixels.</summary>
    public const int DefaultSensorHeight = 34;

    /// <summary>The y value that marks an event as a timestamp-overflow marker.</summary>
    public const byte OverflowMarkerY = 240;

    /// <summary>
    /// Time added to every later timestamp by an overflow marker: 2^23 µs (about 8.4 s), the
    /// span of the 23-bit timestamp field.
    /// </summary>
    /// <remarks>
    /// REFERENCE.md says 2^13, and so do the widely copied Python loaders (tonic's
    /// <c>read_mnist_file</c>, gorchard's <c>eventvision.py</c>: <c>time_increment = 2**13</c>).
    /// That cannot be right for this format: the field holds 23 bits and the recordings use
    /// them (N-MNIST timestamps run to about 300 000 µs, far past 2^13 = 8192, with no marker),
    /// so the counter wraps only after 2^23 - 1. Adding 2^13 after such a wrap would place
    /// every later event about 8.38 s before the events preceding the marker. Real N-MNIST
    /// clips last about 0.3 s and contain no markers, so the choice does not change how the
    /// published dataset decodes; it matters for long recordings and for files this writer
    /// produces, which the 2^13 loaders would misread beyond 2^23 µs.
    /// </remarks>
    public const long TimestampSpanUs = 1L << 23;

    /// <summary>Events per I/O chunk; the buffer holds whole events so none straddles two reads.</summary>
    private const int ChunkEvents = 13107;

    /// <summary>Reads an N-MNIST <c>.bin</c> file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="sensorWidth">Sensor width in pixels; every x must be smaller.</param>
    /// <param name="sensorHeight">Sensor height in pixels; every y (other than markers) must be smaller.</param>
    /// <returns>The events, overflow markers removed and timestamps unwrapped.</returns>
    /// <exception cref="InputFormatException">The file is truncated or holds an invalid event.</exception>
    public static EventStream Read(string path, int sensorWidth = DefaultSensorWidth, int sensorHeight = DefaultSensorHeight)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // The reader does its own chunking, so the FileStream buffer would only add a copy.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, sensorWidth, sensorHeight);
    }

    /// <summary>Reads N-MNIST events from a stream, from its current position to its end.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sensorWidth">Sensor width in pixels; every x must be smaller.</param>
    /// <param name="sensorHeight">Sensor height in pixels; every y (other than markers) must be smaller.</param>
    /// <returns>The events, overflow markers removed and timestamps unwrapped.</returns>
    /// <exception cref="InputFormatException">The data is truncated or holds an invalid event.</exception>
    public static EventStream Read(Stream stream, string fileName, int sensorWidth = DefaultSensorWidth, int sensorHeight = DefaultSensorHeight)
    {
        var collector = new Streaming.EventCollector();
        Read(stream, fileName, collector, sensorWidth, sensorHeight);
        return collector.ToStream();
    }

    /// <summary>Streams N-MNIST events to a sink, one 64 KiB chunk at a time.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the sensor size and the events.</param>
    /// <param name="sensorWidth">Sensor width in pixels; every x must be smaller.</param>
    /// <param name="sensorHeight">Sensor height in pixels; every y (other than markers) must be smaller.</param>
    /// <exception cref="InputFormatException">The data is truncated or holds an invalid event.</exception>
    public static void Read(Stream stream, string fileName, Streaming.IEventSink sink, int sensorWidth = DefaultSensorWidth, int sensorHeight = DefaultSensorHeight)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(sensorWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sensorHeight, 1);

        sink.Begin(new Streaming.RecordingInfo(Formats.EventFile.DisplayName(Formats.EventFileFormat.NmnistBin), sensorWidth, sensorHeight, TimesFromFirstEvent: false));
        var events = new Streaming.EventBatch(sink);
        var buffer = new byte[ChunkEvents * EventSize];
        long chunkStart = 0;  // byte offset of buffer[0] in the stream
        long overflowUs = 0;  // sum of the markers seen so far
        long previousUs = long.MinValue;

        while (true)
        {
            // ReadAtLeast returns less than asked for only at the end of the stream, so every
            // chunk but the last is a whole number of events.
            int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            int whole = length - length % EventSize;
            for (int i = 0; i < whole; i += EventSize)
            {
                byte x = buffer[i];
                byte y = buffer[i + 1];
                if (y == OverflowMarkerY)
                {
                    overflowUs += TimestampSpanUs;
                    continue;
                }

                byte b2 = buffer[i + 2];
                long timeUs = overflowUs + ((b2 & 0x7F) << 16 | buffer[i + 3] << 8 | buffer[i + 4]);
                if (x >= sensorWidth || y >= sensorHeight || timeUs < previousUs)
                {
                    throw BadEvent(fileName, chunkStart + i, x, y, timeUs, previousUs, sensorWidth, sensorHeight);
                }

                events.Add(new DvsEvent(x, y, (byte)(b2 >> 7), timeUs));
                previousUs = timeUs;
            }

            if (whole != length)
            {
                throw new InputFormatException(
                    fileName, $"byte {chunkStart + whole}", $"truncated event ({length - whole} of {EventSize} bytes)");
            }

            if (length < buffer.Length)
            {
                break;
            }

            chunkStart += length;
        }

        events.Flush();
    }

    /// <summary>
    /// Writes events to an N-MNIST <c>.bin</c> file atomically (see <see cref="AtomicFile"/>).
    /// See <see cref="Write(Stream, EventStream)"/> for the encoding and its limits.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="events">The events.</param>
    /// <exception cref="ArgumentException">An event cannot be represented (see <see cref="Write(Stream, EventStream)"/>).</exception>
    public static void Write(string path, EventStream events)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(events);
        AtomicFile.Write(path, stream => Write(stream, events));
    }

    /// <summary>
    /// Writes events in the N-MNIST <c>.bin</c> format. Before an event whose time is at or
    /// beyond the next multiple of 2^23 µs, one overflow marker (x 0, y 240, time bits 0) is
    /// written per multiple crossed, so reading the output gives back exactly the same events.
    /// </summary>
    /// <param name="stream">The destination; it is not disposed.</param>
    /// <param name="events">
    /// The events; x and y must be below 256, y must not be 240 (reserved for markers) and
    /// times must not be negative. The sensor size is not stored.
    /// </param>
    /// <exception cref="ArgumentException">An event cannot be represented.</exception>
    public static void Write(Stream stream, EventStream events)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        new Conversion.NmnistBinWriter(stream).WriteAll(events);
    }

    private static InputFormatException BadEvent(
        string fileName, long offset, byte x, byte y, long timeUs, long previousUs, int width, int height)
    {
        string problem = x >= width
            ? $"x = {x} is outside the {width} x {height} sensor"
            : y >= height
                ? $"y = {y} is outside the {width} x {height} sensor"
                : $"timestamp {timeUs} us is earlier than the previous event's {previousUs} us without an overflow marker";
        return new InputFormatException(fileName, $"byte {offset}", problem);
    }
}
