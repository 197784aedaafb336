namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads an event-camera recording in any supported format into an <see cref="EventStream"/>,
/// choosing the reader by the file's extension and, for AEDAT and <c>.dat</c> files, its first line.
/// </summary>
/// <remarks>
/// <para>
/// Dispatch: <c>.bin</c> is N-MNIST (<see cref="NmnistBin"/>), <c>.csv</c> is
/// <see cref="EventCsv"/>. For <c>.aedat</c>, <c>.aedat2</c>, <c>.aedat3</c> and <c>.dat</c> the
/// magic line decides first: <c>#!AER-DAT2.0</c> is <see cref="Formats.Aedat2"/> and
/// <c>#!AER-DAT3.1</c> <see cref="Formats.Aedat31"/> whatever the extension (jAER's old
/// recordings also used <c>.dat</c>), and any other <c>#!AER-DAT</c> version is rejected. Without
/// such a line, <c>.aedat</c> and <c>.aedat2</c> go to the AEDAT 2.0 reader and <c>.aedat3</c> to
/// the AEDAT 3.1 reader (which then report the missing magic at byte 0), and <c>.dat</c> to
/// <see cref="Formats.PropheseeDat"/>. Extensions are compared case-insensitively; any other
/// extension is an <see cref="InputFormatException"/> naming it.
/// </para>
/// </remarks>
public static class EventFile
{
    /// <summary>The extensions <see cref="Read"/> accepts, lower case with the dot.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".bin", ".csv", ".aedat", ".aedat2", ".aedat3", ".dat"];

    private const string AedatMagicPrefix = "#!AER-DAT";
    private const int SniffBytes = 64;

    /// <summary>Reads an event file in the format its extension and content indicate.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">AEDAT 2.0 layout and sensor size; null for the defaults.</param>
    /// <returns>The events.</returns>
    /// <exception cref="InputFormatException">The extension is unknown or the file is malformed.</exception>
    public static EventStream Read(string path, EventFileOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new EventFileOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Width, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Height, nameof(options));

        return DetectFormat(path) switch
        {
            EventFileFormat.NmnistBin => NmnistBin.Read(
                path,
                options.Width > 0 ? options.Width : NmnistBin.DefaultSensorWidth,
                options.Height > 0 ? options.Height : NmnistBin.DefaultSensorHeight),
            EventFileFormat.Csv => EventCsv.Read(path, options.Width, options.Height),
            EventFileFormat.Aedat2 => Formats.Aedat2.Read(path, options.Aedat2Layout),
            EventFileFormat.Aedat31 => Formats.Aedat31.Read(path, options.Width, options.Height),
            EventFileFormat.PropheseeDat => Formats.PropheseeDat.Read(path, options.Width, options.Height),
            var other => throw new InvalidOperationException($"no reader for {other}"),
        };
    }

    /// <summary>Decides which reader <see cref="Read"/> uses for a file (see the class remarks).</summary>
    /// <param name="path">The file; it is opened only for the extensions whose content decides.</param>
    /// <returns>The format.</returns>
    /// <exception cref="InputFormatException">The extension is unknown or the AEDAT version unsupported.</exception>
    public static EventFileFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".bin":
                return EventFileFormat.NmnistBin;
            case ".csv":
                return EventFileFormat.Csv;
            case ".aedat" or ".aedat2" or ".aedat3" or ".dat":
                break;
            default:
                string named = extension.Length == 0 ? "no extension" : $"unknown extension '{Path.GetExtension(path)}'";
                throw new InputFormatException(
                    path, "", $"cannot tell the event format: {named} (expected one of {string.Join(", ", Extensions)})");
        }

        string? version = AedatVersion(path);
        return version switch
        {
            "2.0" => EventFileFormat.Aedat2,
            "3.1" => EventFileFormat.Aedat31,
            not null => throw new InputFormatException(
                path, "byte 0", $"AEDAT version '{version}' is not supported (only 2.0 and 3.1; convert other versions, e.g. with dv-processing)"),
            null => extension switch
            {
                ".dat" => EventFileFormat.PropheseeDat,
                ".aedat3" => EventFileFormat.Aedat31,
                _ => EventFileFormat.Aedat2,
            },
        };
    }

    /// <summary>The version after a leading <c>#!AER-DAT</c>, or null if the file does not start with it.</summary>
    private static string? AedatVersion(string path)
    {
        Span<byte> start = stackalloc byte[SniffBytes];
        int length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            length = stream.ReadAtLeast(start, SniffBytes, throwOnEndOfStream: false);
        }

        ReadOnlySpan<byte> head = start[..length];
        if (!head.StartsWith("#!AER-DAT"u8))
        {
            return null;
        }

        ReadOnlySpan<byte> rest = head[AedatMagicPrefix.Length..];
        int end = rest.IndexOfAny("\r\n"u8);
        return FormatReader.Printable(end >= 0 ? rest[..end] : rest, max: 16);
    }
}
