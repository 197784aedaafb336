using System.Text.RegularExpressions;

namespace Neuromorphic.Cli;

/// <summary>
/// Rewrites the messages .NET and System.CommandLine make into the command line's own form,
/// <c>FILE: PROBLEM</c> or <c>--option: PROBLEM</c>: a user should read "nope.csv: no such file",
/// not "Could not find file '/full/path/nope.csv'.", and "a whole number" rather than
/// <c>System.Nullable`1[System.UInt64]</c>. Messages the program wrote itself pass unchanged.
/// </summary>
internal static partial class UserMessages
{
    /// <summary>The message of a bad-input exception, as the error line shows it (without <c>error: </c>).</summary>
    public static string Of(Exception ex)
    {
        if (ex is FileNotFoundException && MissingFile().Match(ex.Message) is { Success: true } file)
            return $"{Shown(file.Groups[1].Value)}: no such file";
        if (ex is DirectoryNotFoundException && MissingPart().Match(ex.Message) is { Success: true } part)
            return $"{Shown(part.Groups[1].Value)}: no such folder (a folder on this path does not exist)";
        return ex.Message;
    }

    /// <summary>A parse error of System.CommandLine, with .NET type names replaced by what the value must be.</summary>
    public static string OfParseError(string message)
    {
        var match = CannotParse().Match(message);
        if (!match.Success) return message;
        var (value, option, type) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        return $"{option}: '{value}' is not {Expected(type)}";
    }

    /// <summary>What a value of a .NET type must look like, in words.</summary>
    private static string Expected(string type)
    {
        var nullable = NullableOf().Match(type);
        if (nullable.Success) type = nullable.Groups[1].Value;
        return type switch
        {
            "System.Int32" => $"a whole number from {int.MinValue} to {int.MaxValue}",
            "System.Int64" => $"a whole number from {long.MinValue} to {long.MaxValue}",
            "System.UInt32" => $"a whole number from 0 to {uint.MaxValue}",
            "System.UInt64" => $"a whole number from 0 to {ulong.MaxValue}",
            "System.Double" or "System.Single" => "a number (e.g. 0.5 or 1e-3)",
            "System.Boolean" => "true or false",
            _ => $"a valid value ({type})",
        };
    }

    /// <summary>A path .NET made absolute, shown relative to the working directory when it lies under it; temporary-file suffixes removed.</summary>
    private static string Shown(string path)
    {
        path = TemporarySuffix().Replace(path, "");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    [GeneratedRegex(@"^Could not find file '(.*)'\.?$")]
    private static partial Regex MissingFile();

    [GeneratedRegex(@"^Could not find a part of the path '(.*)'\.?$")]
    private static partial Regex MissingPart();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.?$")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^System\.Nullable`1\[(.*)\]$")]
    private static partial Regex NullableOf();

    // AtomicFile's temporary name: path + ".tmp-" + 12 hex digits.
    [GeneratedRegex(@"\.tmp-[0-9a-f]{12}$")]
    private static partial Regex TemporarySuffix();
}
