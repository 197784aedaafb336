using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads an event-camera recording in any supported format into an <see cref="EventStream"/>,
/// choosing the reader by the file's extension and, for AEDAT and <c>.dat</c> files, its first line.
/// </summary>
/// <remarks>
/// <para>
/// Dispatch: <c>.bin</c> is N-MNIST (<see cref="NmnistBin"/>), <c>.csv</c> is
/// <see cref="EventCsv"/>, <c>.raw</c> is Prophesee EVT 2.0 / 3.0 (<see cref="Formats.PropheseeRaw"/>,
/// the header names the encoding). For <c>.aedat</c>, <c>.aedat2</c>, <c>.aedat3</c>,
/// <c>.aedat4</c> and <c>.dat</c> the magic line decides first: <c>#!AER-DAT2.0</c> is
/// <see cref="Formats.Aedat2"/>, <c>#!AER-DAT3.1</c> <see cref="Formats.Aedat31"/> and
/// <c>#!AER-DAT4.0</c> <see cref="Formats.Aedat4"/> whatever the extension (jAER's old
/// recordings also used <c>.dat</c>), and any other <c>#!AER-DAT</c> version is rejected. Without
/// such a line, <c>.aedat</c> and <c>.aedat2</c> go to the AEDAT 2.0 reader, <c>.aedat3</c> to
/// the AEDAT 3.1 reader and <c>.aedat4</c> to the AEDAT 4.0 reader (which then report the missing
/// magic at byte 0), and <c>.dat</c> to <see cref="Formats.PropheseeDat"/>. Extensions are
/// compared case-insensitively; any other extension is an <see cref="InputFormatException"/>
/// naming it.
/// </para>
/// </remarks>
public static class EventFile
{
    /// <summary>The extensions <see cref="Read"/> accepts, lower case with the dot.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".bin", ".csv", ".aedat", ".aedat2", ".aedat3", ".aedat4", ".dat", ".raw"];

    private const string AedatMagicPrefix = "#!AER-DAT";
    private const int SniffBytes = 64;

    /// <summary>Reads an event file in the format its extension and content indicate.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">AEDAT 2.0 layout, AEDAT 4.0 stream and sensor size; null for the defaults.</param>
    /// <returns>
    /// The events; for the AEDAT formats (whose clocks have no meaningful origin) times are
    /// shifted so the first event is at 0, for the others they are kept as recorded.
    /// </returns>
    /// <exception cref="InputFormatException">The extension is unknown or the file is malformed.</exception>
    public static EventStream Read(string path, EventFileOptions? options = null)
    {
        var collector = new EventCollector();
        Stream(path, collector, options);
        return collector.ToStream();
    }

    /// <summary>
    /// Streams an event file to a sink in the format its extension and content indicate, holding
    /// one buffer or packet at a time: events reach the sink with their times as recorded.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="sink">Receives the format, sensor size and events.</param>
    /// <param name="options">AEDAT 2.0 layout, AEDAT 4.0 stream and sensor size; null for the defaults.</param>
    /// <returns>What the reader skipped or found invalid (empty for formats that hold only events).</returns>
    /// <exception cref="InputFormatException">The extension is unknown or the file is malformed.</exception>
    public static ReadCounts Stream(string path, IEventSink sink, EventFileOptions? options = null) => Stream(path, sink, options, null);

