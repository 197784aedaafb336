using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads Prophesee Metavision <c>.raw</c> files in the EVT 2.0 and EVT 3.0 encodings
/// (docs.prophesee.ai, "EVT 2.0 Format" and "EVT 3.0 Format"), what OpenEB and Metavision
/// record from Prophesee and Sony IMX636 / GenX320 sensors by default.
/// </summary>
/// <remarks>
/// <para>
/// Header: lines starting with <c>%</c> up to <c>% end</c> (or the first line without
/// <c>%</c>). The encoding comes from <c>% format EVT3;height=H;width=W</c> (newer files) or
/// <c>% evt 3.0</c> (older ones); the sensor size from the format line's <c>width</c>/<c>height</c>
/// or <c>% geometry WxH</c>, else from the caller. Words are little-endian (the sensors' default).
/// </para>
/// <para>
/// EVT 2.0 (<see cref="Evt2Decoder"/>) and EVT 3.0 (<see cref="Evt3Decoder"/>) words are decoded
/// as their classes describe; CD events become <see cref="DvsEvent"/>s with the recorded time in
/// µs (times are kept as recorded, as for Prophesee <c>.dat</c>: they count from the start of
/// the recording). Skipped and counted (<see cref="ReadCounts"/>): external triggers, OTHERS and
/// CONTINUED words, events before the first time base (their time is unknown); reserved word
/// types are counted as <c>invalid.words.type_0xN</c> and otherwise ignored.
/// </para>
/// <para>
/// Memory: one 1 MiB buffer of words and one batch of events, whatever the file's size.
/// Errors raise <see cref="InputFormatException"/> naming the byte: a missing header or encoding,
/// an event outside the sensor or earlier than its predecessor (the byte of the word that
/// produced it), a file that ends inside a word.
/// </para>
/// </remarks>
public static class PropheseeRaw
{
    /// <summary>Bytes read per chunk (a multiple of 4, so only the last chunk can end inside a word).</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>Reads a <c>.raw</c> file into memory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>The CD events, times as recorded.</returns>
    /// <exception cref="InputFormatException">The file is malformed or its sensor size unknown.</exception>
    public static EventStream Read(string path, int width = 0, int height = 0)
    {
        var collector = new EventCollector();
        Read(path, collector, width, height);
        return collector.ToStream();
    }

    /// <summary>Streams the CD events of a <c>.raw</c> file to a sink.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sink">Receives the sensor size and the events.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>What was skipped or invalid.</returns>
    /// <exception cref="InputFormatException">The file is malformed or its sensor size unknown.</exception>
    public static ReadCounts Read(string path, IEventSink sink, int width = 0, int height = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, path, sink, width, height);
    }

    /// <summary>Streams the CD events of <c>.raw</c> data to a sink.</summary>
    /// <param name="stream">The data, from its current position; offsets in errors count from there.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="sink">Receives the sensor size and the events.</param>
    /// <param name="width">Sensor width; 0 takes it from the header.</param>
    /// <param name="height">Sensor height; 0 takes it from the header.</param>
    /// <returns>What was skipped or invalid.</returns>
    /// <exception cref="InputFormatException">The data is malformed or its sensor size unknown.</exception>
    public static ReadCounts Read(Stream stream, string fileName, IEventSink sink, int width = 0, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);

        var reader = new FormatReader(stream);
        RawHeader header = RawHeader.Read(reader, fileName);
        width = width > 0 ? width : header.Width;
        height = height > 0 ? height : header.Height;
        if (width <= 0 || height <= 0)
        {
            throw new InputFormatException(
                fileName, "header", "sensor size unknown: no 'width=/height=' in the format line and no '% geometry' line; pass the width and height");
        }

        const int MaxCoordinate = 2048; // both encodings carry 11-bit coordinates
        if (width > MaxCoordinate || height > MaxCoordinate)
        {
            throw new InputFormatException(fileName, "header", $"sensor {width} x {height} is larger than the encoding's {MaxCoordinate} x {MaxCoordinate}");
        }

        var counts = new ReadCounts();
        sink.Begin(new RecordingInfo($"EVT {header.Version}", width, height, TimesFromFirstEvent: false));
        var buffer = new byte[ChunkBytes];
        if (header.Version == "3.0")
        {
            var decoder = new Evt3Decoder(fileName, width, height, sink);
            Pump(reader, buffer, 2, fileName, (chunk, at) => decoder.Decode(chunk, at));
            decoder.Finish(counts);
        }
        else
        {
            var decoder = new Evt2Decoder(fileName, width, height, sink);
            Pump(reader, buffer, 4, fileName, (chunk, at) => decoder.Decode(chunk, at));
            decoder.Finish(counts);
        }

        return counts;
    }

    private delegate void ChunkHandler(ReadOnlySpan<byte> chunk, long offset);

    /// <summary>Feeds the data to a decoder in whole words; a partial word at the end is an error.</summary>
    private static void Pump(FormatReader reader, byte[] buffer, int wordSize, string fileName, ChunkHandler decode)
    {
        while (true)
        {
            long at = reader.Position;
            int length = reader.Read(buffer);
            int whole = length - length % wordSize;
            if (whole > 0)
            {
                decode(buffer.AsSpan(0, whole), at);
            }

            if (whole != length)
            {
                throw new InputFormatException(fileName, $"byte {at + whole}", $"truncated word ({length - whole} of {wordSize} bytes)");
            }

            if (length < buffer.Length)
            {
                return;
            }
        }
    }
}
