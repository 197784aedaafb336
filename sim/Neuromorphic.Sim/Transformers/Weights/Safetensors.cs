using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>
/// Reads and writes the <c>safetensors</c> format (Hugging Face): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON mapping each tensor name to <c>{"dtype", "shape",
/// "data_offsets": [begin, end]}</c> (offsets into the data that follows the header; an optional
/// <c>__metadata__</c> entry maps strings to strings), then the raw little-endian tensors in C
/// order. Float types read: <c>F64</c>, <c>F32</c>, <c>F16</c>, <c>BF16</c>; integer and boolean
/// tensors are listed but not converted.
/// </summary>
public static class Safetensors
{
    /// <summary>Largest header accepted (the reference implementation's limit is 100 MB).</summary>
    private const long MaxHeader = 100_000_000;

    private static readonly Dictionary<string, (int Bytes, bool Float)> Types = new(StringComparer.Ordinal)
    {
        ["F64"] = (8, true), ["F32"] = (4, true), ["F16"] = (2, true), ["BF16"] = (2, true),
        ["I64"] = (8, false), ["I32"] = (4, false), ["I16"] = (2, false), ["I8"] = (1, false),
        ["U64"] = (8, false), ["U32"] = (4, false), ["U16"] = (2, false), ["U8"] = (1, false), ["BOOL"] = (1, false),
        ["F8_E4M3"] = (1, false), ["F8_E5M2"] = (1, false),
    };

    /// <summary>Opens a file: parses and checks the header; values are read on demand.</summary>
    /// <exception cref="InputFormatException">Naming the byte or tensor where the file is wrong.</exception>
    public static TensorArchive Open(string path)
    {
        long fileLength;
        byte[] header;
        using (var s = File.OpenRead(path))
        {
            fileLength = s.Length;
            Span<byte> lengthBytes = stackalloc byte[8];
            if (s.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
                throw new InputFormatException(path, "byte 0", "shorter than the 8-byte header length");
            var n = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (n == 0 || n > MaxHeader || (long)n > fileLength - 8)
                throw new InputFormatException(path, "byte 0", $"header length {n} does not fit the file of {fileLength} bytes");
            header = new byte[n];
            s.ReadExactly(header);
        }
        var dataStart = 8 + header.LongLength;
        var dataLength = fileLength - dataStart;
        var tensors = new List<(TensorInfo Info, long Begin)>();
        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputFormatException(path, "header", "is not a JSON object");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                var where = $"header, tensor '{p.Name}'";
                var e = p.Value;
                if (e.ValueKind != JsonValueKind.Object
                    || !e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String
                    || !e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array
                    || !e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
                    throw new InputFormatException(path, where, "needs dtype, shape and two data_offsets");
                var dtype = dt.GetString()!;
                if (!Types.TryGetValue(dtype, out var type)) throw new InputFormatException(path, where, $"unknown dtype '{dtype}'");
                var shape = new List<long>();
                foreach (var d in sh.EnumerateArray())
                {
                    if (!d.TryGetInt64(out var v) || v < 0) throw new InputFormatException(path, where, "shape holds a negative or non-integer dimension");
                    shape.Add(v);
                }
                if (!off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > dataLength)
                    throw new InputFormatException(path, where, $"data_offsets lie outside the {dataLength} data bytes");
                var info = new TensorInfo(p.Name, shape, dtype, type.Float);
                if (info.Elements * type.Bytes != end - begin)
                    throw new InputFormatException(path, where, $"{end - begin} bytes do not hold {info.ShapeText} of {dtype}");
                tensors.Add((info, begin));
            }
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(path, $"header byte {ex.BytePositionInLine}", "the header is not valid JSON", ex);
        }
        var begins = tensors.ToDictionary(t => t.Info.Name, t => t.Begin, StringComparer.Ordinal);
        return new TensorArchive(path, tensors.Select(t => t.Info), info =>
        {
            var name = begins.ContainsKey(info.Name) ? info.Name : "module." + info.Name;
            return ReadValues(path, dataStart + begins[name], info);
        });
    }

    private static float[] ReadValues(string path, long offset, TensorInfo info)
    {
        var bytes = Types[info.DType].Bytes;
        var n = checked((int)info.Elements);
        var raw = new byte[(long)n * bytes];
        using (var s = File.OpenRead(path))
        {
            s.Position = offset;
            if (s.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false) < raw.Length)
                throw new InputFormatException(path, $"byte {offset}", $"tensor '{info.Name}' is truncated");
        }
        var values = new float[n];
        var span = raw.AsSpan();
        for (var i = 0; i < n; i++)
        {
            values[i] = info.DType switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(span[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(span[(2 * i)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]) << 16), // BF16: the top half of an F32
            };
        }
        return values;
    }

    /// <summary>
    /// Writes F32 tensors (for tests and tools); the header is padded with spaces to a multiple of 8
    /// bytes, as the reference writer does. Written to a temporary file and renamed.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, long[] Shape, float[] Values)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var json = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, shape, values) in list)
        {
            if (shape.Aggregate(1L, (a, d) => a * d) != values.Length) throw new ArgumentException($"{name}: shape does not match {values.Length} values");
            if (json.Length > 1) json.Append(',');
            json.Append(JsonSerializer.Serialize(name)).Append(":{\"dtype\":\"F32\",\"shape\":[").Append(string.Join(',', shape))
                .Append("],\"data_offsets\":[").Append(offset).Append(',').Append(offset + 4L * values.Length).Append("]}");
            offset += 4L * values.Length;
        }
        json.Append('}');
        while ((json.Length + 8) % 8 != 0) json.Append(' ');
        var header = Encoding.UTF8.GetBytes(json.ToString());
        AtomicFile.Write(path, stream =>
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)header.Length);
            stream.Write(buffer);
            stream.Write(header);
            foreach (var (_, _, values) in list)
                foreach (var v in values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
                    stream.Write(buffer[..4]);
                }
        });
    }
}