    /// <summary>
    /// Streams an event file to a sink (see <see cref="Stream(string, IEventSink, EventFileOptions?)"/>),
    /// reporting the share of the file read so far.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="sink">Receives the format, sensor size and events.</param>
    /// <param name="options">AEDAT 2.0 layout, AEDAT 4.0 stream and sensor size; null for the defaults.</param>
    /// <param name="progress">Called with 0 to 1 as the file is read (every few megabytes); null for none.</param>
    /// <returns>What the reader skipped or found invalid.</returns>
    /// <exception cref="InputFormatException">The extension is unknown or the file is malformed.</exception>
    public static ReadCounts Stream(string path, IEventSink sink, EventFileOptions? options, Action<double>? progress)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new EventFileOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Width, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Height, nameof(options));

        EventFileFormat format = DetectFormat(path);
        if (options.StreamId is not null && format != EventFileFormat.Aedat4)
        {
            throw new InputFormatException(path, "", $"a stream id applies to AEDAT 4.0 files only (this is {DisplayName(format)})");
        }

        progress ??= static _ => { };
        if (format == EventFileFormat.Csv)
        {
            // CSV infers the sensor size from the largest coordinates, so it is read whole.
            ReadCounts csv = CsvStream(path, sink, options);
            progress(1.0);
            return csv;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        using var stream = new ProgressStream(file, progress);
        switch (format)
        {
            case EventFileFormat.Aedat4:
                return Formats.Aedat4.Read(stream, path, sink, options.StreamId);
            case EventFileFormat.PropheseeRaw:
                return Formats.PropheseeRaw.Read(stream, path, sink, options.Width, options.Height);
            case EventFileFormat.Aedat2:
                return Formats.Aedat2.Read(stream, path, sink, options.Aedat2Layout);
            case EventFileFormat.Aedat31:
                return Formats.Aedat31.Read(stream, path, sink, options.Width, options.Height);
            case EventFileFormat.PropheseeDat:
                Formats.PropheseeDat.Read(stream, path, sink, options.Width, options.Height);
                return new ReadCounts();
            case EventFileFormat.NmnistBin:
                NmnistBin.Read(
                    stream,
                    path,
                    sink,
                    options.Width > 0 ? options.Width : NmnistBin.DefaultSensorWidth,
                    options.Height > 0 ? options.Height : NmnistBin.DefaultSensorHeight);
                return new ReadCounts();
            default:
                throw new InvalidOperationException($"no reader for {format}");
        }
    }

    private static ReadCounts CsvStream(string path, IEventSink sink, EventFileOptions options)
    {
        EventStream events = EventCsv.Read(path, options.Width, options.Height);
        sink.Begin(new RecordingInfo(DisplayName(EventFileFormat.Csv), events.Width, events.Height, TimesFromFirstEvent: false));
        var batch = new EventBatch(sink);
        foreach (DvsEvent e in events.Events)
        {
            batch.Add(e);
        }

        batch.Flush();
        return new ReadCounts();
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
            case ".raw":
                return EventFileFormat.PropheseeRaw;
            case ".aedat" or ".aedat2" or ".aedat3" or ".aedat4" or ".dat":
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
            "4.0" => EventFileFormat.Aedat4,
            not null => throw new InputFormatException(
                path, "byte 0", $"AEDAT version '{version}' is not supported (only 2.0, 3.1 and 4.0; convert other versions, e.g. with dv-processing)"),
            null => extension switch
            {
                ".dat" => EventFileFormat.PropheseeDat,
                ".aedat3" => EventFileFormat.Aedat31,
                ".aedat4" => EventFileFormat.Aedat4,
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

    /// <summary>
    /// A format as people and <c>inspect</c> name it ("N-MNIST .bin", not the enum's "NmnistBin"), written here only: the
    /// readers report their recordings and name the format in their errors by it ("not an AEDAT 2.0 file"), except a
    /// Prophesee .raw file, which reports its version once read (EVT 2.0, EVT 3.0).
    /// </summary>
    /// <param name="format">The format.</param>
    /// <returns>Its display name.</returns>
    public static string DisplayName(EventFileFormat format) => format switch
    {
        EventFileFormat.NmnistBin => "N-MNIST .bin",
        EventFileFormat.Csv => "CSV",
        EventFileFormat.Aedat2 => "AEDAT 2.0",
        EventFileFormat.Aedat31 => "AEDAT 3.1",
        EventFileFormat.PropheseeDat => "Prophesee .dat",
        EventFileFormat.Aedat4 => "AEDAT 4.0",
        EventFileFormat.PropheseeRaw => "Prophesee EVT .raw",
        _ => format.ToString(),
    };
}
