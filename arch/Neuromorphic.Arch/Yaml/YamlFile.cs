using Neuromorphic.Traces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Neuromorphic.Arch.Yaml;

/// <summary>
/// Loads a YAML document whose root is a mapping, turning syntax errors into one-line input errors
/// with the line. Nesting is bounded (<see cref="YamlDepth"/>) and a file holds exactly one document.
/// </summary>
public static class YamlFile
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="file"/> names it in errors.</summary>
    public static YamlSection Parse(string text, string file)
    {
        YamlDepth.Check(text, file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            // YamlDotNet prefixes "(Line: .., Col: ..): "; the location goes in our own prefix.
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && colon > 0) message = message[(colon + 3)..];
            throw new InputFormatException(file, $"line {ex.Start.Line}, column {ex.Start.Column}", $"YAML syntax: {message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed text (a document marker inside a flow mapping):
            // the place is after the last event it could read.
            throw new InputFormatException(file, $"line {LastGoodLine(text)}", $"YAML syntax: the parser cannot read on ({ex.GetType().Name})", ex);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InputFormatException(file, "line 1", "expected a YAML mapping (key: value lines) at the top level");
        if (stream.Documents.Count > 1)
            throw new InputFormatException(file, $"line {stream.Documents[1].RootNode.Start.Line}", "a second YAML document (after ---): a configuration is one document");
        return new YamlSection(file, "", root);
    }

    private static long LastGoodLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        long line = 1;
        try
        {
            while (parser.MoveNext()) line = parser.Current?.End.Line ?? line;
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Stop at the failure: the line reached is the answer.
        }
        return line;
    }

    /// <summary>Reads and parses a file.</summary>
    public static YamlSection Load(string path) => Parse(ReadText(path), path);

    /// <summary>The text of a YAML file; invalid UTF-8 is an input error naming the byte offset.</summary>
    public static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new InputFormatException(path, $"byte {ex.Index}", "not valid UTF-8 text");
        }
    }
}
