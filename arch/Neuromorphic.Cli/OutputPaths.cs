using Neuromorphic.Traces;

namespace Neuromorphic.Cli;

/// <summary>
/// Checks, before any work is done, that the places a command will write can take its output: a
/// run directory that is not a file, an output file that is not a folder and whose folder exists.
/// Without it such a run failed only when it wrote its results (after the whole run, some files
/// already written, and as an internal error for a path that is a file or a folder); with it the
/// command stops at once with one line naming the path and the option (exit 2) and writes nothing.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// Checks a directory the command creates (with any missing parents) and writes into.
    /// </summary>
    /// <param name="path">The directory as given (or the command's default); null: nothing to check.</param>
    /// <param name="option">The option that names it, for the message (e.g. <c>--out</c>).</param>
    /// <exception cref="InputFormatException">The path, or one of its parents, is a file.</exception>
    public static void RequireDirectory(string? path, string option)
    {
        if (string.IsNullOrEmpty(path)) return;
        if (File.Exists(path)) throw new InputFormatException(path, option, "is a file; a directory is needed here (choose another path)");
        // Missing parents are created, but never through a file.
        for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) return;
            if (File.Exists(parent)) throw new InputFormatException(path, option, $"'{parent}' is a file, so no directory can be made under it");
        }
    }

    /// <summary>
    /// Checks a file the command writes (atomically: a temporary file in the same folder, then renamed).
    /// </summary>
    /// <param name="path">The file as given; null: nothing to check.</param>
    /// <param name="option">The option that names it, for the message (e.g. <c>--trace</c>).</param>
    /// <exception cref="InputFormatException">The path is a directory, or its folder does not exist or is a file.</exception>
    public static void RequireFile(string? path, string option)
    {
        if (string.IsNullOrEmpty(path)) return;
        if (Directory.Exists(path)) throw new InputFormatException(path, option, "is a directory; give a file name");
        var folder = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder)) return;
        throw new InputFormatException(path, option, File.Exists(folder)
            ? $"'{folder}' is a file, not a folder"
            : $"the folder '{folder}' does not exist (create it first)");
    }
}
