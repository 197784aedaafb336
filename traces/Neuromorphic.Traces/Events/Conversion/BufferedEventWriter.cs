namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>A writer of fixed-size binary records through one 64 KiB buffer.</summary>
public abstract class BufferedEventWriter : EventWriter
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;

    /// <summary>Creates the writer.</summary>
    /// <param name="stream">The destination.</param>
    protected BufferedEventWriter(Stream stream)
        : base(stream)
    {
    }

    /// <summary>A span of <paramref name="size"/> bytes to fill, flushing the buffer first if needed.</summary>
    protected Span<byte> Next(int size)
    {
        if (_used + size > _buffer.Length)
        {
            Flush();
        }

        Span<byte> slot = _buffer.AsSpan(_used, size);
        _used += size;
        return slot;
    }

    /// <summary>Writes the buffered bytes to the stream.</summary>
    protected void Flush()
    {
        Stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <inheritdoc/>
    public override void Complete() => Flush();
}
