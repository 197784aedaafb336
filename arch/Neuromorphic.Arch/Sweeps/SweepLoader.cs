using System.Globalization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Arch.Yaml;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Reads a sweep file. Parameters are dotted paths into the base configuration, each with a list
/// (<c>values</c>), a range (<c>range: {start, stop, step, scale: linear|log}</c>; log multiplies by
/// <c>step</c>) or a seeded random sample (<c>sample: {count, low, high, scale, integer}</c>).
/// Errors name the file, the line and the key.
/// </summary>
public static class SweepLoader
{
    /// <summary>The summary metrics <c>sweep.csv</c> carries by default.</summary>
    public static IReadOnlyList<string> DefaultMetrics { get; } =
    [
        "accuracy", "software_accuracy", "baseline_accuracy", "golden_spike_agreement", "energy_per_inference_J",
        "latency_s", "edp_Js", "activation_sparsity", "macros", "chip_area_um2",
    ];

    /// <summary>Default limit on the points of a sweep (<c>--max-points</c>).</summary>
    public const long DefaultMaxPoints = 100_000;

    /// <summary>
    /// Loads and checks a sweep file (the first point's configuration is built to check the paths).
    /// The points are counted before any is built: more than <paramref name="maxPoints"/> is refused.
    /// </summary>
    public static SweepSpec Load(string path, long maxPoints = DefaultMaxPoints)
    {
        var root = YamlFile.Load(path);
        var name = root.String("name");
        var baseName = root.String("base");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var candidate = Path.IsPathRooted(baseName) ? baseName : Path.Combine(folder, baseName);
        string baseText;
        string baseFile;
        if (baseName.Trim().Length > 0 && File.Exists(candidate)) (baseText, baseFile) = (YamlFile.ReadText(candidate), candidate);
        else if (Presets.TryRead(baseName, out var preset, out var origin) && Presets.RunNames.Contains(baseName)) (baseText, baseFile) = (preset, origin);
        else throw root.Error("base", $"'{baseName}' is neither a file nor a run preset (run presets: {string.Join(", ", Presets.RunNames)})");
        // The points edit the base's YAML tree: it must be one mapping (errors name the base file).
        YamlFile.Parse(baseText, baseFile);
        var seedGiven = root.Has("seed");
        var seed = root.ULong("seed", 1);
        var mode = root.Choice("mode", "grid", "grid", "zip");
        var fixedValues = new List<SweepParameter>();
        if (root.Section("set") is { } set)
        {
            foreach (var key in set.Keys.ToList())
                fixedValues.Add(new SweepParameter(key, [set.String(key)], set.Line));
        }
        var parameters = root.Sections("parameters").Select(p => ReadParameter(p, seed)).ToList();
        if (parameters.Count == 0) throw root.Error("parameters", "a sweep needs at least one parameter");
        if (mode == "zip" && parameters.Select(p => p.Values.Count).Distinct().Count() > 1)
            throw root.Error("mode", "zip needs every parameter to have the same number of values");
        var objectives = root.Sections("objectives").Select(o =>
        {
            var objective = new SweepObjective(CatalogueMetric(o, o.String("metric"), "metric"), o.Choice("goal", "min", "min", "max") == "min");
            o.RejectUnknownKeys();
            return objective;
        }).ToList();
        var metrics = root.Has("metrics") ? root.Scalars("metrics").Select(m => CatalogueMetric(root, m, "metrics")).ToList() : DefaultMetrics;
        root.RejectUnknownKeys();
        var points = SweepPoints.Count(mode == "grid", parameters.Select(p => p.Values.Count));
        if (points > maxPoints)
            throw root.Error("parameters", $"the sweep has {(points == long.MaxValue ? "more than 9.2e18" : points.ToString("N0", CultureInfo.InvariantCulture))} points, more than the limit of {maxPoints.ToString("N0", CultureInfo.InvariantCulture)} (raise it with --max-points)");
        var spec = new SweepSpec
        {
            Name = name, File = path, Base = baseName, BaseText = baseText, Seed = seed, SeedGiven = seedGiven, Grid = mode == "grid",
            Fixed = fixedValues, Parameters = parameters, Objectives = objectives,
            Metrics = metrics.Concat(objectives.Select(o => o.Metric)).Distinct().ToList(),
        };
        // Every path must land on a key the configuration accepts: build the first point to find out.
        SweepPoints.Enumerate(spec).First();
        return spec;
    }

