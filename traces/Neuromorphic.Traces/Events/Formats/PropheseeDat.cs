using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads and writes Prophesee <c>.dat</c> files of CD (change-detection) events, as used by the
/// Prophesee GEN1 and 1 Mpx automotive datasets and their toolbox (<c>dat_events_tools.py</c>).
/// </summary>
/// <remarks>
/// <para>
/// Layout: text header lines, each starting with <c>%</c> followed by a space (or ending right
/// after the <c>%</c>) and ending in <c>\n</c>; then two bytes, the event type and the event size
/// (which must be 8); then 8-byte little-endian events: u32 t (µs) and u32 w with
/// x = w &amp; 0x3FFF, y = (w &gt;&gt; 14) &amp; 0x3FFF, polarity = w &gt;&gt; 28 (1 = ON). A w with
/// any of bits 29-31 set is rejected (its polarity would not be 0 or 1). The event type byte is
/// not checked (the toolbox writes 0). Files without header lines (very old recordings, which the
/// toolbox reads without the two type and size bytes) are not accepted: the missing header
/// is reported at byte 0.
/// </para>
/// <para>
/// Sensor size: the caller's, else the header's <c>% Width W</c> and <c>% Height H</c> lines (as
/// the toolbox writes them), <c>% geometry WxH</c>, or <c>width=W</c>/<c>height=H</c> in a
/// <c>% format</c> line; without any of them reading fails.
/// </para>
/// <para>
/// Time: unlike the AEDAT readers, times are kept as recorded (not shifted to start at 0):
/// they count from the start of the recording, and the datasets' bounding-box labels refer to
/// them. The 32-bit counter wraps after 2^32 µs: a timestamp smaller than its predecessor's by
/// more than 2^31 µs adds 2^32 µs, a smaller drop is an error.
/// </para>
/// <para>
/// Errors raise <see cref="InputFormatException"/> with a byte offset: a missing header (byte 0),
/// a missing type and size pair or an event size other than 8 (the offset of the pair), a
/// truncated event (the offset of the incomplete event), a coordinate outside the sensor, a bad
/// polarity or a step back in time (the offset of the event).
/// </para>
/// </remarks>
public static class PropheseeDat
{
    /// <summary>Bytes per CD event.</summary>
    public const int EventSize = 8;

    /// <summary>The event type byte the writer emits (the toolbox's Event2D type).</summary>
    public const byte CdEventType = 0;

    /// <summary>Largest coordinate the 14-bit fields hold.</summary>
    public const int MaxCoordinate = 0x3FFF;

    private const int ChunkEvents = 8192;

