using System.Globalization;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// The text header of a Prophesee Metavision <c>.raw</c> file: lines starting with <c>%</c>,
/// ended by <c>% end</c> or by the first line that does not start with <c>%</c>.
/// </summary>
/// <param name="Version">The event encoding: <c>2.0</c> or <c>3.0</c> (from <c>% format EVT3;...</c> or <c>% evt 3.0</c>).</param>
/// <param name="Width">Sensor width from <c>width=</c> in the format line or <c>% geometry WxH</c> (0 if absent).</param>
/// <param name="Height">Sensor height, likewise (0 if absent).</param>
internal sealed record RawHeader(string Version, int Width, int Height)
{
    /// <summary>Reads the header lines; the reader is left at the first data byte.</summary>
    /// <exception cref="InputFormatException">No header, an unterminated line, or no (or an unsupported) encoding.</exception>
    public static RawHeader Read(FormatReader reader, string fileName)
    {
        string? format = null;
        string? evt = null;
        int width = 0;
        int height = 0;
        int lines = 0;
        while (reader.Peek() == '%')
        {
            long lineStart = reader.Position;
            reader.TryReadLine(out ReadOnlySpan<byte> line, out bool terminated);
            if (!terminated)
            {
                throw new InputFormatException(
                    fileName, $"byte {lineStart}",
                    line.Length >= FormatReader.BufferSize ? $"header line longer than {FormatReader.BufferSize} bytes" : "header line is not terminated by a line end");
            }

            lines++;
            string text = HeaderText.Decode(line[1..]).Trim();
            if (text.Equals("end", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            int space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                continue;
            }

            string key = text[..space].ToLowerInvariant();
            string value = text[(space + 1)..].Trim();
            switch (key)
            {
                case "format":
                    format = value;
                    width = width > 0 ? width : HeaderText.FindNumberAfter(value, "width");
                    height = height > 0 ? height : HeaderText.FindNumberAfter(value, "height");
                    break;
                case "evt":
                    evt = value;
                    break;
                case "geometry":
                    int times = value.IndexOf('x', StringComparison.OrdinalIgnoreCase);
                    if (times > 0
                        && int.TryParse(value[..times], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
                        && int.TryParse(value[(times + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
                    {
                        (width, height) = (w, h);
                    }

                    break;
            }
        }

        if (lines == 0)
        {
            throw new InputFormatException(
                fileName, "byte 0",
                reader.Peek() < 0 ? "file is empty (expected '%' header lines)" : "not a Prophesee .raw file: it does not start with '%' header lines");
        }

        string version = Encoding(format, evt)
            ?? throw new InputFormatException(
                fileName, "header",
                format is not null || evt is not null
                    ? $"event encoding '{format ?? evt}' is not supported (EVT 2.0 and EVT 3.0 are; convert others with Metavision)"
                    : "the header names no event encoding (no '% format EVT...' or '% evt ...' line)");
        return new RawHeader(version, width, height);
    }

    /// <summary>Maps the header's names to 2.0 or 3.0; null when unknown.</summary>
    private static string? Encoding(string? format, string? evt)
    {
        if (format is not null)
        {
            string name = format.Split(';')[0].Trim().ToUpperInvariant();
            return name switch
            {
                "EVT2" or "EVT20" or "EVT2.0" => "2.0",
                "EVT3" or "EVT30" or "EVT3.0" => "3.0",
                _ => null,
            };
        }

        return evt?.Trim() switch
        {
            "2.0" or "2" => "2.0",
            "3.0" or "3" => "3.0",
            _ => null,
        };
    }
}
