using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Yaml;

/// <summary>
/// A cheap look at how deeply a YAML text nests, before the parser sees it: YamlDotNet parses flow
/// collections (<c>[[[...]]]</c>) recursively and builds nodes recursively, so a few hundred
/// kilobytes of brackets would overflow the stack and abort the process (no handler can catch that).
/// Configurations nest a handful of levels; anything past <see cref="MaxDepth"/> is refused.
/// </summary>
internal static class YamlDepth
{
    /// <summary>Deepest nesting accepted (block indentation levels, sequence dashes and flow brackets together).</summary>
    public const int MaxDepth = 64;

    /// <summary>Throws if <paramref name="text"/> nests deeper than <see cref="MaxDepth"/>, naming the line.</summary>
    public static void Check(string text, string file)
    {
        var indents = new Stack<int>();
        var flow = 0;
        var line = 1;
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            if (end < 0) end = text.Length;
            var span = text.AsSpan(position, end - position);
            var indent = 0;
            while (indent < span.Length && span[indent] == ' ') indent++;
            var content = span[indent..].TrimEnd('\r');
            if (content.Length > 0 && content[0] != '#' && flow == 0)
            {
                while (indents.Count > 0 && indents.Peek() >= indent) indents.Pop();
                indents.Push(indent);
            }
            // "- - - x" nests one sequence per dash on a single line.
            var dashes = 0;
            for (var i = 0; i + 1 < content.Length && content[i] == '-' && content[i + 1] == ' '; i += 2)
            {
                dashes++;
                while (i + 2 < content.Length && content[i + 2] == ' ') i++;
            }
            var quote = '\0';
            var deepest = flow;
            for (var i = 0; i < content.Length; i++)
            {
                var c = content[i];
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                    continue;
                }
                if (c == '#' && (i == 0 || content[i - 1] is ' ' or '\t')) break;
                if (c is '"' or '\'' && (i == 0 || content[i - 1] is ' ' or '[' or '{' or ',' or ':')) quote = c;
                else if (c is '[' or '{') deepest = Math.Max(deepest, ++flow);
                else if (c is ']' or '}') flow = Math.Max(0, flow - 1);
            }
            if (indents.Count + dashes + deepest > MaxDepth)
                throw new InputFormatException(file, $"line {line}", $"YAML nests more than {MaxDepth} levels deep");
            line++;
            position = end + 1;
        }
    }
}
