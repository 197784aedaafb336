using System.Buffers.Binary;
using K4os.Compression.LZ4.Streams;
using Neuromorphic.Traces.Events.Streaming;
using ZstdSharp;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads the polarity events of AEDAT 4.0 files, what iniVation's DV software and
/// dv-processing write for DAVIS and DVXplorer cameras.
/// </summary>
/// <remarks>
/// <para>
/// Layout (docs.inivation.com, "AEDAT 4.0"; schemas in dv-processing's
/// <c>include/dv-processing/data/*.fbs</c>): the line <c>#!AER-DAT4.0\r\n</c>; an int32 (little
/// endian) byte size of the IOHeader; the IOHeader, a FlatBuffers table (identifier
/// <c>IOHE</c>) whose field 0 is the compression (<see cref="Aedat4Compression"/>), field 1 the
/// byte position of the data table (int64, -1 when there is none) and field 2 an XML description
/// of the streams (<see cref="Aedat4Stream"/>). Then packets up to the data table (or the end of
/// the file): int32 stream id, int32 payload size, the payload compressed as the IOHeader says.
/// A decompressed payload is a size-prefixed FlatBuffer whose identifier names its type.
/// </para>
/// <para>
/// Read: the packets of one polarity stream (<c>EVTS</c>: field 0 of the table is a vector of
/// 16-byte structs int64 t (µs), int16 x, int16 y, uint8 polarity (1 = ON), 3 padding bytes) —
/// the stream chosen by id, else the polarity stream with the lowest id. Skipped and counted
/// (<see cref="ReadCounts"/>, <c>skipped.packets.TYPE</c>): every other stream's packets
/// (frames <c>FRME</c>, IMU <c>IMUS</c>, triggers <c>TRIG</c>, other polarity streams), without
/// decompressing them; the data table (<c>skipped.data_table</c>), which is not needed because
/// packets are read in file order. Sensor size: the chosen stream's <c>sizeX</c>/<c>sizeY</c>.
/// Times are the recorded ones (DV writes Unix time in µs).
/// </para>
/// <para>
/// Memory: one packet (compressed and decompressed) at a time, at most
/// <see cref="MaxPacketBytes"/> each.
/// </para>
/// <para>
/// Errors raise <see cref="InputFormatException"/> naming a byte of the file: the magic line
/// (byte 0), the IOHeader (its field's byte), a packet header (its first byte), a payload that
/// does not decompress or decode, an event outside the sensor, with a bad polarity or earlier
/// than its predecessor (the packet's first byte, with the position inside the decompressed
/// payload), a packet running past the data table or the end of the file.
/// </para>
/// </remarks>
public static class Aedat4
{
    /// <summary>The first line of every AEDAT 4.0 file.</summary>
    public const string Magic = "#!AER-DAT4.0";

    /// <summary>Largest packet accepted, compressed or decompressed (DV writes packets of kilobytes to a few megabytes).</summary>
    public const int MaxPacketBytes = 256 << 20;

    /// <summary>Bytes per polarity event in an EVTS packet.</summary>
    public const int PolarityEventSize = 16;

    private const int PacketHeaderSize = 8;

    /// <summary>Reads the polarity events of an AEDAT 4.0 file into memory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="streamId">The polarity stream to read; null for the lowest-numbered one.</param>
    /// <returns>The events, times shifted so that the first is at 0.</returns>
    /// <exception cref="InputFormatException">The file is malformed.</exception>
    public static EventStream Read(string path, int? streamId = null)
    {
        var collector = new EventCollector();
        Read(path, collector, streamId);
        return collector.ToStream();
    }

