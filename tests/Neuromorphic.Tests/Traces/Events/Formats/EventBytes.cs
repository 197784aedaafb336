using System.Buffers.Binary;
using System.Text;

namespace Neuromorphic.Tests.Traces.Events.Formats;

/// <summary>
/// Builds event files byte by byte, independently of the code under test: literal header
/// strings and records encoded with BinaryPrimitives.
/// </summary>
internal sealed class EventBytes
{
    private readonly MemoryStream _bytes = new();

    /// <summary>Bytes written so far (the offset of the next record).</summary>
    public long Length => _bytes.Length;

    public EventBytes Text(string ascii)
    {
        _bytes.Write(Encoding.ASCII.GetBytes(ascii));
        return this;
    }

    public EventBytes Raw(params byte[] bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    /// <summary>An AEDAT 2.0 event: big-endian address and timestamp.</summary>
    public EventBytes BigEndianEvent(uint address, uint timestamp)
    {
        Span<byte> e = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(e, address);
        BinaryPrimitives.WriteUInt32BigEndian(e[4..], timestamp);
        _bytes.Write(e);
        return this;
    }

    /// <summary>A Prophesee CD event: little-endian t and w.</summary>
    public EventBytes DatEvent(uint t, uint w)
    {
        Span<byte> e = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(e, t);
        BinaryPrimitives.WriteUInt32LittleEndian(e[4..], w);
        _bytes.Write(e);
        return this;
    }

    /// <summary>An AEDAT 3.1 packet header (28 bytes, little-endian).</summary>
    public EventBytes PacketHeader(
        short type, int eventSize, int overflow, int capacity, int number, int valid, short source = 1, int tsOffset = 4)
    {
        Span<byte> h = stackalloc byte[28];
        BinaryPrimitives.WriteInt16LittleEndian(h, type);
        BinaryPrimitives.WriteInt16LittleEndian(h[2..], source);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], eventSize);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], tsOffset);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], overflow);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], capacity);
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], number);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], valid);
        _bytes.Write(h);
        return this;
    }

    /// <summary>An AEDAT 3.1 polarity event: u32 data (valid, polarity, y, x) and i32 timestamp.</summary>
    public EventBytes PolarityEvent(int x, int y, int polarity, int timestamp, bool valid = true)
    {
        uint data = (valid ? 1u : 0u) | (uint)polarity << 1 | (uint)y << 2 | (uint)x << 17;
        Span<byte> e = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(e, data);
        BinaryPrimitives.WriteInt32LittleEndian(e[4..], timestamp);
        _bytes.Write(e);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
