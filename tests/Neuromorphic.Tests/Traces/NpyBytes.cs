using System.Buffers.Binary;
using System.Text;

namespace Neuromorphic.Tests.Traces;

/// <summary>
/// Builds .npy files byte by byte from a literal header string, independently of the code
/// under test, and encodes values for each dtype with BinaryPrimitives.
/// </summary>
internal static class NpyBytes
{
    public static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// Magic + version + header length + header + data. With <paramref name="align"/> the header
    /// is padded with spaces and '\n' so the data starts at a multiple of 64 (as numpy does);
    /// otherwise only the '\n' is appended.
    /// </summary>
    public static byte[] Build(string dict, byte[] data, int major = 1, bool align = true)
    {
        int prefix = major == 1 ? 10 : 12;
        string header = dict;
        if (align)
        {
            int hlen = Encoding.UTF8.GetByteCount(header) + 1;
            header += new string(' ', 64 - ((prefix + hlen) % 64));
        }

        header += "\n";
        byte[] headerBytes = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var result = new byte[prefix + headerBytes.Length + data.Length];
        Magic.CopyTo(result, 0);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)headerBytes.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)headerBytes.Length);
        }

        headerBytes.CopyTo(result, prefix);
        data.CopyTo(result, prefix + headerBytes.Length);
        return result;
    }

    /// <summary>Encodes values (exactly representable in the dtype) as raw bytes of a descr like '&lt;i2'.</summary>
    public static byte[] Encode(string descr, IReadOnlyList<double> values)
    {
        bool big = descr[0] == '>';
        string type = descr[1..];
        int size = type[1] - '0';
        var bytes = new byte[values.Count * size];
        for (int i = 0; i < values.Count; i++)
        {
            Span<byte> s = bytes.AsSpan(i * size, size);
            double v = values[i];
            switch (type)
            {
                case "b1": s[0] = v != 0 ? (byte)1 : (byte)0; break;
                case "u1": s[0] = (byte)v; break;
                case "i1": s[0] = unchecked((byte)(sbyte)v); break;
                case "i2": if (big) { BinaryPrimitives.WriteInt16BigEndian(s, (short)v); } else { BinaryPrimitives.WriteInt16LittleEndian(s, (short)v); } break;
                case "u2": if (big) { BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)v); } else { BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)v); } break;
                case "i4": if (big) { BinaryPrimitives.WriteInt32BigEndian(s, (int)v); } else { BinaryPrimitives.WriteInt32LittleEndian(s, (int)v); } break;
                case "u4": if (big) { BinaryPrimitives.WriteUInt32BigEndian(s, (uint)v); } else { BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)v); } break;
                case "i8": if (big) { BinaryPrimitives.WriteInt64BigEndian(s, (long)v); } else { BinaryPrimitives.WriteInt64LittleEndian(s, (long)v); } break;
                case "u8": if (big) { BinaryPrimitives.WriteUInt64BigEndian(s, (ulong)v); } else { BinaryPrimitives.WriteUInt64LittleEndian(s, (ulong)v); } break;
                case "f2": if (big) { BinaryPrimitives.WriteHalfBigEndian(s, (Half)v); } else { BinaryPrimitives.WriteHalfLittleEndian(s, (Half)v); } break;
                case "f4": if (big) { BinaryPrimitives.WriteSingleBigEndian(s, (float)v); } else { BinaryPrimitives.WriteSingleLittleEndian(s, (float)v); } break;
                case "f8": if (big) { BinaryPrimitives.WriteDoubleBigEndian(s, v); } else { BinaryPrimitives.WriteDoubleLittleEndian(s, v); } break;
                default: throw new ArgumentException($"test helper cannot encode {descr}");
            }
        }

        return bytes;
    }

    /// <summary>The standard numpy header dict for a C-order array.</summary>
    public static string Dict(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
}

/// <summary>A read-only stream that cannot seek, to exercise the streaming code paths.</summary>
internal sealed class NonSeekableStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