    /// <summary>Streams the polarity events of an AEDAT 4.0 file to a sink.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sink">Receives the sensor size and the events, times as recorded.</param>
    /// <param name="streamId">The polarity stream to read; null for the lowest-numbered one.</param>
    /// <returns>What was skipped.</returns>
    /// <exception cref="InputFormatException">The file is malformed.</exception>
    public static ReadCounts Read(string path, IEventSink sink, int? streamId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, sink, streamId);
    }

    /// <summary>Streams the polarity events of AEDAT 4.0 data to a sink.</summary>
    /// <param name="stream">The data, from its current position; offsets in errors count from there.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the sensor size and the events, times as recorded.</param>
    /// <param name="streamId">The polarity stream to read; null for the lowest-numbered one.</param>
    /// <returns>What was skipped.</returns>
    /// <exception cref="InputFormatException">The data is malformed.</exception>
    public static ReadCounts Read(Stream stream, string fileName, IEventSink sink, int? streamId = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);

        var reader = new FormatReader(stream);
        var header = ReadHeader(reader, fileName);
        Aedat4Stream chosen = Choose(header.Streams, streamId, fileName, header.DescriptionAt);
        if (chosen.Width <= 0 || chosen.Height <= 0)
        {
            throw new InputFormatException(
                fileName, $"byte {header.DescriptionAt}", $"stream {chosen.Id} (EVTS) gives no sensor size (sizeX/sizeY in its info node)");
        }

        sink.Begin(new RecordingInfo(EventFile.DisplayName(EventFileFormat.Aedat4), chosen.Width, chosen.Height, TimesFromFirstEvent: true));
        var counts = new ReadCounts();
        var decoder = new PacketDecoder(fileName, header.Compression, chosen, new EventBatch(sink));
        Span<byte> packetHeader = stackalloc byte[PacketHeaderSize];
        byte[] payload = [];
        long end = header.DataTablePosition >= 0 ? header.DataTablePosition : long.MaxValue;
        while (reader.Position < end)
        {
            long packetAt = reader.Position;
            int got = reader.Read(packetHeader);
            if (got == 0 && header.DataTablePosition < 0)
            {
                break;
            }

            if (got < PacketHeaderSize)
            {
                throw new InputFormatException(
                    fileName, $"byte {packetAt + got}",
                    got == 0
                        ? $"the file ends at byte {packetAt}, before the data table the IOHeader places at byte {end}"
                        : $"truncated packet header ({got} of {PacketHeaderSize} bytes)");
            }

            int id = BinaryPrimitives.ReadInt32LittleEndian(packetHeader);
            int size = BinaryPrimitives.ReadInt32LittleEndian(packetHeader[4..]);
            Aedat4Stream? of = header.Streams.FirstOrDefault(s => s.Id == id);
            string? problem =
                of is null ? $"packet of stream {id}, which the IOHeader does not declare (streams: {string.Join(", ", header.Streams.Select(s => s.Id))})"
                : size <= 0 || size > MaxPacketBytes ? $"packet size {size} is outside 1 to {MaxPacketBytes} bytes"
                : packetAt + PacketHeaderSize + size > end ? $"the {size}-byte packet runs past the data table at byte {end}"
                : null;
            if (problem is not null)
            {
                throw new InputFormatException(fileName, $"byte {packetAt}", problem);
            }

            if (id != chosen.Id)
            {
                counts.Add($"skipped.packets.{of!.Type}");
                long skipped = reader.Skip(size);
                if (skipped < size)
                {
                    throw Truncated(fileName, packetAt, size, skipped);
                }

                continue;
            }

            if (payload.Length < size)
            {
                payload = new byte[Math.Max(size, Math.Min(2 * payload.Length, MaxPacketBytes))];
            }

            int read = reader.Read(payload.AsSpan(0, size));
            if (read < size)
            {
                throw Truncated(fileName, packetAt, size, read);
            }

            counts.Add("packets.EVTS");
            decoder.Decode(payload, size, packetAt);
        }

        decoder.Finish();
        if (header.DataTablePosition >= 0)
        {
            CheckDataTable(reader, decoder, fileName);
            counts.Add("skipped.data_table");
        }

        return counts;
    }

    /// <summary>
    /// The data table runs from its position to the end of the file: it must decompress to a
    /// size-prefixed FlatBuffer with identifier FTAB. Its entries are not needed (packets are
    /// read in order), but checking it catches files cut short after the last packet.
    /// </summary>
    private static void CheckDataTable(FormatReader reader, PacketDecoder decoder, string fileName)
    {
        long at = reader.Position;
        var bytes = new MemoryStream();
        var chunk = new byte[FormatReader.BufferSize];
        int n;
        while ((n = reader.Read(chunk)) > 0)
        {
            if (bytes.Length + n > MaxPacketBytes)
            {
                throw new InputFormatException(fileName, $"byte {at}", $"the data table is larger than {MaxPacketBytes} bytes");
            }

            bytes.Write(chunk, 0, n);
        }

        if (bytes.Length == 0)
        {
            throw new InputFormatException(fileName, $"byte {at}", "the file ends where the IOHeader places the data table");
        }

        ReadOnlySpan<byte> table = decoder.Decompress(bytes.GetBuffer(), (int)bytes.Length, at, "data table");
        string? problem =
            table.Length < 12 ? $"the data table decompresses to {table.Length} bytes, too few for a FlatBuffer"
            : BinaryPrimitives.ReadUInt32LittleEndian(table) != table.Length - 4 ? $"the data table's size prefix {BinaryPrimitives.ReadUInt32LittleEndian(table)} does not match its {table.Length - 4} bytes"
            : FlatTable.Identifier(table[4..]) != "FTAB" ? $"the data table's identifier '{FlatTable.Identifier(table[4..])}' is not FTAB"
            : null;
        if (problem is not null)
        {
            throw new InputFormatException(fileName, $"byte {at}", problem);
        }
    }

    private static InputFormatException Truncated(string fileName, long packetAt, int size, long have) =>
        new(fileName, $"byte {packetAt + PacketHeaderSize + have}",
            $"truncated packet: the packet at byte {packetAt} declares {size} bytes, the file ends after {have}");

    private static Aedat4Stream Choose(IReadOnlyList<Aedat4Stream> streams, int? streamId, string fileName, long at)
    {
        var polarity = streams.Where(s => s.Type == Aedat4Stream.PolarityType).ToList();
        string list = string.Join(", ", streams.Select(s => $"{s.Id} {s.Type}"));
        if (streamId is { } wanted)
        {
            Aedat4Stream found = streams.FirstOrDefault(s => s.Id == wanted)
                ?? throw new InputFormatException(fileName, $"byte {at}", $"no stream {wanted} (streams: {list})");
            return found.Type == Aedat4Stream.PolarityType
                ? found
                : throw new InputFormatException(fileName, $"byte {at}", $"stream {wanted} holds {found.Type}, not polarity events (streams: {list})");
        }

        return polarity.Count > 0
            ? polarity[0]
            : throw new InputFormatException(fileName, $"byte {at}", $"no polarity-event (EVTS) stream (streams: {(list.Length == 0 ? "none" : list)})");
    }

    /// <summary>What the magic line and the IOHeader say.</summary>
    private sealed record Header(Aedat4Compression Compression, long DataTablePosition, IReadOnlyList<Aedat4Stream> Streams, long DescriptionAt);

    private static Header ReadHeader(FormatReader reader, string fileName)
    {
        HeaderText.ExpectMagicLine(reader, fileName, Magic, EventFile.DisplayName(EventFileFormat.Aedat4));
        long sizeAt = reader.Position;
        Span<byte> sizeBytes = stackalloc byte[4];
        int got = reader.Read(sizeBytes);
        if (got < 4)
        {
            throw new InputFormatException(fileName, $"byte {sizeAt + got}", $"truncated: the IOHeader size is missing ({got} of 4 bytes)");
        }

        int size = BinaryPrimitives.ReadInt32LittleEndian(sizeBytes);
        if (size < 8 || size > FormatReader.BufferSize * 16)
        {
            throw new InputFormatException(fileName, $"byte {sizeAt}", $"IOHeader size {size} is outside 8 to {FormatReader.BufferSize * 16} bytes");
        }

        long at = reader.Position;
        var bytes = new byte[size];
        got = reader.Read(bytes);
        if (got < size)
        {
            throw new InputFormatException(fileName, $"byte {at + got}", $"truncated IOHeader ({got} of {size} bytes)");
        }

        try
        {
            if (FlatTable.Identifier(bytes) != "IOHE")
            {
                throw new FlatBufferException(4, $"file identifier '{FlatTable.Identifier(bytes)}' is not 'IOHE'");
            }

            var table = FlatTable.Root(bytes);
            int compression = table.Int32(0, 0);
            if (compression is < 0 or > (int)Aedat4Compression.ZstdHigh)
            {
                throw new FlatBufferException(table.FieldPosition(0, 4), $"compression {compression} is not one of 0 (none) to 4 (Zstd high)");
            }

            long dataTable = table.Int64(1, -1);
            long packetsAt = at + size;
            if (dataTable != -1 && (dataTable < packetsAt || (reader.Remaining >= 0 && dataTable > packetsAt + reader.Remaining)))
            {
                throw new FlatBufferException(
                    table.FieldPosition(1, 8),
                    $"data table position {dataTable} is outside the packets (bytes {packetsAt} to {packetsAt + Math.Max(0, reader.Remaining)})");
            }

            int descriptionAt = table.FieldPosition(2, 4);
            string description = table.String(2)
                ?? throw new FlatBufferException(0, "the IOHeader has no stream description (field 2)");
            IReadOnlyList<Aedat4Stream> streams;
            try
            {
                streams = Aedat4Stream.Parse(description);
            }
            catch (FormatException ex)
            {
                throw new FlatBufferException(descriptionAt, ex.Message);
            }

            return new Header((Aedat4Compression)compression, dataTable, streams, at + descriptionAt);
        }
        catch (FlatBufferException ex)
        {
            throw new InputFormatException(fileName, $"byte {at + ex.Offset}", $"bad IOHeader: {ex.Message}");
        }
    }

    /// <summary>Decompresses EVTS packets and hands their events on, checking each.</summary>
    private sealed class PacketDecoder(string fileName, Aedat4Compression compression, Aedat4Stream stream, EventBatch batch)
    {
        private byte[] _decoded = new byte[1 << 16];
        private long _previousUs = long.MinValue;

        public void Decode(byte[] payload, int size, long packetAt)
        {
            ReadOnlySpan<byte> data = Decompress(payload, size, packetAt + PacketHeaderSize, $"packet at byte {packetAt}");
            try
            {
                if (data.Length < 4)
                {
                    throw new FlatBufferException(-4, "payload shorter than its 4-byte size prefix");
                }

                uint prefixed = BinaryPrimitives.ReadUInt32LittleEndian(data);
                if (prefixed > data.Length - 4)
                {
                    throw new FlatBufferException(-4, $"size prefix {prefixed} exceeds the {data.Length - 4} bytes that follow");
                }

                ReadOnlySpan<byte> buffer = data.Slice(4, (int)prefixed);
                string identifier = FlatTable.Identifier(buffer);
                if (identifier != Aedat4Stream.PolarityType)
                {
                    throw new FlatBufferException(8, $"identifier '{identifier}' is not EVTS although stream {stream.Id} is a polarity stream");
                }

                var table = FlatTable.Root(buffer);
                (int start, int count) = table.Vector(0, PolarityEventSize);
                for (int k = 0; k < count; k++)
                {
                    int at = start + k * PolarityEventSize;
                    ReadOnlySpan<byte> e = buffer.Slice(at, PolarityEventSize);
                    long t = BinaryPrimitives.ReadInt64LittleEndian(e);
                    int x = BinaryPrimitives.ReadInt16LittleEndian(e[8..]);
                    int y = BinaryPrimitives.ReadInt16LittleEndian(e[10..]);
                    byte polarity = e[12];
                    string? problem =
                        (uint)x >= (uint)stream.Width || (uint)y >= (uint)stream.Height ? $"event ({x}, {y}) is outside the {stream.Width} x {stream.Height} sensor"
                        : polarity > 1 ? $"polarity byte {polarity} is not 0 or 1"
                        : t < _previousUs ? $"timestamp {t} us is earlier than the previous event's {_previousUs} us"
                        : null;
                    if (problem is not null)
                    {
                        throw new FlatBufferException(at, $"event {k}: {problem}");
                    }

                    _previousUs = t;
                    batch.Add(new DvsEvent((ushort)x, (ushort)y, polarity, t));
                }
            }
            catch (FlatBufferException ex)
            {
                // Offsets inside the FlatBuffer count after the 4-byte size prefix.
                throw new InputFormatException(
                    fileName, $"byte {packetAt}",
                    $"EVTS packet of stream {stream.Id}: decompressed byte {ex.Offset + 4}: {ex.Message}");
            }
        }

        public void Finish() => batch.Flush();

        /// <summary>Decompresses a payload into a buffer reused by the next call.</summary>
        public ReadOnlySpan<byte> Decompress(byte[] payload, int size, long at, string what)
        {
            if (compression == Aedat4Compression.None)
            {
                return payload.AsSpan(0, size);
            }

            try
            {
                using var compressed = new MemoryStream(payload, 0, size, writable: false);
                using Stream decoder = compression is Aedat4Compression.Lz4 or Aedat4Compression.Lz4High
                    ? LZ4Stream.Decode(compressed, leaveOpen: true)
                    : new DecompressionStream(compressed, leaveOpen: true);
                int length = 0;
                while (true)
                {
                    if (length == _decoded.Length)
                    {
                        if (length >= MaxPacketBytes)
                        {
                            throw new InvalidDataException($"decompresses to more than {MaxPacketBytes} bytes");
                        }

                        Ensure(length + 1);
                    }

                    int n = decoder.Read(_decoded, length, _decoded.Length - length);
                    if (n == 0)
                    {
                        return _decoded.AsSpan(0, length);
                    }

                    length += n;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not InputFormatException)
            {
                string kind = compression is Aedat4Compression.Lz4 or Aedat4Compression.Lz4High ? "LZ4 frame" : "Zstd frame";
                throw new InputFormatException(fileName, $"byte {at}", $"the {kind} of the {what} does not decompress: {ex.Message.Split('\n')[0]}");
            }
        }

        private void Ensure(int length)
        {
            if (_decoded.Length < length)
            {
                Array.Resize(ref _decoded, (int)Math.Min(MaxPacketBytes, Math.Max(length, 2L * _decoded.Length)));
            }
        }
    }
}
