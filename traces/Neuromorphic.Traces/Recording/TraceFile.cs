using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Neuromorphic.Traces.Recording;

/// <summary>
/// The trace file format (<c>.nmtrace</c>, documented in docs/trace-format.md), version 1:
/// magic <c>NMTRACE\0</c>; u16 version; u16 flags (0); u32 header length; the header, UTF-8 JSON
/// (populations, timesteps, dt_s, samples, metadata); then per sample a LEB128 label + 1 and, per
/// population and timestep, a LEB128 spike count followed by the spiking indices, delta-coded
/// (first index, then gap - 1 to each next, all LEB128); finally a little-endian u32 CRC-32 of
/// every byte between the magic and the checksum. Integers are little-endian.
/// </summary>
public static class TraceFile
{
    /// <summary>The magic bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "NMTRACE\0"u8;

    /// <summary>The version this code writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Writes a trace atomically.</summary>
    public static void Write(string path, SpikeTrace trace) => AtomicFile.Write(path, stream => Write(stream, trace));

    /// <summary>Writes a trace to a stream.</summary>
    public static void Write(Stream stream, SpikeTrace trace)
    {
        trace.Validate();
        var body = new MemoryStream();
        var header = new JsonObject
        {
            ["populations"] = new JsonArray(trace.Populations.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["size"] = p.Size }).ToArray()),
            ["timesteps"] = trace.Timesteps,
            ["dt_s"] = trace.Dt,
            ["samples"] = trace.Samples.Count,
            ["metadata"] = new JsonObject(trace.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        Span<byte> fixedPart = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(fixedPart, Version);
        BinaryPrimitives.WriteUInt16LittleEndian(fixedPart[2..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[4..], (uint)headerBytes.Length);
        body.Write(fixedPart);
        body.Write(headerBytes);
        foreach (var sample in trace.Samples)
        {
            WriteVarint(body, (ulong)(sample.Label + 1));
            foreach (var raster in sample.Populations)
                for (var t = 0; t < raster.Timesteps; t++)
                {
                    var row = raster.Row(t);
                    var count = 0;
                    foreach (var v in row) if (v != 0) count++;
                    WriteVarint(body, (ulong)count);
                    var previous = -1;
                    for (var i = 0; i < row.Length; i++)
                    {
                        if (row[i] == 0) continue;
                        WriteVarint(body, (ulong)(i - previous - 1));
                        previous = i;
                    }
                }
        }
        var bytes = body.ToArray();
        stream.Write(Magic);
        stream.Write(bytes);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(bytes));
        stream.Write(crc);
    }

    /// <summary>Reads a trace file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="budget">Memory the rasters may take (default: half the machine's).</param>
    /// <exception cref="InputFormatException">Bad magic, unsupported version, truncation, a bad checksum, a damaged header or an index out of range, with the byte offset.</exception>
    public static SpikeTrace Read(string path, MemoryBudget? budget = null) => Read(File.ReadAllBytes(path), path, budget);

    /// <summary>Reads a trace from its bytes; <paramref name="file"/> names it in errors.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="file">Names the file in errors.</param>
    /// <param name="budget">Memory the rasters may take (default: half the machine's).</param>
    /// <exception cref="InputFormatException">As <see cref="Read(string, MemoryBudget)"/>.</exception>
    public static SpikeTrace Read(ReadOnlySpan<byte> data, string file, MemoryBudget? budget = null)
    {
        try
        {
            return ReadChecked(data, file, budget);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // The JSON DOM reports some damage (duplicate keys, odd values) only when a value is reached.
            throw new InputFormatException(file, "header", $"damaged header: {ex.Message}", ex);
        }
    }

