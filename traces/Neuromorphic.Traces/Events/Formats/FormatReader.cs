using System.Text;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// A forward-only buffered reader over a stream that knows the byte offset of everything it
/// returns, for the event-file readers: text header lines, fixed-size binary records, skips.
/// Offsets count from the stream's position when the reader was created.
/// </summary>
internal sealed class FormatReader
{
    /// <summary>Buffer size, and so the longest header line the reader accepts.</summary>
    public const int BufferSize = 1 << 16;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;        // first unread byte in _buffer
    private int _end;          // one past the last valid byte in _buffer
    private long _bufferOffset; // stream offset of _buffer[0]
    private bool _endOfStream;

    public FormatReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Offset of the next byte to be read.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Bytes left in the stream after <see cref="Position"/>, or -1 if the stream cannot tell.</summary>
    public long Remaining => _stream.CanSeek ? _end - _start + Math.Max(0, _stream.Length - _stream.Position) : -1;

    /// <summary>The next byte without consuming it, or -1 at the end of the stream.</summary>
    public int Peek()
    {
        if (_start == _end && !Refill())
        {
            return -1;
        }

        return _buffer[_start];
    }

    /// <summary>
    /// Copies up to <c>destination.Length</c> bytes; fewer only at the end of the stream.
    /// </summary>
    /// <returns>The number of bytes copied.</returns>
    public int Read(Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            if (_start == _end)
            {
                // Large reads bypass the buffer.
                if (destination.Length - copied >= BufferSize)
                {
                    int direct = _endOfStream ? 0 : _stream.ReadAtLeast(destination[copied..], destination.Length - copied, throwOnEndOfStream: false);
                    _bufferOffset += direct;
                    copied += direct;
                    if (copied < destination.Length)
                    {
                        _endOfStream = true;
                    }

                    break;
                }

                if (!Refill())
                {
                    break;
                }
            }

            int n = Math.Min(_end - _start, destination.Length - copied);
            _buffer.AsSpan(_start, n).CopyTo(destination[copied..]);
            _start += n;
            copied += n;
        }

        return copied;
    }

    /// <summary>Skips up to <paramref name="count"/> bytes; fewer only at the end of the stream.</summary>
    /// <returns>The number of bytes skipped.</returns>
    public long Skip(long count)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (_start == _end && !Refill())
            {
                break;
            }

            int n = (int)Math.Min(_end - _start, count - skipped);
            _start += n;
            skipped += n;
        }

        return skipped;
    }

    /// <summary>
    /// Reads one line up to and including its <c>'\n'</c>. Returns false at the end of the
    /// stream. <paramref name="line"/> excludes the line end (<c>\n</c> or <c>\r\n</c>) and stays
    /// valid until the next call. <paramref name="terminated"/> is false when the stream ended
    /// before a <c>'\n'</c>, or when no <c>'\n'</c> came within <see cref="BufferSize"/> bytes
    /// (then the line is cut after that many bytes).
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool terminated)
    {
        if (_start == _end && !Refill())
        {
            line = default;
            terminated = false;
            return false;
        }

        int scanned = 0;
        while (true)
        {
            int newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = scanned + newline;
                int lineStart = _start;
                _start += length + 1;
                int textLength = length > 0 && _buffer[lineStart + length - 1] == '\r' ? length - 1 : length;
                line = _buffer.AsSpan(lineStart, textLength);
                terminated = true;
                return true;
            }

            scanned = _end - _start;
            if (scanned >= BufferSize || !Refill())
            {
                line = _buffer.AsSpan(_start, scanned);
                terminated = false;
                _start += scanned;
                return true;
            }
        }
    }

    /// <summary>
    /// Moves unread bytes to the front of the buffer and reads more. Returns false if nothing
    /// new arrived (end of stream) or the buffer is already full.
    /// </summary>
    private bool Refill()
    {
        if (_endOfStream)
        {
            return false;
        }

        if (_start > 0)
        {
            int unread = _end - _start;
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            _bufferOffset += _start;
            _start = 0;
            _end = unread;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        _end += read;
        return true;
    }

    /// <summary>Renders bytes for an error message: printable ASCII as is, others as <c>\xNN</c>, cut after <paramref name="max"/> bytes.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 24)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, max)])
        {
            switch (b)
            {
                case (byte)'\r':
                    text.Append("\\r");
                    break;
                case (byte)'\n':
                    text.Append("\\n");
                    break;
                case >= 0x20 and < 0x7F:
                    text.Append((char)b);
                    break;
                default:
                    text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        if (bytes.Length > max)
        {
            text.Append("...");
        }

        return text.ToString();
    }
}
