using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Traces;
using YamlDotNet.RepresentationModel;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// The points of a sweep: each is the base configuration with the sweep's seed, the fixed overrides and its values
/// written at their dotted paths. Every point runs with the same seed (the sweep's, or <c>set: {seed: N}</c>, or the
/// base's when the sweep names none), so the workload's samples, the reservoir and every device-variation draw are the
/// same at every point and a swept knob changes only what it models; a swept <c>seed</c> gives each point its value.
/// </summary>
public static class SweepPoints
{
    /// <summary>How many points the sweep has, counted without building any (<see cref="long.MaxValue"/> if more).</summary>
    public static long Count(SweepSpec spec) => Count(spec.Grid, spec.Parameters.Select(p => p.Values.Count));

    /// <summary>Points of a grid (the product of the value counts, saturating) or of a zip (the first count).</summary>
    public static long Count(bool grid, IEnumerable<int> valueCounts)
    {
        if (!grid) return valueCounts.FirstOrDefault();
        long n = 1;
        foreach (var c in valueCounts)
        {
            if (c == 0) return 0;
            n = n > long.MaxValue / c ? long.MaxValue : n * c;
        }
        return n;
    }

    /// <summary>The points in index order (built from one parsed base, <see cref="SweepPointBuilder"/>).</summary>
    public static IEnumerable<SweepPoint> Enumerate(SweepSpec spec)
    {
        var count = Count(spec);
        var builder = new SweepPointBuilder(spec);
        for (var index = 0; index < count; index++) yield return builder.Point(index);
    }

    /// <summary>Point <paramref name="index"/> (a builder of its own; to build many, keep a <see cref="SweepPointBuilder"/>).</summary>
    /// <exception cref="InputFormatException">A path that is not a key of the configuration, named with its line in the sweep file.</exception>
    public static SweepPoint Point(SweepSpec spec, int index) => new SweepPointBuilder(spec).Point(index);

    /// <summary>
    /// The sweep's identity, 16 hex digits: a hash of what decides its points (the base configuration with the sweep's
    /// seed and the fixed overrides, as the points write them; the sweep seed; each parameter's paths and values; grid or zip when it matters),
    /// and of nothing else (not the name, the file, comments or layout of the base, metrics or objectives). Two runs of the
    /// same identity have the same point, hash and seed at every index, so the shards of one sweep are known by it without
    /// building each other's points.
    /// </summary>
    public static string Identity(SweepSpec spec)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(spec.BaseText));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        SetCommon(root, spec);
        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        // One parameter enumerates the same points in a grid as in a zip.
        var mode = spec.Parameters.Count > 1 ? (spec.Grid ? "grid" : "zip") : "one";
        static JsonArray Strings(IEnumerable<string> items) => new(items.Select(x => (JsonNode?)x).ToArray());
        var parameters = spec.Parameters.Select(p => (JsonNode?)new JsonArray(Strings([p.Path, .. p.AlsoPaths ?? []]), Strings(p.Values)));
        var description = new JsonArray(writer.ToString(), mode, spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), new JsonArray(parameters.ToArray()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(description.ToJsonString())))[..16].ToLowerInvariant();
    }

    /// <summary>
    /// Writes what every point shares: the sweep's seed (when the file gives one), then the <c>set</c> overrides (a
    /// <c>seed</c> among them wins). The swept values are written after these, so a swept <c>seed</c> wins over both.
    /// </summary>
    internal static void SetCommon(YamlMappingNode root, SweepSpec spec)
    {
        if (spec.SeedGiven) Set(root, SeedPath, spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), spec.File);
        foreach (var p in spec.Fixed) Set(root, p, p.Values[0], spec.File);
    }

    /// <summary>The run configuration's top-level <c>seed</c> (a path no write can fail on).</summary>
    private static readonly SweepParameter SeedPath = new("seed", [], 0);

    /// <summary>Writes <paramref name="value"/> at <paramref name="parameter"/>'s path (a new plain scalar; a key the section lacks is appended).</summary>
    internal static void Set(YamlMappingNode root, SweepParameter parameter, string value, string file)
    {
        var keys = parameter.Path.Split('.');
        var node = root;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (node.Children.TryGetValue(new YamlScalarNode(keys[i]), out var child) && child is YamlMappingNode mapping)
            {
                node = mapping;
                continue;
            }
            throw new InputFormatException(file, $"line {parameter.Line} ({parameter.Path})",
                $"'{string.Join('.', keys[..(i + 1)])}' is not a section of the base configuration (an architecture given by name must be inlined to sweep its keys)");
        }
        node.Children[new YamlScalarNode(keys[^1])] = new YamlScalarNode(value);
    }
}
