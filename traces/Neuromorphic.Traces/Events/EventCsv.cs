using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces.Events;

/// <summary>
/// Reads and writes events as CSV: a header line naming the columns <c>t_us</c>, <c>x</c>,
/// <c>y</c> and <c>p</c>, then one event per line as integers (time in microseconds, column,
/// row, polarity 0 or 1), times non-decreasing.
/// </summary>
/// <remarks>
/// Reading accepts the header columns in any order, spaces around cells, <c>\n</c> or
/// <c>\r\n</c> line endings, a UTF-8 byte-order mark, and ignores blank lines at the end of the
/// file. Errors raise <see cref="InputFormatException"/> with <c>line L</c> for a missing
/// header or a row with the wrong number of cells, and <c>line L, column NAME</c> for a bad cell.
/// The sensor size is not stored in the file: the caller passes it or lets it be inferred.
/// </remarks>
public static class EventCsv
{
    /// <summary>The header line the writer emits (and the column names the reader requires).</summary>
    public const string Header = "t_us,x,y,p";

    private const int Columns = 4;
    private const int TimeField = 0;
    private const int XField = 1;
    private const int YField = 2;
    private const int PolarityField = 3;
    private const int MaxTextInMessage = 40;

    private static readonly string[] FieldNames = ["t_us", "x", "y", "p"];

