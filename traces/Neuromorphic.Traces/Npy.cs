using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Neuromorphic.Traces;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// <para>
/// Layout: the magic <c>\x93NUMPY</c>, major and minor version bytes, the header length (u16
/// little-endian for 1.0, u32 for 2.0/3.0), then the header: a Python dict literal with the keys
/// <c>'descr'</c>, <c>'fortran_order'</c> and <c>'shape'</c> (Latin-1 for 1.0/2.0, UTF-8 for
/// 3.0), padded with spaces and ending in <c>'\n'</c>; the raw data follows.
/// </para>
/// <para>
/// Supported element types: <c>b1</c>, <c>u1</c>, <c>i1</c>, <c>i2</c>, <c>u2</c>, <c>i4</c>,
/// <c>u4</c>, <c>i8</c>, <c>u8</c>, <c>f2</c>, <c>f4</c>, <c>f8</c> with byte order <c>&lt;</c>,
/// <c>&gt;</c>, <c>=</c> (native) or <c>|</c>. Structured, complex, string and object arrays
/// are rejected. Arrays in Fortran order are transposed to C order when converted.
/// </para>
/// <para>
/// Malformed files raise <see cref="InputFormatException"/> with a byte offset: <c>byte 0</c>
/// for a bad magic, <c>byte 6</c> for an unsupported version, the header start (<c>byte 10</c>
/// or <c>byte 12</c>) for a header that does not parse or describes an unsupported array, and
/// the data start for truncated data.
/// </para>
/// </remarks>
public static class Npy
{
    /// <summary>Largest header accepted (numpy itself refuses more than 10000 characters by default).</summary>
    private const int MaxHeaderLength = 1 << 20;

    private const int ArrayAlign = 64;

    /// <summary>Element counts are clamped here while multiplying dimensions (larger than any array).</summary>
    private const long ProductCap = long.MaxValue / int.MaxValue;

