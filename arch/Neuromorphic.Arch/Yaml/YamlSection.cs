using System.Globalization;
using Neuromorphic.Traces;
using YamlDotNet.RepresentationModel;

namespace Neuromorphic.Arch.Yaml;

/// <summary>
/// A mapping in a YAML file, read with its place: every value comes with the line it stands on,
/// so a bad value is reported as <c>file: line 12 (macro.parallel_rows): ...</c>. Keys that are
/// read are remembered, and <see cref="RejectUnknownKeys"/> turns a typo into an error instead
/// of a silently ignored setting.
/// </summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Wraps a mapping node found at <paramref name="path"/> (dotted) of <paramref name="file"/>.</summary>
    public YamlSection(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>Dotted path of this mapping from the document root (empty at the root).</summary>
    public string Path { get; }

    /// <summary>Line of the mapping itself.</summary>
    public long Line => _node.Start.Line;

    /// <summary>True if the key is present.</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>An error at <paramref name="key"/> of the nested section <paramref name="section"/> (dotted), located at its line when both exist.</summary>
    public InputFormatException ErrorAt(string section, string key, string problem)
    {
        var node = Find(section) is YamlMappingNode m ? new YamlSection(File, Dotted(section), m) : null;
        return node is not null ? node.Error(key, problem) : Error(section, problem);
    }

    /// <summary>The keys present, in file order.</summary>
    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    /// <summary>An error located at <paramref name="key"/> (or at the mapping if absent).</summary>
    public InputFormatException Error(string key, string problem)
    {
        var node = Find(key);
        var line = node?.Start.Line ?? _node.Start.Line;
        return new InputFormatException(File, $"line {line} ({Dotted(key)})", problem);
    }

    /// <summary>A string value, or <paramref name="fallback"/> if absent (null fallback = required).</summary>
    public string String(string key, string? fallback = null) =>
        Scalar(key) is { } s ? s.Value ?? "" : fallback ?? throw Error(key, "missing required key");

    /// <summary>A number, checked against [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Double(string key, double? fallback = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var s = Scalar(key);
        if (s is null) return fallback ?? throw Error(key, "missing required key");
        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw Error(key, $"'{s.Value}' is not a number");
        if (v < min || v > max) throw Error(key, $"{F(v)} is out of range [{F(min)}, {F(max)}]");
        return v;
    }

    /// <summary>An optional number (null if absent).</summary>
    public double? OptionalDouble(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Has(key) ? Double(key, null, min, max) : null;

    /// <summary>An integer, checked against [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int? fallback = null, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = Scalar(key);
        if (s is null) return fallback ?? throw Error(key, "missing required key");
        if (!int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            // Accept 512.0 or 1e3 where the value is integral.
            if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) v = (int)d;
            else throw Error(key, $"'{s.Value}' is not an integer");
        }
        if (v < min || v > max) throw Error(key, $"{v} is out of range [{min}, {max}]");
        return v;
    }

    /// <summary>An unsigned 64-bit integer (seeds), exactly.</summary>
    public ulong ULong(string key, ulong fallback)
    {
        var s = Scalar(key);
        if (s is null) return fallback;
        return ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw Error(key, $"'{s.Value}' is not a non-negative integer");
    }

    /// <summary>A boolean (true/false, yes/no, on/off).</summary>
    public bool Bool(string key, bool fallback)
    {
        var s = Scalar(key);
        if (s is null) return fallback;
        return (s.Value ?? "").ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            var other => throw Error(key, $"'{other}' is not true or false"),
        };
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), returned as written in <paramref name="choices"/>.</summary>
    public string Choice(string key, string fallback, params string[] choices)
    {
        var value = String(key, fallback);
        return choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase))
            ?? throw Error(key, $"'{value}' is not one of {string.Join(", ", choices)}");
    }

    /// <summary>A list of numbers.</summary>
    public double[] Doubles(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        _used.Add(key);
        if (Find(key) is not YamlSequenceNode seq) throw Error(key, "expected a list of numbers");
        return seq.Children.Select(item =>
        {
            var text = (item as YamlScalarNode)?.Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min || v > max)
                throw new InputFormatException(File, $"line {item.Start.Line} ({Dotted(key)})", $"'{text}' is not a number in [{F(min)}, {F(max)}]");
            return v;
        }).ToArray();
    }

    /// <summary>A list of scalar values as written (strings).</summary>
    public IReadOnlyList<string> Scalars(string key)
    {
        _used.Add(key);
        if (Find(key) is not YamlSequenceNode seq) throw Error(key, "expected a list of values");
        return seq.Children.Select(item => item is YamlScalarNode scalar
            ? scalar.Value ?? ""
            : throw new InputFormatException(File, $"line {item.Start.Line} ({Dotted(key)})", "expected a single value")).ToList();
    }

    /// <summary>True if <paramref name="key"/> holds a nested mapping (not a scalar or a list).</summary>
    public bool HasMapping(string key) => Find(key) is YamlMappingNode;

    /// <summary>A nested mapping, or null if absent.</summary>
    public YamlSection? Section(string key)
    {
        var node = Find(key);
        _used.Add(key);
        return node switch
        {
            null => null,
            YamlMappingNode m => new YamlSection(File, Dotted(key), m),
            YamlScalarNode { Value: null or "" or "~" or "null" } => null,
            _ => throw Error(key, "expected a mapping (key: value lines)"),
        };
    }

    /// <summary>A list of mappings (empty if absent).</summary>
    public IReadOnlyList<YamlSection> Sections(string key)
    {
        var node = Find(key);
        _used.Add(key);
        if (node is null) return [];
        if (node is not YamlSequenceNode seq) throw Error(key, "expected a list");
        return seq.Children.Select((item, i) => item is YamlMappingNode m
            ? new YamlSection(File, $"{Dotted(key)}[{i}]", m)
            : throw new InputFormatException(File, $"line {item.Start.Line} ({Dotted(key)}[{i}])", "expected a mapping")).ToList();
    }

    /// <summary>Fails on the first key that was never read: a misspelt setting must not be ignored.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!_used.Contains(key))
                throw new InputFormatException(File, $"line {keyNode.Start.Line} ({Dotted(key)})", "unknown key");
        }
    }

    /// <summary>
    /// Fails on the first key not in <paramref name="known"/>, before any is read: a misspelt section (<c>macr:</c>) must be
    /// named where it stands, not reported as the required section it was meant to be. The error suggests the closest
    /// known key, or <paramref name="elsewhere"/>'s note when it says the key belongs to another kind of file.
    /// </summary>
    /// <param name="known">Every key this mapping may have.</param>
    /// <param name="elsewhere">For a key of another kind of file, what to say about it (or null).</param>
    public void RejectKeysOtherThan(IReadOnlyCollection<string> known, Func<string, string?>? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(known);
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (known.Contains(key)) continue;
            var note = elsewhere?.Invoke(key)
                ?? (Spelling.Closest(key, known) is { } close ? $"did you mean '{close}'?" : $"known keys: {string.Join(", ", known)}");
            throw new InputFormatException(File, $"line {keyNode.Start.Line} ({Dotted(key)})", $"unknown key ({note})");
        }
    }

    private YamlScalarNode? Scalar(string key)
    {
        _used.Add(key);
        return Find(key) switch
        {
            null => null,
            YamlScalarNode s => s,
            _ => throw Error(key, "expected a single value"),
        };
    }

    private YamlNode? Find(string key) =>
        _node.Children.FirstOrDefault(p => p.Key is YamlScalarNode k && k.Value == key).Value;

    private string Dotted(string key) => string.IsNullOrEmpty(Path) ? key : string.IsNullOrEmpty(key) ? Path : $"{Path}.{key}";

    // As a YAML file writes numbers: 1e-9, not .NET's 1E-09 (positional from 1e-4 up, and for whole numbers).
    private static string F(double x) => double.IsInfinity(x) ? (x > 0 ? "inf" : "-inf")
        : x != 0 && Math.Abs(x) < 1e-4 ? x.ToString("0.###############e+0", CultureInfo.InvariantCulture)
        : x.ToString(CultureInfo.InvariantCulture);
}
