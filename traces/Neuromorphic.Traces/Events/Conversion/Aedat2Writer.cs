using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Traces.Events.Formats;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// Writes AEDAT 2.0 (see <see cref="Aedat2"/>): the magic line, three comment lines (the first
/// names the layout, <see cref="Aedat2.LayoutComment"/>, so the file reads back without one), the
/// end-of-header line, then one big-endian address (in <paramref name="layout"/>) and timestamp
/// (the time modulo 2^32) per event. Events must lie on the layout's sensor, times must not be
/// negative and consecutive events at most 2^31 - 1 µs apart. A null layout is chosen from the
/// sensor at <see cref="EventWriter.Begin"/>: DVS128 up to 128 x 128, else DAVIS346.
/// </summary>
public sealed class Aedat2Writer(Stream stream, Aedat2Layout? layout) : BufferedEventWriter(stream)
{
    private long _previousUs;
    private Aedat2Layout _layout = layout ?? Aedat2Layout.Dvs128;

    /// <summary>The layout written (after <see cref="EventWriter.Begin"/> when chosen from the sensor).</summary>
    public Aedat2Layout Layout => _layout;

    /// <inheritdoc/>
    protected override void WriteHeader()
    {
        _layout = layout ?? (Info.Width <= Aedat2.Dvs128Size && Info.Height <= Aedat2.Dvs128Size ? Aedat2Layout.Dvs128 : Aedat2Layout.Davis346);
        string header =
            Aedat2.Magic + "\r\n" +
            Aedat2.LayoutComment(_layout) + "\r\n" +
            "# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event\r\n" +
            "# Timestamps tick is 1 us\r\n" +
            Aedat2.EndOfHeader + "\r\n";
        Stream.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        (int width, int height) = Aedat2.SensorSize(_layout);
        foreach (DvsEvent e in events)
        {
            if (e.X >= width || e.Y >= height)
            {
                throw new ArgumentException($"event {Written} at ({e.X}, {e.Y}) lies outside the {Aedat2LayoutNames.Name(_layout)} sensor ({width} x {height})");
            }

            Timestamp32.CheckWritable(e.TimeUs, _previousUs, (int)Math.Min(Written, int.MaxValue));
            _previousUs = e.TimeUs;
            Span<byte> r = Next(Aedat2.EventSize);
            BinaryPrimitives.WriteUInt32BigEndian(r, Aedat2.Address(e, _layout));
            BinaryPrimitives.WriteUInt32BigEndian(r[4..], unchecked((uint)e.TimeUs));
            Written++;
        }
    }
}
