using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads and writes AEDAT 2.0 files (jAER's <c>.aedat</c> format for iniVation DVS128 and
/// DAVIS cameras).
/// </summary>
/// <remarks>
/// <para>
/// Layout: the line <c>#!AER-DAT2.0</c>, further comment lines starting with <c>#</c> (each
/// ending in <c>\r\n</c> or <c>\n</c>), then 8-byte events: a big-endian unsigned 32-bit address
/// and a big-endian unsigned 32-bit timestamp in microseconds. The header ends at jAER's
/// <c>#End Of ASCII Header</c> line if there is one, otherwise (as in jAER and tonic) at the
/// first line that does not start with <c>#</c>. The second rule is ambiguous when the first
/// event's address begins with the byte 0x23 (<c>#</c>), which a DAVIS346 address does for rows
/// 140 to 143, so the writer always emits the end-of-header line.
/// </para>
/// <para>
/// The address layout depends on the camera and is not stored in the file (but for a file this
/// program wrote: its <see cref="LayoutComment"/> line names the layout, which the reader uses
/// unless a layout other than the default DVS128 is given); see <see cref="Aedat2Layout"/>. The bit fields decoded here are those of the project reference
/// (REFERENCE.md "Event-data formats"), the same as tonic's <c>read_dvs_128</c>, with no
/// mirroring: for <see cref="Aedat2Layout.Dvs128"/> x = (a &gt;&gt; 8) &amp; 0x7F,
/// y = (a &gt;&gt; 1) &amp; 0x7F, polarity = a &amp; 1; for <see cref="Aedat2Layout.Davis346"/>
/// y = bits 22-30, x = bits 12-21, polarity = bit 11.
/// </para>
/// <para>
/// jAER and its loaders assign the two DVS128 fields the other way round: x from bits 1-7 and
/// y from bits 8-14 (jAER's DVS128.java extractor, jAER's <c>loadaerdat.py</c>, processAEDAT's
/// <c>getTmpdiff128Addr.m</c>). The Java extractor and <c>getTmpdiff128Addr</c> also mirror x,
/// x<sub>jAER</sub> = 127 - ((a &gt;&gt; 1) &amp; 0x7F), and the Java extractor inverts the
/// polarity (raw bit 0 = ON); <c>loadaerdat.py</c> does neither. So x here equals
/// y<sub>jAER</sub>, and y here equals 127 - x<sub>jAER</sub> (the jAER image turned by 90
/// degrees; jAER's y axis also points up, while <see cref="DvsEvent"/>'s row 0 is the top).
/// For DAVIS cameras jAER (and tonic's <c>read_davis_346</c>) mirror x:
/// x<sub>jAER</sub> = 345 - x here; y and polarity agree. A consumer that needs jAER's
/// orientation applies these maps to the decoded events; for counting spikes and training
/// the orientation does not matter as long as it is consistent.
/// </para>
/// <para>
/// Skipped addresses: for DVS128, addresses with bit 15 (jAER's external sync event) or bit 31
/// (jAER's special-event flag) set; for DAVIS346, addresses with bit 31 set (APS frame samples
/// and IMU samples) or bit 10 set (IMU and other special events). A DVS128 address with any of
/// bits 16-30 set is rejected, since no DVS128 address has them (it is usually a DAVIS file read
/// with the wrong layout).
/// </para>
/// <para>
/// Time: the 32-bit counter wraps after 2^32 µs (about 71.6 minutes). A timestamp smaller than
/// its predecessor's by more than 2^31 µs is taken as a wrap and adds 2^32 µs; a smaller drop is
/// an error. Times in the returned stream are relative to the first kept event, which is at 0;
/// the absolute counter value of the camera carries no meaning across recordings.
/// </para>
/// <para>
/// Errors raise <see cref="InputFormatException"/> with a byte offset: a missing or wrong magic
/// line (byte 0), an unterminated header line, a truncated event (the offset of the incomplete
/// event), a coordinate outside the sensor or a step back in time (the offset of the event).
/// </para>
/// </remarks>
public static class Aedat2
{
    /// <summary>The first line of every AEDAT 2.0 file.</summary>
    public const string Magic = "#!AER-DAT2.0";

    /// <summary>The line with which jAER (and this writer) ends the header.</summary>
    public const string EndOfHeader = "#End Of ASCII Header";

    /// <summary>Bytes per event: address and timestamp, 4 bytes each.</summary>
    public const int EventSize = 8;

    /// <summary>DVS128 sensor width and height in pixels.</summary>
    public const int Dvs128Size = 128;

    /// <summary>DAVIS346 sensor width in pixels.</summary>
    public const int Davis346Width = 346;

    /// <summary>DAVIS346 sensor height in pixels.</summary>
    public const int Davis346Height = 260;

    private const uint Dvs128SpecialBits = 0x8000_8000;  // bit 31 (special) and bit 15 (sync)
    private const uint Dvs128UnusedBits = 0x7FFF_0000;   // bits 16-30
    private const uint Davis346SkipBits = 0x8000_0400;   // bit 31 (APS / IMU) and bit 10 (IMU / special)
    private const int ChunkEvents = 8192;

    /// <summary>The sensor size of a layout.</summary>
    /// <param name="layout">The address layout.</param>
    /// <returns>Width and height in pixels.</returns>
    public static (int Width, int Height) SensorSize(Aedat2Layout layout) => layout switch
    {
        Aedat2Layout.Dvs128 or Aedat2Layout.Dvs128Jaer => (Dvs128Size, Dvs128Size),
        Aedat2Layout.Davis346 or Aedat2Layout.Davis346Jaer => (Davis346Width, Davis346Height),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown AEDAT 2.0 layout"),
    };

    /// <summary>Reads an AEDAT 2.0 file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="layout">The camera's address layout.</param>
    /// <returns>The events, on the layout's sensor, times relative to the first event.</returns>
    /// <exception cref="InputFormatException">The file is malformed.</exception>
    public static EventStream Read(string path, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, layout);
    }

    /// <summary>Reads AEDAT 2.0 data from a stream, from its current position to its end.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="layout">The camera's address layout.</param>
    /// <returns>The events, on the layout's sensor, times relative to the first event.</returns>
    /// <exception cref="InputFormatException">The data is malformed.</exception>
    public static EventStream Read(Stream stream, string fileName, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        var collector = new EventCollector();
        Read(stream, fileName, collector, layout);
        return collector.ToStream();
    }

    /// <summary>
    /// Streams AEDAT 2.0 data to a sink, one 64 KiB chunk at a time, times as recorded (the
    /// 32-bit counter unwrapped).
    /// </summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the layout's sensor size and the events.</param>
    /// <param name="layout">The camera's address layout.</param>
    /// <returns>What was skipped (<c>skipped.addresses.special</c>: frame, IMU and special-event addresses).</returns>
    /// <exception cref="InputFormatException">The data is malformed.</exception>
    public static ReadCounts Read(Stream stream, string fileName, IEventSink sink, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);
        var reader = new FormatReader(stream);
        // A file this program wrote names its layout: read it so unless the caller asked for another than the default.
        if (ReadHeader(reader, fileName) is { } recorded && layout == Aedat2Layout.Dvs128) layout = recorded;
        (int width, int height) = SensorSize(layout);
        sink.Begin(new RecordingInfo(EventFile.DisplayName(EventFileFormat.Aedat2), width, height, TimesFromFirstEvent: true));

        var batch = new EventBatch(sink);
        var buffer = new byte[ChunkEvents * EventSize];
        var clock = new Timestamp32();
        bool dvs128 = layout is Aedat2Layout.Dvs128 or Aedat2Layout.Dvs128Jaer;
        bool jaer = layout is Aedat2Layout.Dvs128Jaer or Aedat2Layout.Davis346Jaer;
        long skipped = 0;

        while (true)
        {
            long chunkStart = reader.Position;
            int length = reader.Read(buffer);
            int whole = length - length % EventSize;
            for (int i = 0; i < whole; i += EventSize)
            {
                uint address = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(i));
                uint stamp = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(i + 4));
                int x, y, polarity;
                if (dvs128)
                {
                    if ((address & Dvs128SpecialBits) != 0)
                    {
                        skipped++;
                        continue;
                    }

                    if ((address & Dvs128UnusedBits) != 0)
                    {
                        throw new InputFormatException(
                            fileName, $"byte {chunkStart + i}",
                            $"address 0x{address:X8} sets bits 16-30, which no DVS128 address does (a DAVIS recording? use the DAVIS346 layout)");
                    }

                    int high = (int)(address >> 8) & 0x7F;  // bits 8-14
                    int low = (int)(address >> 1) & 0x7F;   // bits 1-7
                    (x, y, polarity) = jaer
                        ? (Dvs128Size - 1 - low, high, 1 - (int)(address & 1))
                        : (high, low, (int)address & 1);
                }
                else
                {
                    if ((address & Davis346SkipBits) != 0)
                    {
                        skipped++;
                        continue;
                    }

                    y = (int)(address >> 22) & 0x1FF;
                    x = (int)(address >> 12) & 0x3FF;
                    polarity = (int)(address >> 11) & 1;
                    if (x >= width || y >= height)
                    {
                        string axis = x >= width ? $"x = {x}" : $"y = {y}";
                        throw new InputFormatException(
                            fileName, $"byte {chunkStart + i}", $"{axis} (address 0x{address:X8}) is outside the {width} x {height} sensor");
                    }

                    if (jaer)
                    {
                        x = width - 1 - x;
                    }
                }

                if (!clock.TryNext(stamp, out long timeUs))
                {
                    throw new InputFormatException(
                        fileName, $"byte {chunkStart + i}",
                        $"timestamp {timeUs} us is earlier than the previous event's {clock.Previous} us (and too close to be a 32-bit wrap)");
                }

                batch.Add(new DvsEvent((ushort)x, (ushort)y, (byte)polarity, timeUs));
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

        batch.Flush();
        var counts = new ReadCounts();
        counts.Add("skipped.addresses.special", skipped);
        return counts;
    }

    /// <summary>The 32-bit address of an event in a layout (the inverse of the reader's decoding).</summary>
    /// <param name="e">The event, on the layout's sensor.</param>
    /// <param name="layout">The layout.</param>
    /// <returns>The address.</returns>
    public static uint Address(DvsEvent e, Aedat2Layout layout) => layout switch
    {
        Aedat2Layout.Dvs128 => (uint)(e.X << 8 | e.Y << 1 | e.Polarity),
        Aedat2Layout.Dvs128Jaer => (uint)(e.Y << 8 | (Dvs128Size - 1 - e.X) << 1 | (1 - e.Polarity)),
        Aedat2Layout.Davis346 => (uint)e.Y << 22 | (uint)e.X << 12 | (uint)e.Polarity << 11,
        Aedat2Layout.Davis346Jaer => (uint)e.Y << 22 | (uint)(Davis346Width - 1 - e.X) << 12 | (uint)e.Polarity << 11,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown AEDAT 2.0 layout"),
    };

    /// <summary>Writes events to an AEDAT 2.0 file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="events">The events; see <see cref="Write(Stream, EventStream, Aedat2Layout)"/> for the limits.</param>
    /// <param name="layout">The address layout to encode.</param>
    /// <exception cref="ArgumentException">An event cannot be represented.</exception>
    public static void Write(string path, EventStream events, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(events);
        AtomicFile.Write(path, stream => Write(stream, events, layout));
    }

    /// <summary>
    /// Writes events in AEDAT 2.0: the magic line, three comment lines, the end-of-header line,
    /// then one address and timestamp per event, both big-endian. Timestamps are the event
    /// times modulo 2^32, so reading the output back gives the same events with times shifted
    /// to start at 0.
    /// </summary>
    /// <param name="stream">The destination; it is not disposed.</param>
    /// <param name="events">
    /// The events; each must lie on the layout's sensor (whatever the stream's own size), times
    /// must not be negative and consecutive events at most 2^31 - 1 µs apart.
    /// </param>
    /// <param name="layout">The address layout to encode.</param>
    /// <exception cref="ArgumentException">An event cannot be represented.</exception>
    public static void Write(Stream stream, EventStream events, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        new Conversion.Aedat2Writer(stream, layout).WriteAll(events);
    }

    /// <summary>Checks the magic line and skips the comment lines that follow it.</summary>
    /// <summary>The header comment in which <see cref="Conversion.Aedat2Writer"/> records the address layout it wrote.</summary>
    /// <param name="layout">The layout.</param>
    /// <returns>The line, without its line end.</returns>
    public static string LayoutComment(Aedat2Layout layout) =>
        $"{LayoutCommentStart}{Aedat2LayoutNames.Name(layout)}{LayoutCommentEnd}";

    private const string LayoutCommentStart = "# This is a raw AE data file created by Neuromorphic.Traces (";
    private const string LayoutCommentEnd = " address layout)";

    /// <summary>Reads the header; returns the layout a <see cref="LayoutComment"/> line records, or null.</summary>
    private static Aedat2Layout? ReadHeader(FormatReader reader, string fileName)
    {
        HeaderText.ExpectMagicLine(reader, fileName, Magic, EventFile.DisplayName(EventFileFormat.Aedat2));
        Aedat2Layout? recorded = null;
        while (reader.Peek() == '#')
        {
            long lineStart = reader.Position;
            reader.TryReadLine(out ReadOnlySpan<byte> line, out bool terminated);
            if (!terminated)
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}",
                    line.Length >= FormatReader.BufferSize
                        ? $"header line longer than {FormatReader.BufferSize} bytes"
                        : "header line is not terminated by a line end");
            }

            if (IsEndOfHeader(line))
            {
                break;
            }

            string text = HeaderText.Decode(line).TrimEnd();
            if (text.StartsWith(LayoutCommentStart, StringComparison.Ordinal) && text.EndsWith(LayoutCommentEnd, StringComparison.Ordinal))
            {
                recorded = Aedat2LayoutNames.Parse(text[LayoutCommentStart.Length..^LayoutCommentEnd.Length]) ?? recorded;
            }
        }

        return recorded;
    }

    /// <summary>Recognises <c>#End Of ASCII Header</c> with any case and spacing after the <c>#</c>.</summary>
    private static bool IsEndOfHeader(ReadOnlySpan<byte> line)
    {
        string text = HeaderText.Decode(line[1..]).Trim();
        return text.Equals("End Of ASCII Header", StringComparison.OrdinalIgnoreCase);
    }
}
