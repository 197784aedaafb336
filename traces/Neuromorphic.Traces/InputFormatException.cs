namespace Neuromorphic.Traces;

/// <summary>
/// Bad user input: a malformed or truncated file, an unknown node type, an out-of-range
/// parameter. The command line turns it into a one-line error and exit code 2, so the message
/// must name the file and the place (byte offset, line, node name, YAML path) where it went wrong.
/// The message is one printable line of at most <see cref="MaxMessageLength"/> characters
/// (<see cref="ErrorText"/>): bytes copied from a damaged file into it are escaped.
/// </summary>
public sealed class InputFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file that was being read (or a logical name such as <c>model:NAME</c>).</param>
    /// <param name="location">Where in the file: <c>byte 1234</c>, <c>line 7</c>, <c>node 'fc1'</c>; may be empty.</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public InputFormatException(string file, string location, string problem, Exception? inner = null)
        : base(Format(file, location, problem), inner)
    {
        File = ErrorText.Printable(file);
        Location = ErrorText.Printable(location);
        Problem = ErrorText.Printable(problem);
    }

    /// <summary>The file that was being read.</summary>
    public string File { get; }

    /// <summary>Where in the file the problem is (may be empty).</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>Longest message: room is left for the <c>error: </c> prefix the command line prints.</summary>
    public const int MaxMessageLength = ErrorText.MaxLength - 7;

    private static string Format(string file, string location, string problem)
    {
        (file, location, problem) = (ErrorText.Printable(file), ErrorText.Printable(location), ErrorText.Printable(problem));
        // A very long path must not push the place and the problem out of the line: keep its end.
        if (file.Length > 120) file = ErrorText.Ellipsis + file[^117..];
        return ErrorText.Line(string.IsNullOrEmpty(location) ? $"{file}: {problem}" : $"{file}: {location}: {problem}", MaxMessageLength);
    }
}