    /// <summary>A sweep's metric must be a number in the metric catalogue: a misspelt name would give an empty column.</summary>
    private static string CatalogueMetric(YamlSection section, string name, string key)
    {
        if (!MetricCatalogue.TryGet(name, out var metric))
        {
            var close = MetricCatalogue.All.Where(m => m.Kind is MetricKind.Number or MetricKind.Integer)
                .OrderBy(m => Neuromorphic.Traces.Spelling.Distance(m.Name, name)).First().Name;
            throw section.Error(key, $"'{name}' is not a metric (did you mean '{close}'? every name is in docs/metrics.md)");
        }
        if (metric.Kind is not (MetricKind.Number or MetricKind.Integer))
            throw section.Error(key, $"'{name}' is not a number, so it cannot be a sweep column or objective");
        return name;
    }

    private static SweepParameter ReadParameter(YamlSection p, ulong seed)
    {
        // `path: a.b` or `paths: [a.b, c.d]` (every path gets the same value; the first names the column).
        var paths = p.Has("paths") ? p.Scalars("paths") : [p.String("path")];
        if (paths.Count == 0 || paths.Any(string.IsNullOrWhiteSpace)) throw p.Error(p.Has("paths") ? "paths" : "path", "empty path");
        var path = paths[0];
        var kinds = new[] { "values", "range", "sample" }.Where(p.Has).ToList();
        if (kinds.Count != 1) throw p.Error("path", $"'{path}' needs exactly one of values, range or sample");
        IReadOnlyList<string> values = kinds[0] switch
        {
            "values" => ReadValues(p),
            // An empty "range:" or "sample:" reads as no section: a mapping is required.
            "range" => ReadRange(p.Section("range") ?? throw p.Error("range", "expected a mapping {start, stop, step}")),
            _ => ReadSample(p.Section("sample") ?? throw p.Error("sample", "expected a mapping {count, low, high}"), DeterministicRandom.ForComponent(seed, "sweep.sample." + path)),
        };
        if (values.Count == 0) throw p.Error(kinds[0], $"'{path}' has no values");
        p.RejectUnknownKeys();
        return new SweepParameter(path, values, p.Line, paths.Skip(1).ToList());
    }

    private static IReadOnlyList<string> ReadValues(YamlSection p)
    {
        var values = p.Scalars("values");
        if (values.Count == 0) throw p.Error("values", "empty list of values");
        return values;
    }

    private static IReadOnlyList<string> ReadRange(YamlSection r)
    {
        var start = r.Double("start");
        var stop = r.Double("stop");
        var step = r.Double("step");
        var log = r.Choice("scale", "linear", "linear", "log") == "log";
        r.RejectUnknownKeys();
        if (log ? !(step > 1) || !(start > 0) : !(step > 0)) throw r.Error("step", log ? "a log range needs start > 0 and a factor step > 1" : "step must be > 0");
        if (stop < start) throw r.Error("stop", "stop is below start: the range is empty");
        var values = new List<string>();
        for (var (k, v) = (0, start); v <= stop * (1 + 1e-12) && values.Count <= 100_000; k++, v = log ? start * Math.Pow(step, k) : start + k * step)
            values.Add(Format(v));
        return values;
    }

    private static IReadOnlyList<string> ReadSample(YamlSection s, DeterministicRandom rng)
    {
        var count = s.Int("count", null, 1, 100_000);
        var low = s.Double("low");
        var high = s.Double("high");
        var log = s.Choice("scale", "linear", "linear", "log") == "log";
        var integer = s.Bool("integer", false);
        s.RejectUnknownKeys();
        if (high < low) throw s.Error("high", "high is below low");
        if (log && !(low > 0)) throw s.Error("low", "a log sample needs low > 0");
        return Enumerable.Range(0, count).Select(_ =>
        {
            var u = rng.NextDouble();
            var v = log ? low * Math.Pow(high / low, u) : low + u * (high - low);
            return integer ? Format(Math.Round(v)) : Format(v);
        }).ToList();
    }

    /// <summary>A number as the YAML scalar the configuration reads (round trip, invariant).</summary>
    public static string Format(double v) => v == Math.Floor(v) && Math.Abs(v) < 1e15 ? ((long)v).ToString(CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
}
