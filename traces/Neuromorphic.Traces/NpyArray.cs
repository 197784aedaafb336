using System.Buffers.Binary;
using System.Numerics;

namespace Neuromorphic.Traces;

/// <summary>
/// An array read from a NumPy <c>.npy</c> file: its shape, element type and raw data, with
/// conversions to <see cref="double"/> or <see cref="float"/> in C (row-major) order.
/// </summary>
public sealed class NpyArray
{
    private readonly int[] _shape;
    private readonly byte[] _data;
    private readonly NpyDtype _dtype;

    internal NpyArray(string fileName, long headerOffset, int[] shape, bool fortranOrder, string descr, NpyDtype dtype, byte[] data)
    {
        FileName = fileName;
        HeaderOffset = headerOffset;
        _shape = shape;
        FortranOrder = fortranOrder;
        Descr = descr;
        _dtype = dtype;
        _data = data;
        Length = (int)(data.Length / dtype.Size);
    }

    /// <summary>The file name given when reading (used in error messages).</summary>
    public string FileName { get; }

    /// <summary>The dimensions (a copy); empty for a scalar.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public int Length { get; }

    /// <summary>Whether the data was stored in Fortran (column-major) order in the file.</summary>
    public bool FortranOrder { get; }

    /// <summary>The element type as written in the file, e.g. <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    /// <summary>Byte offset of the header text in the file (10 for version 1.0, 12 for 2.0/3.0).</summary>
    internal long HeaderOffset { get; }

    /// <summary>The values converted to <see cref="double"/>, in C (row-major) order.</summary>
    /// <returns>A new array of <see cref="Length"/> values. Booleans become 0 or 1; 64-bit integers beyond 2^53 are rounded.</returns>
    public double[] ToDoubleArray() => Convert<double>();

    /// <summary>The values converted to <see cref="float"/>, in C (row-major) order.</summary>
    /// <returns>A new array of <see cref="Length"/> values. Booleans become 0 or 1; wide values are rounded to nearest.</returns>
    public float[] ToSingleArray() => Convert<float>();

    /// <inheritdoc/>
    public override string ToString() =>
        $"NpyArray[{Descr}, shape {Npy.FormatShape(_shape)}{(FortranOrder ? ", fortran order" : "")}]";

    private T[] Convert<T>()
        where T : INumberBase<T>
    {
        var values = new T[Length];
        Decode(_data, _dtype, values);
        return FortranOrder && _shape.Length >= 2 ? FortranToC(values, _shape) : values;
    }

    private static void Decode<T>(ReadOnlySpan<byte> raw, NpyDtype dtype, Span<T> dst)
        where T : INumberBase<T>
    {
        bool big = dtype.BigEndian;
        switch (dtype.Kind, dtype.Size)
        {
            case ('b', 1):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = raw[i] != 0 ? T.One : T.Zero;
                }

                break;
            case ('u', 1):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = T.CreateTruncating(raw[i]);
                }

                break;
            case ('i', 1):
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = T.CreateTruncating((sbyte)raw[i]);
                }

                break;
            case ('i', 2):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 2, 2);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b));
                }

                break;
            case ('u', 2):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 2, 2);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b));
                }

                break;
            case ('i', 4):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 4, 4);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b));
                }

                break;
            case ('u', 4):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 4, 4);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b));
                }

                break;
            case ('i', 8):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 8, 8);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b));
                }

                break;
            case ('u', 8):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 8, 8);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b));
                }

                break;
            case ('f', 2):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 2, 2);
                    Half h = big ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b);
                    dst[i] = T.CreateTruncating((double)h);
                }

                break;
            case ('f', 4):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 4, 4);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b));
                }

                break;
            case ('f', 8):
                for (int i = 0; i < dst.Length; i++)
                {
                    ReadOnlySpan<byte> b = raw.Slice(i * 8, 8);
                    dst[i] = T.CreateTruncating(big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b));
                }

                break;
            default:
                throw new InvalidOperationException($"unsupported dtype {dtype}");
        }
    }

    /// <summary>Reorders column-major values (first index fastest) into row-major order.</summary>
    private static T[] FortranToC<T>(T[] source, int[] shape)
    {
        var result = new T[source.Length];
        if (result.Length == 0)
        {
            return result;
        }

        int rank = shape.Length;
        var stride = new long[rank]; // Fortran-order stride of each axis
        stride[0] = 1;
        for (int k = 1; k < rank; k++)
        {
            stride[k] = stride[k - 1] * shape[k - 1];
        }

        var index = new int[rank];
        long f = 0;
        for (int c = 0; c < result.Length; c++)
        {
            result[c] = source[f];

            // Advance the C-order multi-index (last axis fastest), tracking the Fortran offset.
            for (int k = rank - 1; k >= 0; k--)
            {
                f += stride[k];
                if (++index[k] < shape[k])
                {
                    break;
                }

                f -= stride[k] * shape[k];
                index[k] = 0;
            }
        }

        return result;
    }
}

/// <summary>A supported <c>.npy</c> element type: kind ('b', 'i', 'u', 'f'), size in bytes and byte order.</summary>
internal readonly record struct NpyDtype(char Kind, int Size, bool BigEndian)
{
    /// <summary>Parses a simple descr such as <c>&lt;f4</c>, <c>|u1</c> or <c>=i8</c>.</summary>
    public static bool TryParse(string descr, out NpyDtype dtype)
    {
        dtype = default;
        ReadOnlySpan<char> s = descr;
        char order = '=';
        if (s.Length > 0 && s[0] is '<' or '>' or '=' or '|')
        {
            order = s[0];
            s = s[1..];
        }

        (char kind, int size) = s switch
        {
            "b1" => ('b', 1),
            "u1" => ('u', 1),
            "i1" => ('i', 1),
            "i2" => ('i', 2),
            "u2" => ('u', 2),
            "i4" => ('i', 4),
            "u4" => ('u', 4),
            "i8" => ('i', 8),
            "u8" => ('u', 8),
            "f2" => ('f', 2),
            "f4" => ('f', 4),
            "f8" => ('f', 8),
            _ => ('\0', 0),
        };
        if (size == 0)
        {
            return false;
        }

        // '|' (not applicable) and '=' (native) both mean the machine's order for multi-byte
        // types, as numpy's np.dtype('|i4') does.
        bool big = order switch
        {
            '>' => true,
            '<' => false,
            _ => !BitConverter.IsLittleEndian,
        };
        dtype = new NpyDtype(kind, size, size > 1 && big);
        return true;
    }
}
