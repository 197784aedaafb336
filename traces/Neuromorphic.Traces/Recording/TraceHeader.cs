using System.Text.Json;
using System.Text.Json.Nodes;

namespace Neuromorphic.Traces.Recording;

/// <summary>
/// Typed reads of a trace header's JSON: a missing key, a value of the wrong JSON type or out of
/// range is an <see cref="InputFormatException"/> naming the file, the header's byte offset and the key.
/// </summary>
internal sealed class TraceHeader(JsonObject node, string file, string place)
{
    public string String(string key) => Value(key) is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>() : throw Wrong(key, "a string");

    public int Int(string key, int min, int max)
    {
        if (Value(key) is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<double>(out var d) || d != Math.Floor(d))
            throw Wrong(key, "an integer");
        if (d < min || d > max) throw new InputFormatException(file, $"{place}, key '{key}'", $"{d} is out of range [{min}, {max}]");
        return (int)d;
    }

    public double Double(string key) => Value(key) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
        ? d : throw Wrong(key, "a number");

    public IReadOnlyList<JsonNode?> Array(string key) => Value(key) is JsonArray a ? a.ToList() : throw Wrong(key, "a list");

    public TraceHeader Object(JsonNode? item, string name) =>
        item is JsonObject o ? new TraceHeader(o, file, $"{place}, {name}") : throw new InputFormatException(file, $"{place}, {name}", "expected a JSON object");

    /// <summary>An object whose values are all strings.</summary>
    public IReadOnlyDictionary<string, string> Strings(string key)
    {
        if (Value(key) is not JsonObject o) throw Wrong(key, "an object of strings");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in o)
            result[k] = v is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>()
                : throw new InputFormatException(file, $"{place}, key '{key}.{k}'", "expected a string");
        return result;
    }

    private JsonNode? Value(string key) =>
        node.TryGetPropertyValue(key, out var value) ? value : throw new InputFormatException(file, place, $"missing key '{key}'");

    private InputFormatException Wrong(string key, string expected) => new(file, $"{place}, key '{key}'", $"expected {expected}");
}
