using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace Neuromorphic.Tests.Fuzz;

/// <summary>One damaged input: the bytes and the edits that made them (for the failure report).</summary>
/// <param name="Bytes">The mutated file.</param>
/// <param name="Edits">What was done, e.g. <c>seed 1; truncate at 40; extreme number 1e308 at 12</c>.</param>
internal sealed record Mutant(byte[] Bytes, string Edits);

/// <summary>
/// Damages a valid file the ways real files get damaged and the ways a careless or hostile user
/// edits them: truncation, byte flips, inserted and deleted ranges, duplicated and swapped chunks,
/// extreme numbers (in text: numeric tokens replaced by 1e308, NaN, 2^31, -1 ...; in binary: aligned
/// words set to 0, -1, int.MaxValue ...), swapped fields (lines, CSV cells, key values, binary words)
/// and structural edits of text (lines deleted, duplicated or re-indented; brackets, anchors, document
/// markers and quotes inserted). Built from CsCheck generators, so each case is a pure function of
/// the PCG state that draws it.
/// </summary>
internal static class Mutator
{
    private static readonly string[] ExtremeTexts =
    [
        "0", "-1", "-0", "1e308", "-1e308", "1e-320", "NaN", "nan", "inf", "-inf", "Infinity", "2147483647", "2147483648", "-2147483649",
        "4294967296", "9223372036854775807", "18446744073709551616", "65536", "1000000", "1e9", "3.5", "0.5", "", "1e1000", "0x10", "1_000",
    ];

    private static readonly long[] ExtremeWords = [0, -1, 1, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 0x8000, 0xFFFF, 65536, 1 << 24];

    private static readonly string[] StructuralSnippets =
    [
        "[", "]", "{", "}", "- ", "---\n", "...\n", "&a ", "*a", "!!binary ", "'", "\"", ": ", "#", "\t", "\0", "\u001b[31m", "\r", ",", ",,", "\n",
        "? ", "|\n", ">\n", "%YAML 1.2\n", "<<: *a\n", "\\", "\ufeff", "\u00ff", "\ud800",
    ];

    private static readonly Regex Number = new(@"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", RegexOptions.Compiled);

    /// <summary>A mutant of one of <paramref name="seeds"/>: 1 to 4 edits, text-aware when <paramref name="text"/>.</summary>
    public static Gen<Mutant> Of(IReadOnlyList<byte[]> seeds, bool text) =>
        from seed in Gen.Int[0, seeds.Count - 1]
        from count in Gen.Int[1, 4]
        from edits in Gen.Select(Gen.Int[0, text ? 13 : 9], Gen.UInt, Gen.UInt, Gen.UInt).Array[count]
        select Apply(seeds[seed], seed, edits, text);

    private static Mutant Apply(byte[] seed, int seedIndex, (int Kind, uint A, uint B, uint C)[] edits, bool text)
    {
        var bytes = seed;
        var log = new StringBuilder($"seed {seedIndex}");
        foreach (var (kind, a, b, c) in edits)
        {
            log.Append("; ");
            bytes = Edit(bytes, kind, a, b, c, text, log);
        }
        return new Mutant(bytes, log.ToString());
    }

    private static byte[] Edit(byte[] data, int kind, uint a, uint b, uint c, bool text, StringBuilder log)
    {
        int At(uint r, int length) => length <= 0 ? 0 : (int)(r % (uint)length);
        var n = data.Length;
        switch (kind)
        {
            case 0:
            {
                var cut = At(a, n + 1);
                log.Append($"truncate at {cut}");
                return data[..cut];
            }
            case 1:
            {
                if (n == 0) goto case 3;
                var copy = (byte[])data.Clone();
                var flips = 1 + (int)(b % 8);
                for (var i = 0; i < flips; i++) copy[At(a + (uint)i * 7919u * (c | 1), n)] ^= (byte)(1 << (int)((b >> i) % 8));
                log.Append($"{flips} bit flips near {At(a, n)}");
                return copy;
            }
            case 2:
            {
                if (n == 0) goto case 3;
                var copy = (byte[])data.Clone();
                var at = At(a, n);
                var value = (byte)((b % 4) switch { 0 => 0x00u, 1 => 0xFFu, 2 => 0x80u, _ => c & 0xFF });
                copy[at] = value;
                log.Append($"byte {at} = 0x{value:X2}");
                return copy;
            }
            case 3:
            {
                var at = At(a, n + 1);
                var length = 1 + (int)(b % 64);
                var inserted = new byte[length];
                new Random((int)c).NextBytes(inserted);
                log.Append($"insert {length} random bytes at {at}");
                return [.. data[..at], .. inserted, .. data[at..]];
            }
            case 4:
            {
                var at = At(a, n);
                var length = Math.Min(n - at, 1 + (int)(b % 256));
                log.Append($"delete {length} bytes at {at}");
                return [.. data[..at], .. data[(at + length)..]];
            }
            case 5:
            {
                var at = At(a, n);
                var length = Math.Min(n - at, 1 + (int)(b % 512));
                var to = At(c, n + 1);
                var times = 1 + (int)(c % 3);
                log.Append($"duplicate {length} bytes at {at} x{times} to {to}");
                var chunk = data[at..(at + length)];
                var result = new List<byte>(data[..to]);
                for (var i = 0; i < times; i++) result.AddRange(chunk);
                result.AddRange(data[to..]);
                return result.ToArray();
            }
            case 6:
            {
                if (n < 8) goto case 3;
                var size = (b % 3) switch { 0 => 2, 1 => 4, _ => 8 };
                var p = At(a, n - size + 1);
                var q = At(c, n - size + 1);
                var copy = (byte[])data.Clone();
                var first = data[p..(p + size)];
                data.AsSpan(q, size).CopyTo(copy.AsSpan(p));
                first.CopyTo(copy.AsSpan(q));
                log.Append($"swap {size}-byte words at {p} and {q}");
                return copy;
            }
            case 7:
            case 8:
            {
                if (n < 2) goto case 3;
                var size = (b % 3) switch { 0 => 2, 1 => 4, _ => 8 };
                if (n < size) size = 2;
                var at = At(a, n / size) * size;
                if (at + size > n) at = n - size;
                var value = ExtremeWords[At(c, ExtremeWords.Length)];
                var copy = (byte[])data.Clone();
                var span = copy.AsSpan(at, size);
                if (size == 2) BinaryPrimitives.WriteInt16LittleEndian(span, (short)value);
                else if (size == 4) BinaryPrimitives.WriteInt32LittleEndian(span, (int)value);
                else BinaryPrimitives.WriteInt64LittleEndian(span, value);
                if ((b & 8) != 0) span.Reverse();
                log.Append($"{size}-byte word at {at} = {value}{((b & 8) != 0 ? " (big-endian)" : "")}");
                return copy;
            }
            case 9:
            {
                var at = At(a, n + 1);
                var length = (int)Math.Min(1 + b % 4096, 1 << 20);
                var fill = (byte)(c % 4 == 0 ? 0 : c);
                log.Append($"insert {length} x 0x{fill:X2} at {at}");
                return [.. data[..at], .. Enumerable.Repeat(fill, length), .. data[at..]];
            }
            default:
                return TextEdit(data, kind, a, b, c, log);
        }
    }

