using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads and writes the polarity events of AEDAT 3.1 files (cAER / libcaer, iniVation DVS128,
/// DAVIS and DVXplorer cameras; the IBM DVS Gesture dataset).
/// </summary>
/// <remarks>
/// <para>
/// Layout: a text header from the line <c>#!AER-DAT3.1</c> to the line <c>#!END-HEADER</c>
/// (every line starts with <c>#</c> and ends in <c>\r\n</c> or <c>\n</c>), then packets. A packet
/// is a 28-byte little-endian header (int16 eventType, int16 eventSource, int32 eventSize,
/// int32 eventTSOffset, int32 eventTSOverflow, int32 eventCapacity, int32 eventNumber,
/// int32 eventValid) followed by eventCapacity x eventSize bytes of events. Polarity packets
/// (eventType 1) hold 8-byte events: a u32 whose bit 0 marks the event valid, bit 1 is the
/// polarity (1 = ON), bits 2-16 y and bits 17-31 x, then an int32 timestamp in microseconds at
/// eventTSOffset 4. The full time is eventTSOverflow &lt;&lt; 31 | timestamp. The first
/// eventNumber slots of a packet hold events; slots beyond it are skipped, and so are events
/// whose valid bit is 0 (filtered out by the recording software) and packets of every other
/// type (special, frame, IMU, ...), by their eventSize x eventCapacity bytes.
/// </para>
/// <para>
/// Sensor size: the file has no size field. The reader takes the size the caller passes, else
/// looks in the header's <c>#Source</c> lines for numbers after <c>sizeX</c> and <c>sizeY</c>
/// (which also matches <c>dvsSizeX</c> and attribute forms such as
/// <c>&lt;attr key="dvsSizeX" type="short"&gt;346&lt;/attr&gt;</c>), else for a camera name it knows
/// (DVS128 128 x 128, DAVIS240 240 x 180, DAVIS346 346 x 260, as in <c>#Source 1: DVS128</c>);
/// if none of these gives a size it fails. The writer records the size as
/// <c>#Source 1: EventStream sizeX=W sizeY=H</c>.
/// </para>
/// <para>
/// Times in the returned stream are relative to the first valid polarity event, which is at 0
/// (the camera's clock starts at an arbitrary point). Timestamps must not be negative and must
/// not decrease across packets.
/// </para>
/// <para>
/// Errors raise <see cref="InputFormatException"/> with a byte offset: a missing or wrong magic
/// line (byte 0), a header without <c>#!END-HEADER</c> (the end of the data), a truncated
/// packet header or event (the offset of the incomplete record), a bad packet header or a
/// polarity packet whose eventSize is not 8 (the offset of the packet header), a coordinate
/// outside the sensor or a negative or decreasing timestamp (the offset of the event).
/// </para>
/// </remarks>
public static class Aedat31
{
    /// <summary>The first line of every AEDAT 3.1 file.</summary>
    public const string Magic = "#!AER-DAT3.1";

    /// <summary>The last line of the header.</summary>
    public const string EndOfHeader = "#!END-HEADER";

    /// <summary>Bytes in a packet header.</summary>
    public const int PacketHeaderSize = 28;

    /// <summary>The eventType of polarity packets.</summary>
    public const short PolarityEventType = 1;

    /// <summary>Bytes per polarity event.</summary>
    public const int PolarityEventSize = 8;

    /// <summary>Most events the writer puts in one packet.</summary>
    public const int MaxEventsPerPacket = 4096;

    internal const int PolarityTimestampOffset = 4;
    private const int ChunkEvents = 8192;

    /// <summary>Known camera names and their sensor sizes, for headers without sizeX/sizeY.</summary>
    private static readonly (string Name, int Width, int Height)[] KnownCameras =
    [
        ("DVS128", 128, 128),
        ("DAVIS240", 240, 180),
        ("DAVIS346", 346, 260),
    ];

    /// <summary>Reads an AEDAT 3.1 file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>The valid polarity events, times relative to the first one.</returns>
    /// <exception cref="InputFormatException">The file is malformed or its sensor size unknown.</exception>
    public static EventStream Read(string path, int width = 0, int height = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, width, height);
    }

    /// <summary>Reads AEDAT 3.1 data from a stream, from its current position to its end.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>The valid polarity events, times relative to the first one.</returns>
    /// <exception cref="InputFormatException">The data is malformed or its sensor size unknown.</exception>
    public static EventStream Read(Stream stream, string fileName, int width = 0, int height = 0)
    {
        var collector = new EventCollector();
        Read(stream, fileName, collector, width, height);
        return collector.ToStream();
    }

    /// <summary>Streams the valid polarity events of AEDAT 3.1 data to a sink, one packet chunk at a time.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the sensor size and the events, times as recorded.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>What was skipped (<c>skipped.packets.type_N</c> for packets of other event types).</returns>
    /// <exception cref="InputFormatException">The data is malformed or its sensor size unknown.</exception>
    public static ReadCounts Read(Stream stream, string fileName, IEventSink sink, int width = 0, int height = 0)
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
                fileName, "header",
                "sensor size unknown: no '#Source' line gives sizeX/sizeY or names a known camera; pass the width and height");
        }

        sink.Begin(new RecordingInfo(EventFile.DisplayName(EventFileFormat.Aedat31), width, height, TimesFromFirstEvent: true));
        var state = new PolarityState(fileName, width, height, new EventBatch(sink));
        var counts = new ReadCounts();
        Span<byte> header = stackalloc byte[PacketHeaderSize];
        var buffer = new byte[ChunkEvents * PolarityEventSize];
        while (true)
        {
            long packetStart = reader.Position;
            int got = reader.Read(header);
            if (got == 0)
            {
                break;
            }

            if (got < PacketHeaderSize)
            {
                throw new InputFormatException(fileName, $"byte {packetStart}", $"truncated packet header ({got} of {PacketHeaderSize} bytes)");
            }

            var packet = PacketHeader.Parse(header);
            packet.Validate(fileName, packetStart);
            long payload = (long)packet.Capacity * packet.Size;
            long payloadStart = packetStart + PacketHeaderSize;
            long consumed = 0;

            if (packet.Type == PolarityEventType)
            {
                if (packet.Size != PolarityEventSize || packet.TimestampOffset != PolarityTimestampOffset)
                {
                    throw new InputFormatException(
                        fileName, $"byte {packetStart}",
                        $"polarity packet has eventSize {packet.Size} and eventTSOffset {packet.TimestampOffset}; expected {PolarityEventSize} and {PolarityTimestampOffset}");
                }

                consumed = ReadPolarityEvents(reader, buffer, packet, payloadStart, state);
            }
            else
            {
                counts.Add($"skipped.packets.type_{packet.Type}");
            }

            long skipped = reader.Skip(payload - consumed);
            if (consumed + skipped < payload)
            {
                long have = consumed + skipped;
                throw new InputFormatException(
                    fileName, $"byte {payloadStart + have - have % packet.Size}",
                    $"truncated packet: the packet at byte {packetStart} (eventType {packet.Type}) declares {packet.Capacity} events of " +
                    $"{packet.Size} bytes, but the file ends after {have / packet.Size} whole events" +
                    (have % packet.Size != 0 ? $" and {have % packet.Size} bytes" : ""));
            }
        }

        state.Events.Flush();
        return counts;
    }

    /// <summary>Writes events to an AEDAT 3.1 file atomically (see <see cref="AtomicFile"/>).</summary>
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
    /// Writes events as AEDAT 3.1: a header naming the sensor size, then polarity packets
    /// (eventSource 1) of at most <see cref="MaxEventsPerPacket"/> events, all valid, a new
    /// packet starting wherever the time's overflow count (time &gt;&gt; 31) changes. Reading the
    /// output back gives the same events with times shifted to start at 0.
    /// </summary>
    /// <param name="stream">The destination; it is not disposed.</param>
    /// <param name="events">The events; x and y must be below 32768 and times not negative.</param>
    /// <exception cref="ArgumentException">An event cannot be represented.</exception>
    public static void Write(Stream stream, EventStream events)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        new Conversion.Aedat31Writer(stream).WriteAll(events);
    }

    /// <summary>Reads the polarity events of one packet; returns the payload bytes consumed.</summary>
    private static long ReadPolarityEvents(FormatReader reader, byte[] buffer, PacketHeader packet, long payloadStart, PolarityState state)
    {
        long bytesLeft = (long)packet.Number * PolarityEventSize;
        long consumed = 0;
        while (bytesLeft > 0)
        {
            int want = (int)Math.Min(buffer.Length, bytesLeft);
            int length = reader.Read(buffer.AsSpan(0, want));
            int whole = length - length % PolarityEventSize;
            for (int i = 0; i < whole; i += PolarityEventSize)
            {
                state.Add(buffer.AsSpan(i, PolarityEventSize), packet.Overflow, payloadStart + consumed + i);
            }

            if (length < want)
            {
                long at = payloadStart + consumed + whole;
                string problem = whole != length
                    ? $"truncated event ({length - whole} of {PolarityEventSize} bytes)"
                    : $"truncated packet: the polarity packet at byte {payloadStart - PacketHeaderSize} declares {packet.Number} events, " +
                      $"but the file ends after {(consumed + whole) / PolarityEventSize}";
                throw new InputFormatException(state.FileName, $"byte {at}", problem);
            }

            consumed += length;
            bytesLeft -= length;
        }

        return consumed;
    }

    /// <summary>Reads the header lines; returns the sensor size they give (0 where unknown).</summary>
    private static (int Width, int Height) ReadHeader(FormatReader reader, string fileName)
    {
        HeaderText.ExpectMagicLine(reader, fileName, Magic, EventFile.DisplayName(EventFileFormat.Aedat31));
        int sizeX = 0;
        int sizeY = 0;
        int cameraWidth = 0;
        int cameraHeight = 0;
        while (true)
        {
            long lineStart = reader.Position;
            if (!reader.TryReadLine(out ReadOnlySpan<byte> line, out bool terminated))
            {
                throw new InputFormatException(fileName, $"byte {lineStart}", $"the header ends without the line '{EndOfHeader}'");
            }

            if (!terminated)
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}",
                    line.Length >= FormatReader.BufferSize
                        ? $"header line longer than {FormatReader.BufferSize} bytes"
                        : $"header line is not terminated by a line end (missing '{EndOfHeader}'?)");
            }

            if (line.IsEmpty || line[0] != '#')
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}",
                    $"header line does not start with '#' (found '{FormatReader.Printable(line)}'; missing '{EndOfHeader}'?)");
            }

            if (HeaderText.Equals(line, EndOfHeader))
            {
                break;
            }

            string text = HeaderText.Decode(line);
            if (!text.StartsWith("#Source", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("#-Source", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            sizeX = sizeX > 0 ? sizeX : HeaderText.FindNumberAfter(text, "sizeX");
            sizeY = sizeY > 0 ? sizeY : HeaderText.FindNumberAfter(text, "sizeY");
            if (cameraWidth == 0)
            {
                foreach (var (name, w, h) in KnownCameras)
                {
                    if (text.Contains(name, StringComparison.OrdinalIgnoreCase))
                    {
                        (cameraWidth, cameraHeight) = (w, h);
                        break;
                    }
                }
            }
        }

        return (sizeX > 0 ? sizeX : cameraWidth, sizeY > 0 ? sizeY : cameraHeight);
    }

    /// <summary>The 28-byte header of an AEDAT 3.1 packet.</summary>
    internal readonly record struct PacketHeader(
        short Type, short Source, int Size, int TimestampOffset, int Overflow, int Capacity, int Number, int Valid)
    {
        public static PacketHeader Parse(ReadOnlySpan<byte> b) => new(
            BinaryPrimitives.ReadInt16LittleEndian(b),
            BinaryPrimitives.ReadInt16LittleEndian(b[2..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[24..]));

        public void WriteTo(Span<byte> b)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b, Type);
            BinaryPrimitives.WriteInt16LittleEndian(b[2..], Source);
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], Size);
            BinaryPrimitives.WriteInt32LittleEndian(b[8..], TimestampOffset);
            BinaryPrimitives.WriteInt32LittleEndian(b[12..], Overflow);
            BinaryPrimitives.WriteInt32LittleEndian(b[16..], Capacity);
            BinaryPrimitives.WriteInt32LittleEndian(b[20..], Number);
            BinaryPrimitives.WriteInt32LittleEndian(b[24..], Valid);
        }

        /// <summary>Rejects headers whose counts are negative or inconsistent.</summary>
        public void Validate(string fileName, long offset)
        {
            string? problem =
                Type < 0 ? $"eventType {Type} is negative"
                : Size <= 0 ? $"eventSize {Size} is not positive"
                : TimestampOffset < 0 || TimestampOffset > Size - 4 ? $"eventTSOffset {TimestampOffset} does not fit an event of {Size} bytes"
                : Overflow < 0 ? $"eventTSOverflow {Overflow} is negative"
                : Capacity < 0 ? $"eventCapacity {Capacity} is negative"
                : Number < 0 || Number > Capacity ? $"eventNumber {Number} is outside 0 to eventCapacity {Capacity}"
                : Valid < 0 || Valid > Number ? $"eventValid {Valid} is outside 0 to eventNumber {Number}"
                : null;
            if (problem is not null)
            {
                throw new InputFormatException(fileName, $"byte {offset}", $"bad packet header (eventType {Type}): {problem}");
            }
        }
    }

    /// <summary>Decodes and checks polarity events and collects the valid ones.</summary>
    private sealed class PolarityState(string fileName, int width, int height, EventBatch events)
    {
        private long _previousUs = -1;

        public string FileName { get; } = fileName;

        public EventBatch Events { get; } = events;

        public void Add(ReadOnlySpan<byte> record, int overflow, long offset)
        {
            uint data = BinaryPrimitives.ReadUInt32LittleEndian(record);
            if ((data & 1) == 0)
            {
                return;
            }

            int stamp = BinaryPrimitives.ReadInt32LittleEndian(record[4..]);
            int x = (int)(data >> 17);
            int y = (int)(data >> 2) & 0x7FFF;
            if (x >= width || y >= height)
            {
                string axis = x >= width ? $"x = {x}" : $"y = {y}";
                throw new InputFormatException(FileName, $"byte {offset}", $"{axis} is outside the {width} x {height} sensor");
            }

            if (stamp < 0)
            {
                throw new InputFormatException(FileName, $"byte {offset}", $"timestamp {stamp} us is negative");
            }

            long timeUs = (long)overflow << 31 | (uint)stamp;
            if (timeUs < _previousUs)
            {
                throw new InputFormatException(
                    FileName, $"byte {offset}", $"timestamp {timeUs} us is earlier than the previous event's {_previousUs} us");
            }

            _previousUs = timeUs;
            Events.Add(new DvsEvent((ushort)x, (ushort)y, (byte)((data >> 1) & 1), timeUs));
        }
    }
}
