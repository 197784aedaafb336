namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// A read-only view of a seekable stream that reports the share read so far (0 to 1) at most
/// once per <see cref="ReportEvery"/> bytes, for progress bars over long recordings.
/// </summary>
internal sealed class ProgressStream(Stream inner, Action<double> progress) : Stream
{
    public const long ReportEvery = 4 << 20;

    private readonly long _length = inner.CanSeek ? Math.Max(1, inner.Length) : 0;
    private long _lastReported;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Report(inner.Read(buffer));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Report(int read)
    {
        if (_length > 0 && (inner.Position - _lastReported >= ReportEvery || read == 0))
        {
            _lastReported = inner.Position;
            progress(Math.Min(1.0, inner.Position / (double)_length));
        }

        return read;
    }
}
