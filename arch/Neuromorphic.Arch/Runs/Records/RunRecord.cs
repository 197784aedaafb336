using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Runs.Records;

/// <summary>
/// The figures of one run, keyed by catalogue names (<see cref="MetricCatalogue"/>), in the order
/// they were set. It is the only way a command writes <c>summary.json</c>: a name outside the
/// catalogue or a value of the wrong kind is refused, and a number that is not finite is written
/// as <c>null</c> (not defined for this run) so the file is always valid JSON.
/// </summary>
public sealed class RunRecord
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<KeyValuePair<string, JsonNode?>> _values = [];

    /// <summary>The names set so far, in order.</summary>
    public IEnumerable<string> Names => _values.Select(v => v.Key);

    /// <summary>Sets a number (or integer) metric; NaN and infinities become <c>null</c>.</summary>
    public RunRecord Number(string name, double value)
    {
        var d = Check(name, MetricKind.Number, MetricKind.Integer);
        if (d.Kind == MetricKind.Integer && double.IsFinite(value) && value != Math.Round(value))
            throw new ArgumentException($"metric '{name}' is an integer count, got {value}", nameof(value));
        return Put(name, double.IsFinite(value) ? JsonValue.Create(value) : null);
    }

    /// <summary>Sets a number metric that may be absent (<c>null</c>).</summary>
    public RunRecord Number(string name, double? value) => value is { } v ? Number(name, v) : Put(name, Nullable(name));

    /// <summary>Sets an integer count.</summary>
    public RunRecord Count(string name, long value)
    {
        Check(name, MetricKind.Integer, MetricKind.Number);
        return Put(name, JsonValue.Create(value));
    }

    /// <summary>Sets an unsigned integer (seeds).</summary>
    public RunRecord Count(string name, ulong value)
    {
        Check(name, MetricKind.Integer);
        return Put(name, JsonValue.Create(value));
    }

    /// <summary>Sets a text metric (<c>null</c> allowed).</summary>
    public RunRecord Text(string name, string? value)
    {
        Check(name, MetricKind.Text);
        return Put(name, value is null ? null : JsonValue.Create(value));
    }

    /// <summary>Sets a name -> number map; keys are written in ordinal order so files diff cleanly.</summary>
    public RunRecord Map(string name, IEnumerable<KeyValuePair<string, double>> values)
    {
        Check(name, MetricKind.NumberMap);
        var map = new JsonObject();
        foreach (var (key, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            map[key] = double.IsFinite(v) ? JsonValue.Create(v) : null;
        return Put(name, map);
    }

    /// <summary>Sets a list of strings.</summary>
    public RunRecord List(string name, IEnumerable<string> values)
    {
        Check(name, MetricKind.TextList);
        return Put(name, new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));
    }

    /// <summary>Sets a nested record (its own names are catalogue metrics too).</summary>
    public RunRecord Section(string name, RunRecord section)
    {
        Check(name, MetricKind.Section);
        ArgumentNullException.ThrowIfNull(section);
        return Put(name, section.ToJson());
    }

    /// <summary>The record as a JSON object (a fresh copy).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (var (key, value) in _values) o[key] = value?.DeepClone();
        return o;
    }

    /// <summary>The record as compact JSON (what <c>--json</c> prints).</summary>
    public string ToJsonString() => ToJson().ToJsonString();

    /// <summary>The file <see cref="WriteSummary"/> writes.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>Writes <c>summary.json</c> into <paramref name="directory"/> atomically (temporary file, then rename).</summary>
    public void WriteSummary(string directory)
    {
        Directory.CreateDirectory(directory);
        var text = ToJson().ToJsonString(Indented);
        AtomicFile.WriteText(Path.Combine(directory, SummaryFileName), w => w.Write(text));
    }

    private static MetricDefinition Check(string name, params MetricKind[] kinds)
    {
        var d = MetricCatalogue.Get(name);
        if (Array.IndexOf(kinds, d.Kind) < 0)
            throw new ArgumentException($"metric '{name}' is a {d.Kind}, not a {kinds[0]}", nameof(name));
        return d;
    }

    private static JsonNode? Nullable(string name)
    {
        Check(name, MetricKind.Number, MetricKind.Integer);
        return null;
    }

    private RunRecord Put(string name, JsonNode? value)
    {
        var at = _values.FindIndex(v => v.Key == name);
        if (at >= 0) throw new InvalidOperationException($"metric '{name}' is set twice");
        _values.Add(KeyValuePair.Create(name, value));
        return this;
    }
}
