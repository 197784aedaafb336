using System.Globalization;
using System.Numerics;
using System.Text;

namespace Neuromorphic.Traces;

/// <summary>
/// A small parser for the Python literal subset used in <c>.npy</c> headers: dicts, tuples,
/// lists, strings, integers (with an optional Python 2 <c>L</c> suffix), <c>True</c>,
/// <c>False</c> and <c>None</c>. Dicts become <see cref="Dictionary{TKey,TValue}"/> with string keys
/// (in file order), integers <see cref="BigInteger"/>, tuples <see cref="PyTuple"/> and lists
/// <see cref="PyList"/>.
/// </summary>
internal static class PyLiteral
{
    private const int MaxDepth = 32;

    /// <summary>Parses one literal, allowing whitespace around it and nothing else.</summary>
    /// <exception cref="PyLiteralException">The text is not a supported literal.</exception>
    public static object? Parse(string text)
    {
        var parser = new Parser(text);
        parser.SkipWhitespace();
        object? value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw new PyLiteralException(parser.Position, $"unexpected {parser.Describe()} after the value");
        }

        return value;
    }

    /// <summary>A Python tuple.</summary>
    public sealed record PyTuple(List<object?> Items);

    /// <summary>A Python list.</summary>
    public sealed record PyList(List<object?> Items);

    /// <summary>Python <c>repr</c>-like rendering, for error messages.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        PyTuple t => t.Items.Count == 1 ? $"({Repr(t.Items[0])},)" : "(" + string.Join(", ", t.Items.Select(Repr)) + ")",
        PyList l => "[" + string.Join(", ", l.Items.Select(Repr)) + "]",
        Dictionary<string, object?> d => "{" + string.Join(", ", d.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    private sealed class Parser(string text)
    {
        private int _pos;

        public int Position => _pos;

        public bool AtEnd => _pos >= text.Length;

        public void SkipWhitespace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                _pos++;
            }
        }

        public string Describe() => AtEnd ? "end of header" : $"'{text[_pos]}'";

        public object? ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new PyLiteralException(_pos, "nesting too deep");
            }

            if (AtEnd)
            {
                throw new PyLiteralException(_pos, "unexpected end of header, expected a value");
            }

            char c = text[_pos];
            switch (c)
            {
                case '{':
                    return ParseDict(depth);
                case '(':
                    return ParseTuple(depth);
                case '[':
                    _pos++;
                    return new PyList(ParseItems(']', depth, out _));
                case '\'' or '"':
                    return ParseString();
                case '-' or '+' or (>= '0' and <= '9'):
                    return ParseInteger();
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                {
                    _pos++;
                }

                string name = text[start.._pos];
                if (_pos < text.Length && text[_pos] is '\'' or '"' && name is "u" or "U" or "b" or "B")
                {
                    return ParseString();
                }

                return name switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => throw new PyLiteralException(start, $"unknown name '{name}'"),
                };
            }

            throw new PyLiteralException(_pos, $"unexpected {Describe()}, expected a value");
        }

        private Dictionary<string, object?> ParseDict(int depth)
        {
            _pos++; // '{'
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipWhitespace();
                if (Peek('}'))
                {
                    _pos++;
                    return dict;
                }

                int keyPos = _pos;
                if (ParseValue(depth + 1) is not string key)
                {
                    throw new PyLiteralException(keyPos, "dictionary keys must be strings");
                }

                if (!dict.TryAdd(key, null))
                {
                    throw new PyLiteralException(keyPos, $"duplicate key '{key}'");
                }

                SkipWhitespace();
                Expect(':');
                SkipWhitespace();
                dict[key] = ParseValue(depth + 1);
                SkipWhitespace();
                if (Peek(','))
                {
                    _pos++;
                    continue;
                }

                if (Peek('}'))
                {
                    _pos++;
                    return dict;
                }

                throw new PyLiteralException(_pos, $"unexpected {Describe()}, expected ',' or '}}'");
            }
        }

        private object? ParseTuple(int depth)
        {
            _pos++; // '('
            List<object?> items = ParseItems(')', depth, out bool trailingComma);
            // "(x)" is just x in parentheses; "(x,)" and "()" are tuples.
            return items.Count == 1 && !trailingComma ? items[0] : new PyTuple(items);
        }

        private List<object?> ParseItems(char close, int depth, out bool trailingComma)
        {
            var items = new List<object?>();
            trailingComma = false;
            while (true)
            {
                SkipWhitespace();
                if (Peek(close))
                {
                    _pos++;
                    return items;
                }

                items.Add(ParseValue(depth + 1));
                trailingComma = false;
                SkipWhitespace();
                if (Peek(','))
                {
                    _pos++;
                    trailingComma = true;
                    continue;
                }

                if (Peek(close))
                {
                    _pos++;
                    return items;
                }

                throw new PyLiteralException(_pos, $"unexpected {Describe()}, expected ',' or '{close}'");
            }
        }

        private string ParseString()
        {
            char quote = text[_pos];
            int start = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd || text[_pos] is '\n' or '\r')
                {
                    throw new PyLiteralException(start, "unterminated string");
                }

                char c = text[_pos++];
                if (c == quote)
                {
                    return sb.ToString();
                }

                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        throw new PyLiteralException(start, "unterminated string");
                    }

                    char e = text[_pos++];
                    sb.Append(e switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        _ => e,
                    });
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        private BigInteger ParseInteger()
        {
            int start = _pos;
            if (text[_pos] is '-' or '+')
            {
                _pos++;
            }

            int digitsStart = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }

            if (_pos == digitsStart)
            {
                throw new PyLiteralException(start, "expected digits");
            }

            if (_pos - digitsStart > 40)
            {
                throw new PyLiteralException(start, "integer too long");
            }

            var value = BigInteger.Parse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (_pos < text.Length && text[_pos] is 'L' or 'l')
            {
                _pos++; // Python 2 long suffix
            }

            if (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '_'))
            {
                throw new PyLiteralException(_pos, $"unexpected '{text[_pos]}' in integer");
            }

            return value;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw new PyLiteralException(_pos, $"unexpected {Describe()}, expected '{c}'");
            }

            _pos++;
        }
    }
}

/// <summary>A syntax error in a Python literal, at a character position.</summary>
internal sealed class PyLiteralException(int position, string message) : Exception(message)
{
    /// <summary>Zero-based character position of the error.</summary>
    public int Position { get; } = position;
}