    /// <summary>Reads a Prophesee <c>.dat</c> file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>The events, times as recorded.</returns>
    /// <exception cref="InputFormatException">The file is malformed or its sensor size unknown.</exception>
    public static EventStream Read(string path, int width = 0, int height = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, width, height);
    }

    /// <summary>Reads Prophesee <c>.dat</c> data from a stream, from its current position to its end.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>The events, times as recorded.</returns>
    /// <exception cref="InputFormatException">The data is malformed or its sensor size unknown.</exception>
    public static EventStream Read(Stream stream, string fileName, int width = 0, int height = 0)
    {
        var collector = new EventCollector();
        Read(stream, fileName, collector, width, height);
        return collector.ToStream();
    }

    /// <summary>Streams the CD events of Prophesee <c>.dat</c> data to a sink, one 64 KiB chunk at a time.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the sensor size and the events, times as recorded.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <exception cref="InputFormatException">The data is malformed or its sensor size unknown.</exception>
    public static void Read(Stream stream, string fileName, IEventSink sink, int width = 0, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);

        var reader = new FormatReader(stream);
        (int headerWidth, int headerHeight) = ReadHeader(reader, fileName);
        width = width > 0 ? width : headerWidth;
        height = height > 0 ? height : headerHeight;
        if (width == 0 || height == 0)
        {
            throw new InputFormatException(
                fileName, "header", "sensor size unknown: no '% Width'/'% Height' or '% geometry' line; pass the width and height");
        }

        long typeAt = reader.Position;
        Span<byte> typeAndSize = stackalloc byte[2];
        int got = reader.Read(typeAndSize);
        if (got < 2)
        {
            throw new InputFormatException(fileName, $"byte {typeAt}", $"truncated: the event type and size bytes after the header are missing ({got} of 2 bytes)");
        }

        if (typeAndSize[1] != EventSize)
        {
            throw new InputFormatException(
                fileName, $"byte {typeAt + 1}",
                $"event size mismatch: the header declares {typeAndSize[1]}-byte events (type {typeAndSize[0]}); CD events have {EventSize}");
        }

        sink.Begin(new RecordingInfo(EventFile.DisplayName(EventFileFormat.PropheseeDat), width, height, TimesFromFirstEvent: false));
        var events = new EventBatch(sink);
        var buffer = new byte[ChunkEvents * EventSize];
        var clock = new Timestamp32();
        while (true)
        {
            long chunkStart = reader.Position;
            int length = reader.Read(buffer);
            int whole = length - length % EventSize;
            for (int i = 0; i < whole; i += EventSize)
            {
                uint stamp = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i));
                uint w = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i + 4));
                int x = (int)(w & MaxCoordinate);
                int y = (int)(w >> 14) & MaxCoordinate;
                uint polarity = w >> 28;
                string? problem =
                    x >= width ? $"x = {x} is outside the {width} x {height} sensor"
                    : y >= height ? $"y = {y} is outside the {width} x {height} sensor"
                    : polarity > 1 ? $"polarity field w >> 28 = {polarity} is not 0 or 1 (w = 0x{w:X8})"
                    : null;
                if (problem is not null)
                {
                    throw new InputFormatException(fileName, $"byte {chunkStart + i}", problem);
                }

                if (!clock.TryNext(stamp, out long timeUs))
                {
                    throw new InputFormatException(
                        fileName, $"byte {chunkStart + i}",
                        $"timestamp {timeUs} us is earlier than the previous event's {clock.Previous} us (and too close to be a 32-bit wrap)");
                }

                events.Add(new DvsEvent((ushort)x, (ushort)y, (byte)polarity, timeUs));
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
        }

        events.Flush();
    }

    /// <summary>Writes events to a Prophesee <c>.dat</c> file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="events">The events; see <see cref="Write(Stream, EventStream)"/> for the limits.</param>
    /// <exception cref="ArgumentException">An event cannot be represented.</exception>
    public static void Write(string path, EventStream events)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(events);
        AtomicFile.Write(path, stream => Write(stream, events));
    }

    /// <summary>
    /// Writes events as a Prophesee <c>.dat</c> file: the header lines the toolbox writes
    /// (without the date, so the output is reproducible) with the stream's width and height, the
    /// type byte <see cref="CdEventType"/> and size byte 8, then the events with their times
    /// modulo 2^32. Reading the output back gives exactly the same events.
    /// </summary>
    /// <param name="stream">The destination; it is not disposed.</param>
    /// <param name="events">
    /// The events; the sensor and so every coordinate must be at most 16384 wide and high
    /// (14-bit fields), times must not be negative, the first below 2^32 µs, and consecutive
    /// events at most 2^31 - 1 µs apart.
    /// </param>
    /// <exception cref="ArgumentException">An event or the sensor size cannot be represented.</exception>
    public static void Write(Stream stream, EventStream events)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Width > MaxCoordinate + 1 || events.Height > MaxCoordinate + 1)
        {
            throw new ArgumentException($"the {events.Width} x {events.Height} sensor does not fit the format's 14-bit coordinates");
        }

        string header = string.Create(
            CultureInfo.InvariantCulture,
            $"% Data file containing Event2D events.\n% Version 2\n% Height {events.Height}\n% Width {events.Width}\n");
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write([CdEventType, EventSize]);

        IReadOnlyList<DvsEvent> list = events.Events;
        var buffer = new byte[ChunkEvents * EventSize];
        int used = 0;
        long previousUs = 0;
        for (int n = 0; n < list.Count; n++)
        {
            DvsEvent e = list[n];
            Timestamp32.CheckWritable(e.TimeUs, previousUs, n);
            if (n == 0 && e.TimeUs >= Timestamp32.Span)
            {
                throw new ArgumentException(
                    $"event 0 at {e.TimeUs} us lies beyond the first 2^32 us, which the reader, keeping times as recorded, could not recover");
            }

            previousUs = e.TimeUs;
            if (used == buffer.Length)
            {
                stream.Write(buffer, 0, used);
                used = 0;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), unchecked((uint)e.TimeUs));
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used + 4), (uint)e.Polarity << 28 | (uint)e.Y << 14 | e.X);
            used += EventSize;
        }

        stream.Write(buffer, 0, used);
    }

    /// <summary>Reads the <c>%</c> header lines; returns the sensor size they give (0 where unknown).</summary>
    private static (int Width, int Height) ReadHeader(FormatReader reader, string fileName)
    {
        int width = 0;
        int height = 0;
        int lines = 0;
        while (reader.Peek() == '%')
        {
            long lineStart = reader.Position;
            reader.TryReadLine(out ReadOnlySpan<byte> line, out bool terminated);
            if (line.Length > 1 && line[1] != ' ')
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}", $"header line '{FormatReader.Printable(line)}' does not start with '% '");
            }

            if (!terminated)
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}",
                    line.Length >= FormatReader.BufferSize
                        ? $"header line longer than {FormatReader.BufferSize} bytes"
                        : "header line is not terminated by a line end");
            }

            lines++;
            string[] words = HeaderText.Decode(line[1..]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }

            string key = words[0].ToLowerInvariant();
            string value = words[1];
            switch (key)
            {
                case "width":
                    width = ParsePositive(value, width);
                    break;
                case "height":
                    height = ParsePositive(value, height);
                    break;
                case "geometry":
                    int times = value.IndexOf('x', StringComparison.OrdinalIgnoreCase);
                    if (times > 0)
                    {
                        width = ParsePositive(value[..times], width);
                        height = ParsePositive(value[(times + 1)..], height);
                    }

                    break;
                case "format":
                    width = width > 0 ? width : HeaderText.FindNumberAfter(value, "width=");
                    height = height > 0 ? height : HeaderText.FindNumberAfter(value, "height=");
                    break;
            }
        }

        if (lines == 0)
        {
            int next = reader.Peek();
            throw new InputFormatException(
                fileName, "byte 0",
                next < 0 ? "file is empty (expected '% ' header lines)" : $"not a {EventFile.DisplayName(EventFileFormat.PropheseeDat)} file: it does not start with '% ' header lines");
        }

        return (width, height);
    }

    private static int ParsePositive(string text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
