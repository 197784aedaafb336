using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using K4os.Compression.LZ4.Streams;
using Neuromorphic.Traces.Events;

namespace Neuromorphic.Tests.Traces.Events.Recordings;

/// <summary>
/// Builds AEDAT 4.0 files byte by byte, independently of the reader: FlatBuffers tables laid out
/// by hand (root offset, identifier, vtable, table, then strings and vectors) as the FlatBuffers
/// internals document describes, compressed with the LZ4 and Zstd libraries directly.
/// </summary>
internal static class FlatBytes
{
    /// <summary>The IOHeader: identifier IOHE, compression, data-table position, XML description.</summary>
    public static byte[] IoHeader(int compression, long dataTable, string xml)
    {
        // [0] root offset, [4] "IOHE", [8] vtable (10 bytes) + 2 padding, [20] table:
        // soffset, int32 compression (+4), int64 data table (+8), uoffset string (+16); [40] string.
        byte[] text = Encoding.UTF8.GetBytes(xml);
        var b = new byte[40 + 4 + text.Length + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(b, 20);
        "IOHE"u8.CopyTo(b.AsSpan(4));
        WriteU16(b, 8, 10, 20, 4, 8, 16);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(20), 20 - 8);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), compression);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(28), dataTable);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(36), 40 - 36);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(40), (uint)text.Length);
        text.CopyTo(b.AsSpan(44));
        return b;
    }

    /// <summary>A size-prefixed EventPacket (identifier EVTS): a vector of 16-byte events.</summary>
    public static byte[] EventPacket(IReadOnlyList<DvsEvent> events, string identifier = "EVTS")
    {
        // [0] size prefix, then the buffer: [0] root offset, [4] identifier, [8] vtable (6 bytes)
        // + 2 padding, [16] table: soffset, uoffset (+4) to the vector at [24]: count, events.
        var b = new byte[4 + 28 + 16 * events.Count];
        Span<byte> f = b.AsSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)f.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(f, 16);
        Encoding.ASCII.GetBytes(identifier).CopyTo(f[4..]);
        WriteU16(f, 8, 6, 8, 4);
        BinaryPrimitives.WriteInt32LittleEndian(f[16..], 16 - 8);
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 24 - 20);
        BinaryPrimitives.WriteUInt32LittleEndian(f[24..], (uint)events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            Span<byte> e = f.Slice(28 + 16 * i, 16);
            BinaryPrimitives.WriteInt64LittleEndian(e, events[i].TimeUs);
            BinaryPrimitives.WriteInt16LittleEndian(e[8..], (short)events[i].X);
            BinaryPrimitives.WriteInt16LittleEndian(e[10..], (short)events[i].Y);
            e[12] = events[i].Polarity;
        }

        return b;
    }

    /// <summary>Compresses a payload as the IOHeader's compression code says (0 none, 1/2 LZ4 frame, 3/4 Zstd).</summary>
    public static byte[] Compress(byte[] payload, int compression)
    {
        switch (compression)
        {
            case 0:
                return payload;
            case 1 or 2:
                var writer = new ArrayBufferWriter<byte>();
                LZ4Frame.Encode(payload.AsSpan(), writer);
                return writer.WrittenSpan.ToArray();
            default:
                using (var zstd = new ZstdSharp.Compressor())
                {
                    return zstd.Wrap(payload).ToArray();
                }
        }
    }

    /// <summary>The XML stream description DV writes, one node per (id, type, width, height).</summary>
    public static string Description(params (int Id, string Type, int Width, int Height)[] streams)
    {
        var xml = new StringBuilder("<dv version=\"2.0\">\n<node name=\"outInfo\" path=\"/mainloop/Recorder/outInfo/\">\n");
        foreach (var (id, type, width, height) in streams)
        {
            xml.Append($"<node name=\"{id}\" path=\"/outInfo/{id}/\"><attr key=\"compression\" type=\"string\">LZ4</attr>")
                .Append($"<attr key=\"typeIdentifier\" type=\"string\">{type}</attr>");
            if (width > 0)
            {
                xml.Append($"<node name=\"info\" path=\"/outInfo/{id}/info/\"><attr key=\"sizeX\" type=\"int\">{width}</attr>")
                    .Append($"<attr key=\"sizeY\" type=\"int\">{height}</attr><attr key=\"source\" type=\"string\">TEST_1</attr></node>");
            }

            xml.Append("</node>\n");
        }

        return xml.Append("</node>\n</dv>\n").ToString();
    }

    /// <summary>
    /// A whole AEDAT 4.0 file: magic, IOHeader, the packets (stream id, payload to compress), and
    /// when <paramref name="withTable"/> a data table after them (its content is not read).
    /// </summary>
    public static byte[] File(int compression, string xml, IEnumerable<(int Stream, byte[] Payload)> packets, bool withTable = true)
    {
        var body = new MemoryStream();
        var h = new byte[8];
        foreach (var (stream, payload) in packets)
        {
            byte[] compressed = Compress(payload, compression);
            BinaryPrimitives.WriteInt32LittleEndian(h, stream);
            BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(4), compressed.Length);
            body.Write(h);
            body.Write(compressed);
        }

        byte[] magic = Encoding.ASCII.GetBytes("#!AER-DAT4.0\r\n");
        int headerLength = IoHeader(compression, -1, xml).Length;
        long tableAt = magic.Length + 4 + headerLength + body.Length;
        byte[] header = IoHeader(compression, withTable ? tableAt : -1, xml);
        var file = new MemoryStream();
        file.Write(magic);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, header.Length);
        file.Write(size);
        file.Write(header);
        body.Position = 0;
        body.CopyTo(file);
        if (withTable)
        {
            file.Write(Compress([8, 0, 0, 0, 8, 0, 0, 0, (byte)'F', (byte)'T', (byte)'A', (byte)'B'], compression));
        }

        return file.ToArray();
    }

    private static void WriteU16(Span<byte> b, int at, params int[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[(at + 2 * i)..], (ushort)values[i]);
        }
    }
}
