using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>Helpers shared by the readers of the text headers of event files.</summary>
internal static class HeaderText
{
    /// <summary>
    /// Reads the first line and checks that it is exactly <paramref name="magic"/> followed by
    /// <c>\r\n</c> or <c>\n</c>; otherwise raises an error at byte 0.
    /// </summary>
    public static void ExpectMagicLine(FormatReader reader, string fileName, string magic, string formatName)
    {
        if (!reader.TryReadLine(out ReadOnlySpan<byte> line, out bool terminated))
        {
            throw new InputFormatException(fileName, "byte 0", $"file is empty (expected the {formatName} magic line '{magic}')");
        }

        if (terminated && Equals(line, magic))
        {
            return;
        }

        string problem = $"not an {formatName} file: expected '{magic}' at the start, found '{FormatReader.Printable(line)}'";
        if (Equals(line, magic))
        {
            problem = $"the magic line '{magic}' is not terminated by a line end";
        }
        else if (line.StartsWith("#!AER-DAT"u8))
        {
            problem += " (a different AEDAT version)";
        }

        throw new InputFormatException(fileName, "byte 0", problem);
    }

    /// <summary>True if the bytes are the ASCII text <paramref name="text"/>.</summary>
    public static bool Equals(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes header bytes as Latin-1, which maps every byte to one character.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>
    /// Finds <paramref name="key"/> (case-insensitive) in <paramref name="text"/> and parses the
    /// first run of decimal digits after it, provided only separator characters (spaces, tabs,
    /// <c>=</c>, <c>:</c>, quotes, <c>&gt;</c> and attribute text such as <c> type="short"</c>
    /// without digits) lie between, at most 40 of them. Returns 0 if there is none.
    /// </summary>
    public static int FindNumberAfter(string text, string key)
    {
        int from = 0;
        while (true)
        {
            int at = text.IndexOf(key, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return 0;
            }

            int i = at + key.Length;
            // A key that continues as a longer word (sizeXY) does not count.
            if (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                from = i;
                continue;
            }

            int limit = Math.Min(text.Length, i + 40);
            while (i < limit && !char.IsAsciiDigit(text[i]) && text[i] != '\n')
            {
                i++;
            }

            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i > start && int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
            {
                return value;
            }

            from = at + key.Length;
        }
    }
}
