namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>
/// The report's policy for temporary files: every file of the report is written atomically (a temporary
/// <c>NAME.tmp-XXXXXXXXXXXX</c> next to it, renamed over <c>NAME</c> when complete; <see cref="Neuromorphic.Traces.AtomicFile"/>),
/// which only a killed or crashed process can leave behind, since the rename needs the same folder. The next
/// <c>neuromorphic report</c> on the directory deletes such leftovers of its own outputs before it writes anything.
/// Two report commands on one run directory at the same time are not supported (they write the same files).
/// </summary>
public static class ReportTemporaryFiles
{
    /// <summary>
    /// Deletes the temporary files <c>NAME.tmp-XXXXXXXXXXXX</c> (12 hexadecimal digits, as <see cref="Neuromorphic.Traces.AtomicFile"/>
    /// names them) in <paramref name="folder"/> whose <c>NAME</c> is one of the report's outputs.
    /// </summary>
    /// <param name="folder">The folder to clean; nothing happens if it does not exist.</param>
    /// <param name="isOutput">Whether a file name (without folder) is one the report writes into <paramref name="folder"/>.</param>
    /// <returns>The files deleted.</returns>
    public static IReadOnlyList<string> RemoveLeftovers(string folder, Func<string, bool> isOutput)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(isOutput);
        if (!Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.tmp-*").Order(StringComparer.Ordinal))
        {
            var target = Neuromorphic.Traces.AtomicFile.TargetOfTemporary(Path.GetFileName(path));
            if (target is null || !isOutput(target)) continue;
            File.Delete(path);
            removed.Add(path);
        }
        return removed;
    }
}
