namespace Neuromorphic.Traces;

/// <summary>
/// Bad user input: a malformed or truncated file, an unknown node type, an out-of-range
/// parameter. The command line turns it into a one-line error and exit code 2, so the message
/// must name the file and the place (byte offset, line, node name, YAML path) where it went wrong.
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
        File = file;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file that was being read.</summary>
    public string File { get; }

    /// <summary>Where in the file the problem is (may be empty).</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string file, string location, string problem) =>
        string.IsNullOrEmpty(location) ? $"{file}: {problem}" : $"{file}: {location}: {problem}";
}
