using System.Security.Cryptography;
using System.Text;

namespace Neuromorphic.Traces;

/// <summary>
/// Writes output files atomically: the content goes to a temporary file
/// (<c>path + ".tmp-&lt;random&gt;"</c>) in the same folder, which is flushed to disk and then
/// renamed over <c>path</c>. Readers therefore see either the old file or the complete new one,
/// never a half-written file; if writing fails the temporary file is deleted and any existing
/// file at <c>path</c> is left untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes a file atomically through a binary stream.</summary>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <param name="write">Writes the whole content to the given stream (which it must not dispose).</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var transaction = Begin(path);
        write(transaction.Stream);
        transaction.Commit();
    }

    /// <summary>
    /// Writes a text file atomically. The writer uses UTF-8 without a byte-order mark,
    /// <c>"\n"</c> line endings and the invariant culture.
    /// </summary>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <param name="write">Writes the whole content to the given writer (which it must not dispose).</param>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new InvariantStreamWriter(stream);
            write(writer);
            writer.Flush();
        });
    }

    /// <summary>
    /// Starts an atomic write for callers that cannot use a callback (for example because the
    /// data is in a span). Write to <see cref="AtomicFileTransaction.Stream"/>, then call
    /// <see cref="AtomicFileTransaction.Commit"/>; disposing without committing discards the
    /// temporary file.
    /// </summary>
    /// <param name="path">The destination file; its folder must exist.</param>
    /// <returns>The pending write; dispose it in all cases.</returns>
    public static AtomicFileTransaction Begin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AtomicFileTransaction(path);
    }

    // A temporary file's name: the target's, then TemporarySuffix and TemporaryDigits lower-case hexadecimal digits.
    private const string TemporarySuffix = ".tmp-";
    private const int TemporaryDigits = 12;

    internal static string TempPathFor(string path) =>
        path + TemporarySuffix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TemporaryDigits / 2));

    /// <summary>
    /// The target's file name if <paramref name="fileName"/> (no folder) is the name of one of this class's temporary
    /// files (<c>NAME.tmp-</c> and 12 lower-case hexadecimal digits: what a killed process leaves behind), else null.
    /// </summary>
    public static string? TargetOfTemporary(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var at = fileName.Length - TemporaryDigits - TemporarySuffix.Length;
        if (at < 1 || string.CompareOrdinal(fileName, at, TemporarySuffix, 0, TemporarySuffix.Length) != 0) return null;
        foreach (var c in fileName.AsSpan(at + TemporarySuffix.Length))
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return null;
        return fileName[..at];
    }

    /// <summary>A stream writer that formats with the invariant culture and writes "\n" newlines.</summary>
    private sealed class InvariantStreamWriter : StreamWriter
    {
        public InvariantStreamWriter(Stream stream)
            : base(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 65536, leaveOpen: true)
        {
            NewLine = "\n";
        }

        public override IFormatProvider FormatProvider => System.Globalization.CultureInfo.InvariantCulture;
    }
}

/// <summary>
/// A pending atomic file write created by <see cref="AtomicFile.Begin"/>: content written to
/// <see cref="Stream"/> replaces the destination only when <see cref="Commit"/> is called.
/// </summary>
public sealed class AtomicFileTransaction : IDisposable
{
    private readonly FileStream _stream;
    private bool _done;

    internal AtomicFileTransaction(string path)
    {
        Path = path;
        TempPath = AtomicFile.TempPathFor(path);
        _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 65536);
    }

    /// <summary>The destination file.</summary>
    public string Path { get; }

    /// <summary>The temporary file being written (<c>Path + ".tmp-&lt;random&gt;"</c>).</summary>
    public string TempPath { get; }

    /// <summary>The stream to write the content to. Do not dispose it.</summary>
    public Stream Stream => _done ? throw new ObjectDisposedException(nameof(AtomicFileTransaction)) : _stream;

    /// <summary>Flushes the content to disk and renames the temporary file over the destination.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(TempPath, Path, overwrite: true);
        }
        catch
        {
            _stream.Dispose();
            TryDelete(TempPath);
            throw;
        }
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The content is being discarded anyway; do not mask the original failure.
        }
        finally
        {
            TryDelete(TempPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