    /// <summary>numpy leaves room for the first axis to grow to this many digits.</summary>
    private const int GrowthAxisMaxDigits = 21;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The array.</returns>
    /// <exception cref="InputFormatException">The file is not a supported, well-formed <c>.npy</c> file.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a <c>.npy</c> array from a stream, starting at its current position.</summary>
    /// <param name="stream">The stream; byte offsets in errors count from its starting position.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <returns>The array.</returns>
    /// <exception cref="InputFormatException">The data is not a supported, well-formed <c>.npy</c> array.</exception>
    public static NpyArray Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);

        // Magic and version.
        Span<byte> preamble = stackalloc byte[12];
        int n = stream.ReadAtLeast(preamble[..8], 8, throwOnEndOfStream: false);
        if (n < Magic.Length || !preamble[..Magic.Length].SequenceEqual(Magic))
        {
            string problem = n == 0
                ? "file is empty (expected a .npy file starting with \\x93NUMPY)"
                : "not a .npy file (bad magic, expected \\x93NUMPY)";
            throw new InputFormatException(fileName, "byte 0", problem);
        }

        if (n < 8)
        {
            throw new InputFormatException(fileName, "byte 6", "file ends before the format version");
        }

        byte major = preamble[6];
        byte minor = preamble[7];
        int lengthSize = (major, minor) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw new InputFormatException(
                fileName, "byte 6", $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)"),
        };

        // Header length and header text.
        n = stream.ReadAtLeast(preamble.Slice(8, lengthSize), lengthSize, throwOnEndOfStream: false);
        if (n < lengthSize)
        {
            throw new InputFormatException(fileName, "byte 8", "file ends inside the header length");
        }

        long headerLength = lengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble.Slice(8, 4));
        int headerStart = 8 + lengthSize;
        string headerLocation = $"byte {headerStart}";
        if (headerLength > MaxHeaderLength)
        {
            throw new InputFormatException(
                fileName, "byte 8", $"header length {headerLength} is too large (at most {MaxHeaderLength} bytes supported)");
        }

        var headerBytes = new byte[headerLength];
        n = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (n < headerBytes.Length)
        {
            throw new InputFormatException(
                fileName, headerLocation, $"header truncated: expected {headerLength} bytes, found {n}");
        }

        string header;
        if (major >= 3)
        {
            try
            {
                header = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new InputFormatException(fileName, headerLocation, "header is not valid UTF-8", e);
            }
        }
        else
        {
            header = Encoding.Latin1.GetString(headerBytes);
        }

        (string descr, NpyDtype dtype, bool fortranOrder, int[] shape, long count) =
            ParseHeader(header, fileName, headerLocation);

        // Data.
        long dataStart = headerStart + headerLength;
        long expectedBytes = count * dtype.Size;
        if (expectedBytes > Array.MaxLength)
        {
            throw new InputFormatException(
                fileName, headerLocation, $"array of shape {FormatShape(shape)} and dtype '{descr}' is too large ({expectedBytes} bytes)");
        }

        if (stream.CanSeek)
        {
            // Fail before allocating a large buffer for data that is not there.
            long available = Math.Max(0, stream.Length - stream.Position);
            if (available < expectedBytes)
            {
                throw Truncated(fileName, dataStart, expectedBytes, available);
            }
        }

        var data = new byte[expectedBytes];
        if (data.Length > 0)
        {
            n = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (n < data.Length)
            {
                throw Truncated(fileName, dataStart, expectedBytes, n);
            }
        }

        return new NpyArray(fileName, headerStart, shape, fortranOrder, descr, dtype, data);
    }

    /// <summary>
    /// Reads a <c>.npy</c> file as a spike raster: shape (timesteps, channels), or (timesteps,)
    /// for a single channel. Any supported dtype is converted to float32.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The raster.</returns>
    /// <exception cref="InputFormatException">The file is malformed or the array is not 1-D or 2-D.</exception>
    public static SpikeRaster ReadRaster(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return ReadRaster(stream, path);
    }

    /// <summary>Reads a <c>.npy</c> array from a stream as a spike raster (see <see cref="ReadRaster(string)"/>).</summary>
    /// <param name="stream">The stream, positioned at the start of the array.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <returns>The raster.</returns>
    /// <exception cref="InputFormatException">The data is malformed or the array is not 1-D or 2-D.</exception>
    public static SpikeRaster ReadRaster(Stream stream, string fileName)
    {
        NpyArray array = Read(stream, fileName);
        int[] shape = array.Shape;
        return shape.Length switch
        {
            2 => new SpikeRaster(shape[0], shape[1], array.ToSingleArray()),
            1 => new SpikeRaster(shape[0], 1, array.ToSingleArray()),
            _ => throw new InputFormatException(
                fileName,
                $"byte {array.HeaderOffset}",
                $"a spike raster must have shape (timesteps, channels) or (timesteps,), found shape {FormatShape(shape)}"),
        };
    }

    /// <summary>
    /// Writes float32 data as a version 1.0 <c>.npy</c> file (<c>'&lt;f4'</c>, C order), atomically
    /// (see <see cref="AtomicFile"/>). The header is padded like numpy's so the data starts at a
    /// multiple of 64 bytes.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="data">The values in C (row-major) order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values. Empty for a scalar.</param>
    public static void Write(string path, ReadOnlySpan<float> data, int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] header = BuildHeader("<f4", shape, data.Length);
        using AtomicFileTransaction transaction = AtomicFile.Begin(path);
        transaction.Stream.Write(header);
        WriteLittleEndian(transaction.Stream, data);
        transaction.Commit();
    }

    /// <summary>
    /// Writes float64 data as a version 1.0 <c>.npy</c> file (<c>'&lt;f8'</c>, C order), atomically
    /// (see <see cref="AtomicFile"/>).
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="data">The values in C (row-major) order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values. Empty for a scalar.</param>
    public static void Write(string path, ReadOnlySpan<double> data, int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] header = BuildHeader("<f8", shape, data.Length);
        using AtomicFileTransaction transaction = AtomicFile.Begin(path);
        transaction.Stream.Write(header);
        WriteLittleEndian(transaction.Stream, data);
        transaction.Commit();
    }

    /// <summary>Writes float32 data in <c>.npy</c> format (<c>'&lt;f4'</c>, C order, version 1.0) to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="data">The values in C (row-major) order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values. Empty for a scalar.</param>
    public static void Write(Stream stream, ReadOnlySpan<float> data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(BuildHeader("<f4", shape, data.Length));
        WriteLittleEndian(stream, data);
    }

    /// <summary>Writes float64 data in <c>.npy</c> format (<c>'&lt;f8'</c>, C order, version 1.0) to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="data">The values in C (row-major) order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values. Empty for a scalar.</param>
    public static void Write(Stream stream, ReadOnlySpan<double> data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(BuildHeader("<f8", shape, data.Length));
        WriteLittleEndian(stream, data);
    }

    /// <summary>Writes a raster as a (timesteps, channels) <c>'&lt;f4'</c> <c>.npy</c> file, atomically.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="raster">The raster.</param>
    public static void Write(string path, SpikeRaster raster)
    {
        ArgumentNullException.ThrowIfNull(raster);
        Write(path, raster.Data, [raster.Timesteps, raster.Channels]);
    }

    /// <summary>Formats a shape as Python does: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    internal static string FormatShape(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    private static InputFormatException Truncated(string fileName, long dataStart, long expected, long found) =>
        new(fileName, $"byte {dataStart}", $"expected {expected} bytes of data, found {found}");

    private static (string Descr, NpyDtype Dtype, bool FortranOrder, int[] Shape, long Count) ParseHeader(
        string header, string fileName, string location)
    {
        object? parsed;
        try
        {
            parsed = PyLiteral.Parse(header);
        }
        catch (PyLiteralException e)
        {
            throw new InputFormatException(
                fileName, location, $"header does not parse: {e.Message} at character {e.Position} of {Quote(header)}", e);
        }

        if (parsed is not Dictionary<string, object?> dict)
        {
            throw new InputFormatException(fileName, location, $"header is not a dictionary: {Quote(header)}");
        }

        string[] expectedKeys = ["descr", "fortran_order", "shape"];
        foreach (string key in expectedKeys)
        {
            if (!dict.ContainsKey(key))
            {
                throw new InputFormatException(fileName, location, $"header has no '{key}' key: {Quote(header)}");
            }
        }

        foreach (string key in dict.Keys)
        {
            if (!expectedKeys.Contains(key))
            {
                throw new InputFormatException(fileName, location, $"header has an unexpected key '{key}'");
            }
        }

        string descr = dict["descr"] switch
        {
            string s => s,
            PyLiteral.PyList => throw new InputFormatException(
                fileName, location, $"structured dtype {PyLiteral.Repr(dict["descr"])} is not supported"),
            var other => throw new InputFormatException(
                fileName, location, $"descr is not a dtype string: {PyLiteral.Repr(other)}"),
        };
        if (!NpyDtype.TryParse(descr, out NpyDtype dtype))
        {
            throw new InputFormatException(
                fileName,
                location,
                $"unsupported dtype '{descr}' (supported: b1, u1, i1, i2, u2, i4, u4, i8, u8, f2, f4, f8)");
        }

        if (dict["fortran_order"] is not bool fortranOrder)
        {
            throw new InputFormatException(
                fileName, location, $"fortran_order is not True or False: {PyLiteral.Repr(dict["fortran_order"])}");
        }

        if (dict["shape"] is not PyLiteral.PyTuple tuple)
        {
            throw new InputFormatException(
                fileName, location, $"shape is not a tuple: {PyLiteral.Repr(dict["shape"])}");
        }

        var shape = new int[tuple.Items.Count];
        long count = 1;
        for (int k = 0; k < shape.Length; k++)
        {
            if (tuple.Items[k] is not BigInteger dim || dim < 0 || dim > int.MaxValue)
            {
                throw new InputFormatException(
                    fileName, location, $"shape {PyLiteral.Repr(tuple)} is not a tuple of non-negative integers");
            }

            shape[k] = (int)dim;
            count = Math.Min(count * shape[k], ProductCap); // no overflow: both factors < 2^32
        }

        if (count > Array.MaxLength)
        {
            throw new InputFormatException(
                fileName, location, $"array of shape {FormatShape(shape)} has too many elements");
        }

        return (descr, dtype, fortranOrder, shape, count);
    }

    private static string Quote(string header)
    {
        const int max = 200;
        string text = header.TrimEnd();
        if (text.Length > max)
        {
            text = text[..max] + "...";
        }

        return "\"" + text.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Builds the magic, version, length and padded header, exactly as numpy's <c>np.save</c> does.</summary>
    private static byte[] BuildHeader(string descr, int[] shape, int count)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape {FormatShape(shape)} has a negative dimension", nameof(shape));
            }

            product = Math.Min(product * d, ProductCap);
        }

        if (product != count)
        {
            throw new ArgumentException(
                $"shape {FormatShape(shape)} needs {product} values but the data has {count}", nameof(shape));
        }

        var text = new StringBuilder();
        text.Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': ")
            .Append(FormatShape(shape)).Append(", }");
        if (shape.Length > 0)
        {
            // Room for the first axis to grow in place, as numpy leaves.
            int digits = shape[0].ToString(CultureInfo.InvariantCulture).Length;
            text.Append(' ', Math.Max(0, GrowthAxisMaxDigits - digits));
        }

        int textLength = text.Length + 1; // + '\n'
        bool version1 = textLength + ArrayAlign <= ushort.MaxValue;
        int prefixLength = version1 ? 10 : 12;
        int padding = ArrayAlign - ((prefixLength + textLength) % ArrayAlign);
        text.Append(' ', padding).Append('\n');

        byte[] headerText = Encoding.ASCII.GetBytes(text.ToString());
        var result = new byte[prefixLength + headerText.Length];
        Magic.CopyTo(result);
        result[6] = version1 ? (byte)1 : (byte)2;
        result[7] = 0;
        if (version1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)headerText.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)headerText.Length);
        }

        headerText.CopyTo(result, prefixLength);
        return result;
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }

        Span<byte> buffer = stackalloc byte[4096];
        while (!data.IsEmpty)
        {
            int chunk = Math.Min(data.Length, buffer.Length / 4);
            for (int i = 0; i < chunk; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer[(i * 4)..], data[i]);
            }

            stream.Write(buffer[..(chunk * 4)]);
            data = data[chunk..];
        }
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<double> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }

        Span<byte> buffer = stackalloc byte[4096];
        while (!data.IsEmpty)
        {
            int chunk = Math.Min(data.Length, buffer.Length / 8);
            for (int i = 0; i < chunk; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer[(i * 8)..], data[i]);
            }

            stream.Write(buffer[..(chunk * 8)]);
            data = data[chunk..];
        }
    }
}
