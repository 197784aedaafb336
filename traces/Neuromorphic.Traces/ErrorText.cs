using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces;

/// <summary>
/// The shape of every error message the program prints: one line, printable characters only
/// (control bytes and other invisible characters from a damaged file are escaped as <c>\xNN</c> or
/// <c>\uNNNN</c>, so they can neither corrupt a terminal nor hide the place), and short enough to
/// read (<see cref="MaxLength"/> characters, cut in the middle of the problem if need be).
/// </summary>
public static class ErrorText
{
    /// <summary>Longest message, in characters, including the <c>error: </c> prefix the command line adds.</summary>
    public const int MaxLength = 299;

    /// <summary>What a cut message ends with.</summary>
    public const string Ellipsis = "...";

    /// <summary>Printable, single-line form of <paramref name="text"/> (line breaks become spaces, invisible characters escapes).</summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        var lastSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n' or '\t')
            {
                // A multi-line message becomes one line: runs of line breaks become one space.
                if (!lastSpace && sb.Length > 0) sb.Append(' ');
                lastSpace = true;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(c, text[i + 1]);
                if (IsVisible(Rune.GetUnicodeCategory(rune))) sb.Append(c).Append(text[i + 1]);
                else sb.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
                i++;
                lastSpace = false;
                continue;
            }
            lastSpace = c == ' ';
            if (c < 0x80 ? c >= 0x20 && c < 0x7F : !char.IsSurrogate(c) && IsVisible(char.GetUnicodeCategory(c))) sb.Append(c);
            else if (c < 0x100) sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// <paramref name="text"/> made printable and cut to <paramref name="maxLength"/> characters (the start, which
    /// names the file and the place, is kept; the end of the problem gives way).
    /// </summary>
    public static string Line(string? text, int maxLength = MaxLength)
    {
        var line = Printable(text);
        if (line.Length <= maxLength) return line;
        var cut = maxLength - Ellipsis.Length;
        // Do not split an escape or a surrogate pair.
        if (cut > 0 && char.IsHighSurrogate(line[cut - 1])) cut--;
        var escape = line.LastIndexOf('\\', cut - 1, Math.Min(cut, 10));
        if (escape >= 0 && escape + 10 > cut) cut = escape;
        return line[..cut] + Ellipsis;
    }

    private static bool IsVisible(UnicodeCategory category) => category is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
