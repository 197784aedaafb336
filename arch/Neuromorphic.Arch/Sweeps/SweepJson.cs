using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Reads the JSON files of a sweep directory (manifest, shard hashes, point results), which users copy between machines
/// and may find truncated or edited: every field is checked for its type and range, and anything else is an
/// <see cref="InputFormatException"/> naming the file and the field (exit 2), never a crash.
/// </summary>
internal static class SweepJson
{
    /// <summary>The file's JSON object; <paramref name="what"/> names what the file should be ("a point result").</summary>
    public static JsonObject Read(string file, string what)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException ex) { throw new InputFormatException(file, "", $"not {what}: {ex.Message}"); }
        return node as JsonObject ?? throw new InputFormatException(file, "", $"not {what}: a JSON object was expected");
    }

    /// <summary>A string field.</summary>
    public static string String(JsonObject o, string key, string file) =>
        OptionalString(o, key, file) ?? throw Bad(file, key, "a string");

    /// <summary>A string field, or null when it is absent.</summary>
    public static string? OptionalString(JsonObject o, string key, string file) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Bad(file, key, "a string"),
    };

    /// <summary>An integer field in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Int(JsonObject o, string key, string file, int min, int max = int.MaxValue) =>
        o[key] is JsonValue v && v.TryGetValue<int>(out var i) && i >= min && i <= max ? i : throw Bad(file, key, $"an integer in [{min}, {max}]");

    /// <summary>An object field.</summary>
    public static JsonObject Object(JsonObject o, string key, string file) => o[key] as JsonObject ?? throw Bad(file, key, "an object");

    /// <summary>An array field of strings.</summary>
    public static List<string> Strings(JsonObject o, string key, string file) =>
        (o[key] as JsonArray ?? throw Bad(file, key, "an array of strings"))
        .Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(file, key, "an array of strings")).ToList();

    /// <summary>An array field of objects.</summary>
    public static List<JsonObject> Objects(JsonObject o, string key, string file) =>
        (o[key] as JsonArray ?? throw Bad(file, key, "an array of objects"))
        .Select(n => n as JsonObject ?? throw Bad(file, key, "an array of objects")).ToList();

    private static InputFormatException Bad(string file, string key, string expected) =>
        new(file, key, $"must be {expected}");
}
