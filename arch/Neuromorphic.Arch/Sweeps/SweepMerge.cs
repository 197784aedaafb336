using System.Globalization;
using System.Text.Json.Nodes;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Merges sweep directories (shards, or resumed runs) into <c>sweep.csv</c> (one row per point,
/// sorted by index: parameters then metrics) and <c>pareto.csv</c> (the points no other point
/// beats on every objective). Deterministic: the files depend only on the point results.
/// </summary>
public static class SweepMerge
{
    /// <summary>The merged points.</summary>
    /// <param name="Parameters">Swept paths.</param>
    /// <param name="Metrics">Metric columns.</param>
    /// <param name="Objectives">Pareto objectives (metric, minimise).</param>
    /// <param name="Rows">Per point: index, parameter values, metric values.</param>
    /// <param name="Pareto">Indices of the non-dominated points.</param>
    /// <param name="Expected">Points the sweep has.</param>
    public sealed record Result(IReadOnlyList<string> Parameters, IReadOnlyList<string> Metrics, IReadOnlyList<(string Metric, bool Minimise)> Objectives,
        IReadOnlyList<(int Index, string[] Values, double[] Metrics)> Rows, IReadOnlyList<int> Pareto, int Expected);

    /// <summary>Reads and merges the directories; writes sweep.csv and pareto.csv into <paramref name="output"/>.</summary>
    public static Result Merge(IReadOnlyList<string> directories, string output)
    {
        if (directories.Count == 0) throw new ArgumentException("no sweep directory to merge");
        var manifest = ReadManifest(directories[0]);
        var parameters = manifest["parameters"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var metrics = manifest["metrics"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var objectives = manifest["objectives"]!.AsArray().Select(n => (n!["metric"]!.GetValue<string>(), n["goal"]!.GetValue<string>() == "min")).ToList();
        var expected = manifest["points"]!.GetValue<int>();

        // Each directory knows the hashes of the points its shards ran (a directory written before shards listed theirs knows
        // every point's from its manifest, one written before hashes were recorded none); together they name each point's result.
        var hashOf = new string?[expected];
        var known = false;
        foreach (var directory in directories)
        {
            var other = directory == directories[0] ? manifest : ReadManifest(directory);
            RequireSameSweep(directories[0], manifest, directory, other);
            foreach (var (index, hash, source) in KnownHashes(directory, other))
            {
                known = true;
                if (index < 0 || index >= expected || hashOf[index] is { } seen && seen != hash)
                    throw new InputFormatException(source, "", $"another sweep than {Path.Combine(directories[0], SweepRunner.Manifest)}'s (their points differ): merge the directories of one sweep");
                hashOf[index] = hash;
            }
        }
        // A hash may stand at several indices: two points with the same values and seed are one configuration (a value
        // listed twice, an integer sample drawn twice), run once and a row at each of their indices.
        var indicesOf = known ? hashOf.Select((h, i) => (h, i)).Where(p => p.h is not null).ToLookup(p => p.h!, p => p.i, StringComparer.Ordinal) : null;

        var rows = new SortedDictionary<int, (string[] Values, double[] Metrics)>();
        foreach (var directory in directories)
        {
            var folder = Path.Combine(directory, SweepRunner.PointsFolder);
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: not a sweep directory");
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                // A result that is not a point of this sweep (the directory held another sweep, or an earlier version of it) is not a row.
                if (indicesOf is not null && !indicesOf.Contains(Path.GetFileNameWithoutExtension(file))) continue;
                JsonNode point;
                try { point = JsonNode.Parse(File.ReadAllText(file))!; }
                catch (System.Text.Json.JsonException ex) { throw new InputFormatException(file, "", $"not a point result: {ex.Message}"); }
                var indices = indicesOf?[Path.GetFileNameWithoutExtension(file)] ?? [point["index"]!.GetValue<int>()];
                var values = parameters.Select(p => point["parameters"]![p]?.GetValue<string>() ?? "").ToArray();
                var m = point["metrics"]!;
                var numbers = metrics.Select(k => m[k] is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN).ToArray();
                foreach (var index in indices) rows[index] = (values, numbers);
            }
        }
        var list = rows.Select(r => (r.Key, r.Value.Values, r.Value.Metrics)).ToList();
        var pareto = ParetoFront(list, metrics, objectives);
        Directory.CreateDirectory(output);
        Write(Path.Combine(output, "sweep.csv"), parameters, metrics, list);
        Write(Path.Combine(output, "pareto.csv"), parameters, metrics, list.Where(r => pareto.Contains(r.Key)).ToList());
        return new Result(parameters, metrics, objectives, list, pareto, expected);
    }

    private static JsonNode ReadManifest(string directory)
    {
        var path = Path.Combine(directory, SweepRunner.Manifest);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not a sweep directory (no {SweepRunner.Manifest})");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    /// <summary>The sweep's identity (null for a directory written before it was recorded).</summary>
    private static string? Identity(JsonNode manifest) => manifest["sweep"]?.GetValue<string>();

    /// <summary>
    /// The point hashes a directory knows, with the file that says so: its shard files of the manifest's identity (stale
    /// ones of an earlier version of the sweep are ignored), or a manifest's list of every point's (written before shards
    /// listed their own).
    /// </summary>
    private static IEnumerable<(int Index, string Hash, string Source)> KnownHashes(string directory, JsonNode manifest)
    {
        var manifestPath = Path.Combine(directory, SweepRunner.Manifest);
        if (manifest["hashes"] is JsonArray all)
        {
            for (var i = 0; i < all.Count; i++) yield return (i, all[i]!.GetValue<string>(), manifestPath);
            yield break;
        }
        var folder = Path.Combine(directory, SweepRunner.ShardsFolder);
        if (Identity(manifest) is not { } identity || !Directory.Exists(folder)) yield break;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            JsonNode shard;
            try { shard = JsonNode.Parse(File.ReadAllText(file))!; }
            catch (System.Text.Json.JsonException ex) { throw new InputFormatException(file, "", $"not a shard's point hashes: {ex.Message}"); }
            if (shard["sweep"]?.GetValue<string>() != identity) continue;
            int first = shard["shard"]!.GetValue<int>(), step = shard["shards"]!.GetValue<int>();
            var hashes = shard["hashes"]!.AsArray();
            for (var k = 0; k < hashes.Count; k++) yield return (first + k * step, hashes[k]!.GetValue<string>(), file);
        }
    }

    /// <summary>Every merged directory must hold the same sweep as the first (shards of one sweep), or its rows would mix in.</summary>
    private static void RequireSameSweep(string first, JsonNode firstManifest, string directory, JsonNode manifest)
    {
        if (directory == first) return;
        // Directories that both record the sweep's identity compare it; older ones compare the hashes they know (above).
        if (manifest["points"]!.GetValue<int>() != firstManifest["points"]!.GetValue<int>()
            || Identity(firstManifest) is { } a && Identity(manifest) is { } b && a != b)
            throw new InputFormatException(Path.Combine(directory, SweepRunner.Manifest), "",
                $"another sweep than {Path.Combine(first, SweepRunner.Manifest)}'s (their points differ): merge the directories of one sweep");
    }

    private static List<int> ParetoFront(List<(int Index, string[] Values, double[] Metrics)> rows, List<string> metrics, List<(string Metric, bool Minimise)> objectives)
    {
        if (objectives.Count == 0) return [];
        var columns = objectives.Select(o => (Column: metrics.IndexOf(o.Metric), o.Minimise)).ToList();
        double Score(double[] m, (int Column, bool Minimise) c) => c.Minimise ? m[c.Column] : -m[c.Column];
        var front = new List<int>();
        foreach (var a in rows)
        {
            if (columns.Any(c => double.IsNaN(a.Metrics[c.Column]))) continue;
            var dominated = rows.Any(b => b.Index != a.Index
                && columns.All(c => Score(b.Metrics, c) <= Score(a.Metrics, c))
                && columns.Any(c => Score(b.Metrics, c) < Score(a.Metrics, c)));
            if (!dominated) front.Add(a.Index);
        }
        return front;
    }

    private static void Write(string path, List<string> parameters, List<string> metrics, List<(int Index, string[] Values, double[] Metrics)> rows) =>
        AtomicFile.WriteText(path, w =>
        {
            w.Write(string.Join(",", new[] { "index" }.Concat(parameters).Concat(metrics)) + "\n");
            foreach (var (index, values, numbers) in rows)
                w.Write(string.Join(",", new[] { index.ToString(CultureInfo.InvariantCulture) }.Concat(values)
                    .Concat(numbers.Select(n => double.IsNaN(n) ? "" : n.ToString("R", CultureInfo.InvariantCulture)))) + "\n");
        });
}
