using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces;

/// <summary>
/// Reads and writes a <see cref="SpikeRaster"/> as CSV: one line per timestep, one
/// comma-separated number per channel, no header, invariant culture.
/// </summary>
/// <remarks>
/// Reading accepts integers and floating-point numbers (<c>1</c>, <c>0.0</c>, <c>1e-3</c>,
/// <c>NaN</c>, <c>Infinity</c>), spaces around cells, <c>\n</c> or <c>\r\n</c> line endings, a
/// UTF-8 byte-order mark, and ignores blank lines at the end of the file. Errors report
/// <c>line L, column C</c> for a bad cell (C is the 1-based cell number, i.e. channel + 1) and
/// <c>line L</c> for a row whose cell count differs from the first row.
/// </remarks>
public static class RasterCsv
{
    private const int MaxCellTextInMessage = 40;

    /// <summary>Reads a raster from a CSV file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The raster.</returns>
    /// <exception cref="InputFormatException">The file is empty or malformed.</exception>
    public static SpikeRaster Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads a raster from CSV text.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <returns>The raster.</returns>
    /// <exception cref="InputFormatException">The text is empty or malformed.</exception>
    public static SpikeRaster Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);

        var values = new List<float>();
        int channels = -1;
        int rows = 0;
        int lineNumber = 0;
        int firstPendingBlank = 0; // line number of the first blank line not yet followed by data

        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line.AsSpan();
            if (text.IsWhiteSpace())
            {
                if (firstPendingBlank == 0)
                {
                    firstPendingBlank = lineNumber;
                }

                continue;
            }

            if (firstPendingBlank != 0)
            {
                throw new InputFormatException(
                    fileName, $"line {firstPendingBlank}", "blank line between data rows");
            }

            int cells = text.Count(',') + 1;
            if (channels < 0)
            {
                channels = cells;
            }
            else if (cells != channels)
            {
                throw new InputFormatException(
                    fileName, $"line {lineNumber}", $"row has {cells} columns, expected {channels} as in the first row");
            }

            if ((long)values.Count + cells > Array.MaxLength)
            {
                throw new InputFormatException(fileName, $"line {lineNumber}", "raster is too large");
            }

            int column = 0;
            while (true)
            {
                column++;
                int comma = text.IndexOf(',');
                ReadOnlySpan<char> cell = comma < 0 ? text : text[..comma];
                values.Add(ParseCell(cell, fileName, lineNumber, column));
                if (comma < 0)
                {
                    break;
                }

                text = text[(comma + 1)..];
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new InputFormatException(fileName, "line 1", "file is empty (no data rows)");
        }

        return new SpikeRaster(rows, channels, values.ToArray());
    }

    /// <summary>Writes a raster to a CSV file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="raster">The raster; it must have at least one timestep and one channel.</param>
    public static void Write(string path, SpikeRaster raster)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckWritable(raster);
        AtomicFile.WriteText(path, writer => Write(writer, raster));
    }

    /// <summary>
    /// Writes a raster as CSV text: one line per timestep ending in <c>\n</c>, values in the
    /// shortest form that round-trips (<c>0</c> and <c>1</c> for whole numbers, invariant culture).
    /// </summary>
    /// <param name="writer">The destination.</param>
    /// <param name="raster">The raster; it must have at least one timestep and one channel.</param>
    public static void Write(TextWriter writer, SpikeRaster raster)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckWritable(raster);

        Span<char> buffer = stackalloc char[64];
        for (int t = 0; t < raster.Timesteps; t++)
        {
            ReadOnlySpan<float> row = raster.Row(t);
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                float v = row[c];
                if (v == 1f)
                {
                    writer.Write('1');
                }
                else if (BitConverter.SingleToInt32Bits(v) == 0)
                {
                    writer.Write('0');
                }
                else if (v.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture))
                {
                    writer.Write(buffer[..written]);
                }
                else
                {
                    writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            writer.Write('\n');
        }
    }

    private static void CheckWritable(SpikeRaster raster)
    {
        ArgumentNullException.ThrowIfNull(raster);
        if (raster.Timesteps == 0 || raster.Channels == 0)
        {
            throw new ArgumentException(
                $"a {raster.Timesteps} x {raster.Channels} raster cannot be represented as CSV (use .npy)", nameof(raster));
        }
    }

    private static float ParseCell(ReadOnlySpan<char> cell, string fileName, int line, int column)
    {
        if (float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            return value;
        }

        ReadOnlySpan<char> trimmed = cell.Trim();
        if (trimmed.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return float.NaN;
        }

        if (trimmed.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("+inf", StringComparison.OrdinalIgnoreCase))
        {
            return float.PositiveInfinity;
        }

        if (trimmed.Equals("-inf", StringComparison.OrdinalIgnoreCase))
        {
            return float.NegativeInfinity;
        }

        string problem = trimmed.IsEmpty
            ? "empty cell"
            : trimmed.Length > MaxCellTextInMessage
                ? $"'{trimmed[..MaxCellTextInMessage]}...' is not a number"
                : $"'{trimmed}' is not a number";
        throw new InputFormatException(fileName, $"line {line}, column {column}", problem);
    }
}
