namespace Neuromorphic.Traces.Events;

/// <summary>
/// Splits text into lines without allocating a string per line (unlike
/// <see cref="TextReader.ReadLine"/>), so that readers of large event files allocate only
/// their result. Lines end at <c>\n</c>; a <c>\r</c> before it is removed.
/// </summary>
internal sealed class SpanLineReader
{
    private const int InitialBufferChars = 1 << 16;

    private readonly TextReader _reader;
    private char[] _buffer = new char[InitialBufferChars];
    private int _start;   // first character of the next line
    private int _scanned; // characters from _start already known to contain no '\n'
    private int _end;     // end of the characters read so far
    private bool _atEnd;

    public SpanLineReader(TextReader reader) => _reader = reader;

    /// <summary>Returns the next line; the span is valid only until the next call.</summary>
    /// <param name="line">The line without its terminator.</param>
    /// <returns>False at the end of the text.</returns>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf('\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(_buffer.AsSpan(_start, _scanned + newline));
                _start += _scanned + newline + 1;
                _scanned = 0;
                return true;
            }

            // Remember how far we looked so a long line is not rescanned after each refill,
            // which would make reading quadratic in the line length.
            _scanned = _end - _start;
            if (_atEnd)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }

                line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                _scanned = 0;
                return true;
            }

            Refill();
        }
    }

    private void Refill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // One line fills the whole buffer: grow geometrically so long lines stay linear.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _atEnd = true;
        }
        else
        {
            _end += read;
        }
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
