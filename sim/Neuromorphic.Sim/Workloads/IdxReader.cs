using System.Buffers.Binary;
using System.IO.Compression;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (LeCun's format): a big-endian magic number
/// whose third byte is the element type (0x08 = unsigned byte) and fourth the number of
/// dimensions, then one big-endian 32-bit size per dimension, then the data. Images are
/// <c>0x00000803</c> (count, rows, columns), labels <c>0x00000801</c> (count). Gzip-compressed
/// files (as Debian ships them) are recognised by their content, whatever their name.
/// </summary>
/// <remarks>
/// Malformed input raises <see cref="InputFormatException"/> naming the file and the byte offset
/// (in the decompressed data) where it went wrong.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (<c>*-images-idx3-ubyte</c>, optionally gzipped).</summary>
    /// <exception cref="InputFormatException">The file is not a complete unsigned-byte 3-D IDX file.</exception>
    public static IdxImageSet ReadImages(string path)
    {
        using var stream = OpenFile(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an image file from a stream (plain or gzipped).</summary>
    /// <param name="stream">The data, from its current position; not disposed.</param>
    /// <param name="fileName">The name used in error messages.</param>
    public static IdxImageSet ReadImages(Stream stream, string fileName)
    {
        using var data = Decompressed(stream);
        var dims = ReadHeader(data, fileName, ImagesMagic, "images (unsigned byte, 3 dimensions)");
        var (count, rows, columns) = (dims[0], dims[1], dims[2]);
        if (rows == 0 || columns == 0) throw new InputFormatException(fileName, "byte 8", $"images of {rows} x {columns} pixels are empty");
        var size = (long)count * rows * columns;
        if (size > Array.MaxLength) throw new InputFormatException(fileName, "byte 4", $"{count} images of {rows} x {columns} are too many to hold");
        var pixels = ReadExactly(data, fileName, 16, (int)size, $"{count} images of {rows} x {columns}");
        return new IdxImageSet(count, rows, columns, pixels);
    }

    /// <summary>Reads a label file (<c>*-labels-idx1-ubyte</c>, optionally gzipped).</summary>
    /// <exception cref="InputFormatException">The file is not a complete unsigned-byte 1-D IDX file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = OpenFile(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads a label file from a stream (plain or gzipped).</summary>
    /// <param name="stream">The data, from its current position; not disposed.</param>
    /// <param name="fileName">The name used in error messages.</param>
    public static byte[] ReadLabels(Stream stream, string fileName)
    {
        using var data = Decompressed(stream);
        var dims = ReadHeader(data, fileName, LabelsMagic, "labels (unsigned byte, 1 dimension)");
        return ReadExactly(data, fileName, 8, dims[0], $"{dims[0]} labels");
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
    }

    /// <summary>The stream itself, or a gunzipping view of it if it starts with the gzip signature 1F 8B.</summary>
    private static Stream Decompressed(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Peek two bytes without needing a seekable stream: buffer them and replay.
        var head = new byte[2];
        var got = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        var replay = new ConcatenatedStream(head.AsMemory(0, got), stream);
        return got == 2 && head[0] == 0x1F && head[1] == 0x8B ? new GZipStream(replay, CompressionMode.Decompress) : replay;
    }

    private static int[] ReadHeader(Stream data, string fileName, int expectedMagic, string expectedKind)
    {
        var magicBytes = ReadExactly(data, fileName, 0, 4, "the magic number");
        var magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
            throw new InputFormatException(fileName, "byte 0", $"magic number 0x{magic:X8} is not 0x{expectedMagic:X8}, {expectedKind}");
        var rank = expectedMagic & 0xFF;
        var dims = new int[rank];
        var dimBytes = ReadExactly(data, fileName, 4, 4 * rank, $"{rank} dimension sizes");
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (dims[i] < 0) throw new InputFormatException(fileName, $"byte {4 + 4 * i}", $"dimension {i} has size {(uint)dims[i]}, too large");
        }
        return dims;
    }

    private static byte[] ReadExactly(Stream data, string fileName, long offset, int count, string what)
    {
        var buffer = new byte[count];
        int got;
        try
        {
            got = data.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InputFormatException(fileName, $"byte {offset}", $"corrupt gzip data ({e.Message})", e);
        }
        if (got < count) throw new InputFormatException(fileName, $"byte {offset + got}", $"truncated: expected {what} ({count} bytes from byte {offset}), found {got}");
        return buffer;
    }

    /// <summary>A read-only stream that yields some buffered bytes, then the rest of another stream (left open).</summary>
    private sealed class ConcatenatedStream(ReadOnlyMemory<byte> head, Stream tail) : Stream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_head.IsEmpty) return tail.Read(buffer);
            var n = Math.Min(buffer.Length, _head.Length);
            _head.Span[..n].CopyTo(buffer);
            _head = _head[n..];
            return n;
        }
    }
}
