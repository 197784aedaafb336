using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// Writes events as a NumPy <c>.npy</c> (version 1.0) structured array with the fields
/// <c>t</c> (<c>&lt;i8</c>, µs), <c>x</c> (<c>&lt;u2</c>), <c>y</c> (<c>&lt;u2</c>) and <c>p</c>
/// (<c>|u1</c>, 1 = ON), 13 bytes per event, shape <c>(N,)</c>: what
/// <c>numpy.load(path)</c> returns as a record array (<c>a['x']</c>, ...).
/// </summary>
/// <remarks>
/// The count is unknown until the end, so the header leaves room for a 20-digit count and is
/// rewritten in place by <see cref="Complete"/>: the stream must be seekable.
/// </remarks>
public sealed class NpyEventWriter(Stream stream) : BufferedEventWriter(stream)
{
    /// <summary>The dtype descriptor written.</summary>
    public const string Descr = "[('t', '<i8'), ('x', '<u2'), ('y', '<u2'), ('p', '|u1')]";

    /// <summary>Bytes per event.</summary>
    public const int RecordSize = 13;

    private long _headerAt;

    /// <inheritdoc/>
    protected override void WriteHeader()
    {
        if (!Stream.CanSeek)
        {
            throw new ArgumentException("an .npy event file needs a seekable stream (the count is written last)");
        }

        _headerAt = Stream.Position;
        Stream.Write(Header(0));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        foreach (DvsEvent e in events)
        {
            Span<byte> r = Next(RecordSize);
            BinaryPrimitives.WriteInt64LittleEndian(r, e.TimeUs);
            BinaryPrimitives.WriteUInt16LittleEndian(r[8..], e.X);
            BinaryPrimitives.WriteUInt16LittleEndian(r[10..], e.Y);
            r[12] = e.Polarity;
            Written++;
        }
    }

    /// <inheritdoc/>
    public override void Complete()
    {
        base.Complete();
        long end = Stream.Position;
        Stream.Position = _headerAt;
        Stream.Write(Header(Written));
        Stream.Position = end;
    }

    /// <summary>The magic, version 1.0, and a header padded so the data starts at a multiple of 64 bytes.</summary>
    private static byte[] Header(long count)
    {
        string dict = $"{{'descr': {Descr}, 'fortran_order': False, 'shape': ({count.ToString(CultureInfo.InvariantCulture)},), }}";
        // Pad for the longest count, so the rewritten header has the same length.
        int length = 10 + dict.Length + (20 - count.ToString(CultureInfo.InvariantCulture).Length) + 1;
        int padded = (length + 63) / 64 * 64;
        string text = dict + new string(' ', padded - 10 - dict.Length - 1) + "\n";
        var header = new byte[padded];
        header[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(header, 1);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(padded - 10));
        Encoding.ASCII.GetBytes(text).CopyTo(header, 10);
        return header;
    }
}