    /// <summary>Reads events from a CSV file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="width">Sensor width; every x must be smaller. 0 infers it as the largest x + 1.</param>
    /// <param name="height">Sensor height; every y must be smaller. 0 infers it as the largest y + 1.</param>
    /// <returns>The events.</returns>
    /// <exception cref="InputFormatException">The file is malformed.</exception>
    public static EventStream Read(string path, int width = 0, int height = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, path, width, height);
    }

    /// <summary>Reads events from CSV text.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="width">Sensor width; every x must be smaller. 0 infers it as the largest x + 1.</param>
    /// <param name="height">Sensor height; every y must be smaller. 0 infers it as the largest y + 1.</param>
    /// <returns>The events.</returns>
    /// <exception cref="InputFormatException">The text is malformed.</exception>
    public static EventStream Read(TextReader reader, string fileName, int width = 0, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);

        var lines = new SpanLineReader(reader);
        Span<int> fieldOfColumn = stackalloc int[Columns];
        ReadHeader(lines, fileName, fieldOfColumn);

        var events = new List<DvsEvent>();
        Span<long> values = stackalloc long[Columns];
        int lineNumber = 1;
        int firstPendingBlank = 0; // first blank line not yet followed by an event
        long previousUs = 0;
        int maxX = -1;
        int maxY = -1;

        while (lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                if (firstPendingBlank == 0)
                {
                    firstPendingBlank = lineNumber;
                }

                continue;
            }

            if (firstPendingBlank != 0)
            {
                throw new InputFormatException(fileName, $"line {firstPendingBlank}", "blank line between events");
            }

            ParseRow(line, fileName, lineNumber, fieldOfColumn, values);
            long timeUs = values[TimeField];
            int x = CheckCoordinate(values[XField], width, XField, fileName, lineNumber);
            int y = CheckCoordinate(values[YField], height, YField, fileName, lineNumber);
            long polarity = values[PolarityField];
            if (polarity is not (0 or 1))
            {
                throw BadCell(fileName, lineNumber, PolarityField, $"p = {polarity} is not a polarity (expected 0 or 1)");
            }

            if (timeUs < 0)
            {
                throw BadCell(fileName, lineNumber, TimeField, $"t_us = {timeUs} is negative");
            }

            if (timeUs < previousUs)
            {
                throw BadCell(fileName, lineNumber, TimeField, $"t_us = {timeUs} is earlier than the previous event's {previousUs}");
            }

            events.Add(new DvsEvent((ushort)x, (ushort)y, (byte)polarity, timeUs));
            previousUs = timeUs;
            maxX = Math.Max(maxX, x);
            maxY = Math.Max(maxY, y);
        }

        if ((width == 0 || height == 0) && events.Count == 0)
        {
            throw new InputFormatException(fileName, "", "no events to infer the sensor size from (give the width and height)");
        }

        return new EventStream(width > 0 ? width : maxX + 1, height > 0 ? height : maxY + 1, events);
    }

    /// <summary>Writes events to a CSV file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="events">The events.</param>
    public static void Write(string path, EventStream events)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(events);
        AtomicFile.WriteText(path, writer => Write(writer, events));
    }

    /// <summary>
    /// Writes events as CSV text: the header <see cref="Header"/>, then one line
    /// <c>t_us,x,y,p</c> per event, each ending in <c>\n</c>. The sensor size is not written.
    /// </summary>
    /// <param name="writer">The destination.</param>
    /// <param name="events">The events.</param>
    public static void Write(TextWriter writer, EventStream events)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);

        writer.Write(Header);
        writer.Write('\n');
        // Formatting into a span avoids the string TextWriter.Write(long) would allocate per number.
        Span<char> line = stackalloc char[64];
        foreach (DvsEvent e in events.Events)
        {
            int n = 0;
            e.TimeUs.TryFormat(line, out int written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = ',';
            e.X.TryFormat(line[n..], out written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = ',';
            e.Y.TryFormat(line[n..], out written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = ',';
            line[n++] = (char)('0' + e.Polarity);
            line[n++] = '\n';
            writer.Write(line[..n]);
        }
    }

    /// <summary>Reads the header and records which event field each column holds.</summary>
    private static void ReadHeader(SpanLineReader lines, string fileName, Span<int> fieldOfColumn)
    {
        if (!lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            throw new InputFormatException(fileName, "line 1", $"file is empty (expected the header '{Header}')");
        }

        if (line.Length > 0 && line[0] == '\uFEFF')
        {
            line = line[1..]; // a byte-order mark that the reader did not strip (e.g. from a string)
        }

        int seen = 0; // bit per field, to reject duplicates
        int column = 0;
        foreach (Range range in line.Split(','))
        {
            int field = column < Columns ? FieldIndex(line[range].Trim()) : -1;
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                column = -1;
                break;
            }

            seen |= 1 << field;
            fieldOfColumn[column++] = field;
        }

        if (column != Columns)
        {
            throw new InputFormatException(
                fileName, "line 1", $"missing header: expected '{Header}' (columns in any order), found '{Shorten(line)}'");
        }
    }

    private static int FieldIndex(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < FieldNames.Length; i++)
        {
            if (name.SequenceEqual(FieldNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Parses the four integer cells of a row into <paramref name="values"/>, indexed by field.</summary>
    private static void ParseRow(
        ReadOnlySpan<char> line, string fileName, int lineNumber, ReadOnlySpan<int> fieldOfColumn, Span<long> values)
    {
        int cells = line.Count(',') + 1;
        if (cells != Columns)
        {
            throw new InputFormatException(fileName, $"line {lineNumber}", $"row has {cells} columns, expected {Columns}");
        }

        for (int column = 0; column < Columns; column++)
        {
            int comma = line.IndexOf(',');
            ReadOnlySpan<char> cell = comma < 0 ? line : line[..comma];
            int field = fieldOfColumn[column];
            if (!long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out values[field]))
            {
                ReadOnlySpan<char> text = cell.Trim();
                string problem = text.IsEmpty ? "empty cell" : $"'{Shorten(text)}' is not an integer";
                throw BadCell(fileName, lineNumber, field, problem);
            }

            line = comma < 0 ? default : line[(comma + 1)..];
        }
    }

    private static int CheckCoordinate(long value, int size, int field, string fileName, int lineNumber)
    {
        string name = FieldNames[field];
        if (value < 0 || value > ushort.MaxValue)
        {
            throw BadCell(fileName, lineNumber, field, $"{name} = {value} is not a pixel coordinate (0 to {ushort.MaxValue})");
        }

        if (size > 0 && value >= size)
        {
            string dimension = field == XField ? "width" : "height";
            throw BadCell(fileName, lineNumber, field, $"{name} = {value} is outside the sensor ({dimension} {size})");
        }

        return (int)value;
    }

    private static InputFormatException BadCell(string fileName, int lineNumber, int field, string problem) =>
        new(fileName, $"line {lineNumber}, column {FieldNames[field]}", problem);

    private static string Shorten(ReadOnlySpan<char> text) =>
        text.Length > MaxTextInMessage ? $"{text[..MaxTextInMessage]}..." : text.ToString();
}