    private static SpikeTrace ReadChecked(ReadOnlySpan<byte> data, string file, MemoryBudget? budget)
    {
        var magic = Magic;
        if (data.Length < magic.Length || !data[..magic.Length].SequenceEqual(magic))
            throw new InputFormatException(file, "byte 0", "not a trace file (bad magic; expected NMTRACE)");
        if (data.Length < magic.Length + 8 + 4) throw new InputFormatException(file, $"byte {data.Length}", "truncated header");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        if (version != Version) throw new InputFormatException(file, "byte 8", $"unsupported trace version {version} (this program reads {Version})");
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        if (Crc32.Compute(data[magic.Length..^4]) != stored)
            throw new InputFormatException(file, $"byte {data.Length - 4}", "checksum mismatch: the file is truncated or corrupt");
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        var offset = 16;
        if (offset + headerLength > data.Length - 4) throw new InputFormatException(file, $"byte {offset}", "truncated header");
        var headerAt = $"byte {offset} (header)";
        JsonObject header;
        try
        {
            // Strict UTF-8 first: the JSON reader would otherwise report invalid bytes in its own words.
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data.Slice(offset, (int)headerLength));
            header = JsonNode.Parse(text) as JsonObject ?? throw new InputFormatException(file, headerAt, "header is not a JSON object");
        }
        catch (DecoderFallbackException ex) { throw new InputFormatException(file, $"byte {offset + ex.Index}", "header is not valid UTF-8"); }
        catch (JsonException ex) { throw new InputFormatException(file, headerAt, $"header is not JSON: {ex.Message}"); }
        offset += (int)headerLength;
        var fields = new TraceHeader(header, file, headerAt);
        var populations = fields.Array("populations").Select((p, i) =>
        {
            var population = fields.Object(p, $"populations[{i}]");
            return new TracePopulation(population.String("name"), population.Int("size", 0, int.MaxValue));
        }).ToList();
        if (populations.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != populations.Count)
            throw new InputFormatException(file, headerAt, "two populations have the same name");
        var timesteps = fields.Int("timesteps", 1, int.MaxValue);
        var dt = fields.Double("dt_s");
        if (!(dt > 0) || !double.IsFinite(dt)) throw new InputFormatException(file, $"{headerAt}, key 'dt_s'", $"{dt} is not a positive timestep in seconds");
        var count = fields.Int("samples", 0, int.MaxValue);
        var metadata = fields.Strings("metadata");
        var end = data.Length - 4;
        // Every timestep of every population of every sample takes at least one byte: a header that
        // promises more is damaged, whatever memory there is.
        if ((double)count * (populations.Count * (double)timesteps + 1) > end - offset)
            throw new InputFormatException(file, $"{headerAt}, key 'samples'", $"{count} samples of {timesteps} timesteps cannot fit in the {end - offset} bytes of spike data");
        (budget ?? MemoryBudget.Default).Require((double)count * timesteps * populations.Sum(p => (double)p.Size) * sizeof(float), file, $"{headerAt}, key 'populations'",
            $"{count} samples x {timesteps} timesteps of {populations.Sum(p => (long)p.Size)} neurons");
        var samples = new List<TraceSample>(count);
        for (var s = 0; s < count; s++)
        {
            var labelAt = offset;
            var labelPlusOne = ReadVarint(data, ref offset, end, file);
            if (labelPlusOne > int.MaxValue) throw new InputFormatException(file, $"byte {labelAt}", $"sample {s}: label {labelPlusOne - 1} is out of range");
            var label = (int)labelPlusOne - 1;
            var rasters = new List<SpikeRaster>(populations.Count);
            foreach (var population in populations)
            {
                var raster = new SpikeRaster(timesteps, population.Size);
                for (var t = 0; t < timesteps; t++)
                {
                    var at = offset;
                    var spikes = ReadVarint(data, ref offset, end, file);
                    var row = raster.MutableRow(t);
                    var index = -1L;
                    for (ulong k = 0; k < spikes; k++)
                    {
                        at = offset;
                        index += (long)ReadVarint(data, ref offset, end, file) + 1;
                        if (index >= population.Size)
                            throw new InputFormatException(file, $"byte {at}", $"sample {s}, population '{population.Name}', timestep {t}: neuron {index} is outside its {population.Size}");
                        row[(int)index] = 1;
                    }
                }
                rasters.Add(raster);
            }
            samples.Add(new TraceSample(label, rasters));
        }
        if (offset != end) throw new InputFormatException(file, $"byte {offset}", "data after the last sample");
        return new SpikeTrace { Populations = populations, Timesteps = timesteps, Dt = dt, Samples = samples, Metadata = metadata };
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int offset, int end, string file)
    {
        ulong value = 0;
        var start = offset;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= end) throw new InputFormatException(file, $"byte {start}", "truncated spike data");
            var b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InputFormatException(file, $"byte {start}", "malformed number (LEB128 longer than 64 bits)");
    }
}
