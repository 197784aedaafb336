namespace Neuromorphic.Sim.Nir;

/// <summary>
/// A read-only file stream that refuses to be read without end. PureHDF follows the offsets a file
/// stores; a damaged HDF5 file can make it decode the same object-header bytes forever, a few
/// bytes per call (found by the fuzz campaign, seed 8: six flipped bits in a NIRGraphData file kept
/// <c>inspect</c> busy for minutes). A well-formed file is read a few times over at most, so a
/// budget of bytes and of read calls proportional to the file's length turns such a cycle into an
/// error within a fraction of a second, without limiting any file the format can describe.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    /// <summary>How many times over a file's bytes may be read in all (assumed: well-formed NIR files are read about twice).</summary>
    private const long BytesPerFileByte = 64;

    /// <summary>Read calls allowed per byte of the file (PureHDF reads header fields a few bytes at a time, each field once).</summary>
    private const long CallsPerFileByte = 4;

    /// <summary>Headroom for tiny files whose superblock and root group are read piecewise.</summary>
    private const long MinimumBytes = 16 << 20, MinimumCalls = 200_000;

    private readonly FileStream _inner;
    private readonly long _byteBudget, _callBudget;
    private long _bytesRead, _calls;

    /// <summary>Opens <paramref name="path"/> for reading with a budget proportional to its length.</summary>
    public BoundedReadStream(string path)
    {
        _inner = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.RandomAccess);
        var length = _inner.Length;
        _byteBudget = MinimumBytes + BytesPerFileByte * length;
        _callBudget = MinimumCalls + CallsPerFileByte * length;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _inner.Length;

    /// <inheritdoc/>
    public override long Position { get => _inner.Position; set => _inner.Position = value; }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        _bytesRead += read;
        if (++_calls > _callBudget || _bytesRead > _byteBudget)
            throw new InvalidDataException(
                $"reading it never ends ({_calls:N0} reads, {_bytesRead:N0} bytes of a {_inner.Length:N0}-byte file): its structure points back into itself");
        return read;
    }

    /// <inheritdoc/>
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
