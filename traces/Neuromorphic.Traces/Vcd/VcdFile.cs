namespace Neuromorphic.Traces.Vcd;

/// <summary>Writes VCD files atomically (through <see cref="AtomicFile"/>).</summary>
public static class VcdFile
{
    /// <summary>
    /// Writes a VCD file: creates a <see cref="VcdWriter"/> on a temporary file, runs
    /// <paramref name="write"/> (which declares signals, calls <see cref="VcdWriter.EndDefinitions"/>
    /// and writes changes), closes the writer and renames the file over <paramref name="path"/>. If
    /// <paramref name="write"/> throws, nothing more is written and <paramref name="path"/> is left as
    /// it was.
    /// </summary>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <param name="write">Writes the content; it need not close the writer.</param>
    /// <param name="timescale">The time unit, e.g. <c>"1 ns"</c> (see <see cref="VcdWriter"/>).</param>
    /// <param name="date">Text of the <c>$date</c> section, or null to leave it out.</param>
    /// <param name="version">Text of the <c>$version</c> section, or null to leave it out.</param>
    public static void Write(string path, Action<VcdWriter> write, string timescale = "1 ns", string? date = null, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        AtomicFile.Write(path, stream =>
        {
            var writer = new VcdWriter(stream, timescale, date, version);
            write(writer);
            writer.Close();
        });
    }
}