    private static byte[] TextEdit(byte[] data, int kind, uint a, uint b, uint c, StringBuilder log)
    {
        var text = Encoding.Latin1.GetString(data);
        int At(uint r, int length) => length <= 0 ? 0 : (int)(r % (uint)length);
        switch (kind)
        {
            case 10:
            {
                // Extreme numbers: a numeric token replaced.
                var numbers = Number.Matches(text);
                if (numbers.Count == 0) return data;
                var m = numbers[At(a, numbers.Count)];
                var value = ExtremeTexts[At(b, ExtremeTexts.Length)];
                log.Append($"number '{m.Value}' at {m.Index} -> '{value}'");
                return Encoding.Latin1.GetBytes(text[..m.Index] + value + text[(m.Index + m.Length)..]);
            }
            case 11:
            {
                // Field swaps: two lines, two CSV cells of a line, or the values of two "key: value" lines.
                var lines = text.Split('\n');
                if (lines.Length < 2) return data;
                int i = At(a, lines.Length), j = At(b, lines.Length);
                switch (c % 3)
                {
                    case 0:
                        (lines[i], lines[j]) = (lines[j], lines[i]);
                        log.Append($"swap lines {i + 1} and {j + 1}");
                        break;
                    case 1:
                    {
                        var cells = lines[i].Split(',');
                        if (cells.Length < 2) return data;
                        int p = At(b, cells.Length), q = At(c / 3, cells.Length);
                        (cells[p], cells[q]) = (cells[q], cells[p]);
                        lines[i] = string.Join(',', cells);
                        log.Append($"swap cells {p + 1} and {q + 1} of line {i + 1}");
                        break;
                    }
                    default:
                    {
                        int ci = lines[i].IndexOf(": ", StringComparison.Ordinal), cj = lines[j].IndexOf(": ", StringComparison.Ordinal);
                        if (ci < 0 || cj < 0) return data;
                        (lines[i], lines[j]) = (lines[i][..ci] + lines[j][cj..], lines[j][..cj] + lines[i][ci..]);
                        log.Append($"swap the values of lines {i + 1} and {j + 1}");
                        break;
                    }
                }
                return Encoding.Latin1.GetBytes(string.Join('\n', lines));
            }
            case 12:
            {
                // Structural edits of lines.
                var lines = text.Split('\n').ToList();
                var i = At(a, lines.Count);
                switch (b % 4)
                {
                    case 0:
                        lines.RemoveAt(i);
                        log.Append($"delete line {i + 1}");
                        break;
                    case 1:
                        lines.Insert(i, lines[i]);
                        log.Append($"duplicate line {i + 1}");
                        break;
                    case 2:
                        var indent = (int)(c % 9) - 2;
                        lines[i] = indent >= 0 ? new string(' ', indent) + lines[i] : lines[i].TrimStart();
                        log.Append($"re-indent line {i + 1} by {indent}");
                        break;
                    default:
                        var repeat = 1 + (int)(c % 2000);
                        var snippet = StructuralSnippets[At(c, StructuralSnippets.Length)];
                        lines[i] += string.Concat(Enumerable.Repeat(snippet, c % 5 == 0 ? repeat : 1));
                        log.Append($"append '{Escape(snippet)}' to line {i + 1}");
                        break;
                }
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
            default:
            {
                // A snippet inserted anywhere.
                var at = At(a, text.Length + 1);
                var snippet = StructuralSnippets[At(b, StructuralSnippets.Length)];
                log.Append($"insert '{Escape(snippet)}' at {at}");
                return Encoding.UTF8.GetBytes(text[..at] + snippet + text[at..]);
            }
        }
    }

    private static string Escape(string s) => string.Concat(s.Select(ch => ch < 0x20 || ch > 0x7E ? $"\\u{(int)ch:X4}" : ch.ToString()));
}
