using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Traces.Events.Formats;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// Writes AEDAT 3.1 (see <see cref="Aedat31"/>): a header naming the sensor size, then polarity
/// packets (eventSource 1) of at most <see cref="Aedat31.MaxEventsPerPacket"/> events, all
/// valid, a new packet starting wherever the time's overflow count (time &gt;&gt; 31) changes.
/// x and y must be below 32768 and times not negative.
/// </summary>
public sealed class Aedat31Writer(Stream stream) : EventWriter(stream)
{
    private readonly byte[] _packet = new byte[Aedat31.PacketHeaderSize + Aedat31.MaxEventsPerPacket * Aedat31.PolarityEventSize];
    private int _count;
    private long _overflow = -1;

    /// <inheritdoc/>
    protected override void WriteHeader()
    {
        string header =
            Aedat31.Magic + "\r\n" +
            "#Format: RAW\r\n" +
            $"#Source 1: EventStream sizeX={Info.Width} sizeY={Info.Height}\r\n" +
            Aedat31.EndOfHeader + "\r\n";
        Stream.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        foreach (DvsEvent e in events)
        {
            if (e.TimeUs < 0)
            {
                throw new ArgumentException($"event {Written} has negative time {e.TimeUs} us");
            }

            long overflow = e.TimeUs >> 31;
            if (overflow > int.MaxValue)
            {
                throw new ArgumentException($"event {Written} at {e.TimeUs} us is beyond the format's 62-bit time range");
            }

            if (e.X > 0x7FFF || e.Y > 0x7FFF)
            {
                throw new ArgumentException($"event {Written} at ({e.X}, {e.Y}) does not fit the format's 15-bit coordinates");
            }

            if (overflow != _overflow || _count == Aedat31.MaxEventsPerPacket)
            {
                FlushPacket();
                _overflow = overflow;
            }

            uint data = 1u | (uint)e.Polarity << 1 | (uint)e.Y << 2 | (uint)e.X << 17;
            Span<byte> slot = _packet.AsSpan(Aedat31.PacketHeaderSize + _count * Aedat31.PolarityEventSize);
            BinaryPrimitives.WriteUInt32LittleEndian(slot, data);
            BinaryPrimitives.WriteInt32LittleEndian(slot[4..], (int)(e.TimeUs & int.MaxValue));
            _count++;
            Written++;
        }
    }

    /// <inheritdoc/>
    public override void Complete() => FlushPacket();

    private void FlushPacket()
    {
        if (_count == 0)
        {
            return;
        }

        new Aedat31.PacketHeader(
            Aedat31.PolarityEventType, 1, Aedat31.PolarityEventSize, Aedat31.PolarityTimestampOffset, (int)_overflow, _count, _count, _count)
            .WriteTo(_packet);
        Stream.Write(_packet, 0, Aedat31.PacketHeaderSize + _count * Aedat31.PolarityEventSize);
        _count = 0;
    }
}
