using System.Globalization;
using System.Text.Json.Nodes;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Merges sweep directories (shards, or resumed runs) into <c>sweep.csv</c> (one row per point,
/// sorted by index: parameters, the point's seed, then metrics) and <c>pareto.csv</c> (the points no other point
/// beats on every objective). Deterministic: the files depend only on the point results.
/// </summary>
public static class SweepMerge
{
    /// <summary>The merged points.</summary>
    /// <param name="Parameters">Swept paths.</param>
    /// <param name="Metrics">Metric columns.</param>
    /// <param name="Objectives">Pareto objectives (metric, minimise).</param>
    /// <param name="Rows">Per point: index, parameter values, run seed (as its result records it; empty if it does not), metric values.</param>
    /// <param name="Pareto">Indices of the non-dominated points.</param>
    /// <param name="Expected">Points the sweep has.</param>
    public sealed record Result(IReadOnlyList<string> Parameters, IReadOnlyList<string> Metrics, IReadOnlyList<(string Metric, bool Minimise)> Objectives,
        IReadOnlyList<(int Index, string[] Values, string Seed, double[] Metrics)> Rows, IReadOnlyList<int> Pareto, int Expected)
    {
        /// <summary>
        /// Groups of points (indices, ascending) whose configurations are identical, so they ran once: a swept value that a
        /// later write replaced (e.g. ADC bits written into an architecture section that another parameter then replaces
        /// by a preset name) never reached its point. Empty when every point's configuration is its own.
        /// </summary>
        public IReadOnlyList<int[]> SharedConfigurations { get; init; } = [];
    }

    /// <summary>Reads and merges the directories; writes sweep.csv and pareto.csv into <paramref name="output"/>.</summary>
    public static Result Merge(IReadOnlyList<string> directories, string output)
    {
        if (directories.Count == 0) throw new ArgumentException("no sweep directory to merge");
        var manifestPath = ManifestPath(directories[0]);
        var manifest = ReadManifest(directories[0]);
        var parameters = SweepJson.Strings(manifest, "parameters", manifestPath);
        var metrics = SweepJson.Strings(manifest, "metrics", manifestPath);
        var objectives = SweepJson.Objects(manifest, "objectives", manifestPath).Select(o => (SweepJson.String(o, "metric", manifestPath),
            SweepJson.String(o, "goal", manifestPath) switch
            {
                "min" => true,
                "max" => false,
                var goal => throw new InputFormatException(manifestPath, "objectives", $"goal '{goal}' is not min or max"),
            })).ToList();
        var expected = SweepJson.Int(manifest, "points", manifestPath, 0);

        // Each directory knows the hashes of the points its shards ran (a directory written before shards listed theirs knows
        // every point's from its manifest, one written before hashes were recorded none); together they name each point's result.
        // By index, only those known (the manifest's point count is not trusted with an allocation).
        var hashOf = new Dictionary<int, string>();
        var known = false;
        foreach (var directory in directories)
        {
            var other = directory == directories[0] ? manifest : ReadManifest(directory);
            RequireSameSweep(directories[0], manifest, directory, other);
            foreach (var (index, hash, source) in KnownHashes(directory, other))
            {
                known = true;
                if (index < 0 || index >= expected || hashOf.TryGetValue((int)index, out var seen) && seen != hash)
                    throw new InputFormatException(source, "", $"another sweep than {manifestPath}'s (their points differ): merge the directories of one sweep");
                hashOf[(int)index] = hash;
            }
        }
        // A hash may stand at several indices: two points with the same values and seed are one configuration (a value
        // listed twice, an integer sample drawn twice), run once and a row at each of their indices.
        var indicesOf = known ? hashOf.OrderBy(p => p.Key).ToLookup(p => p.Value, p => p.Key, StringComparer.Ordinal) : null;

        var rows = new SortedDictionary<int, (string[] Values, string Seed, double[] Metrics)>();
        foreach (var directory in directories)
        {
            var folder = Path.Combine(directory, SweepRunner.PointsFolder);
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: not a sweep directory");
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                // A result that is not a point of this sweep (the directory held another sweep, or an earlier version of it) is not a row.
                if (indicesOf is not null && !indicesOf.Contains(Path.GetFileNameWithoutExtension(file))) continue;
                var point = SweepJson.Read(file, "a point result");
                var indices = indicesOf?[Path.GetFileNameWithoutExtension(file)] ?? [SweepJson.Int(point, "index", file, 0, Math.Max(0, expected - 1))];
                var pointParameters = SweepJson.Object(point, "parameters", file);
                var values = parameters.Select(p => SweepJson.OptionalString(pointParameters, p, file) ?? "").ToArray();
                // The seed as written (a 64-bit integer; a double would round it).
                var seed = point["seed"] is JsonValue s && s.TryGetValue<ulong>(out var exact) ? exact.ToString(CultureInfo.InvariantCulture) : "";
                var m = SweepJson.Object(point, "metrics", file);
                var numbers = metrics.Select(k => m[k] is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN).ToArray();
                foreach (var index in indices) rows[index] = (values, seed, numbers);
            }
        }
        var list = rows.Select(r => (r.Key, r.Value.Values, r.Value.Seed, r.Value.Metrics)).ToList();
        var pareto = ParetoFront(list, metrics, objectives);
        Directory.CreateDirectory(output);
        // Every row says which seed it ran with, unless a swept `seed` (or a `seed` metric) already does.
        var seedColumn = !parameters.Contains("seed") && !metrics.Contains("seed");
        Write(Path.Combine(output, "sweep.csv"), parameters, seedColumn, metrics, list);
        Write(Path.Combine(output, "pareto.csv"), parameters, seedColumn, metrics, list.Where(r => pareto.Contains(r.Key)).ToList());
        var shared = indicesOf is null ? [] : indicesOf.Select(g => g.ToArray()).Where(g => g.Length > 1).OrderBy(g => g[0]).ToList();
        return new Result(parameters, metrics, objectives, list, pareto, expected) { SharedConfigurations = shared };
    }

    private static string ManifestPath(string directory) => Path.Combine(directory, SweepRunner.Manifest);

    private static JsonObject ReadManifest(string directory)
    {
        var path = ManifestPath(directory);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not a sweep directory (no {SweepRunner.Manifest})");
        return SweepJson.Read(path, "a sweep manifest");
    }

    /// <summary>The sweep's identity (null for a directory written before it was recorded).</summary>
    private static string? Identity(JsonObject manifest, string directory) => SweepJson.OptionalString(manifest, "sweep", ManifestPath(directory));

    /// <summary>
    /// The point hashes a directory knows, with the file that says so: its shard files of the manifest's identity (stale
    /// ones of an earlier version of the sweep are ignored), or a manifest's list of every point's (written before shards
    /// listed their own).
    /// </summary>
    private static IEnumerable<(long Index, string Hash, string Source)> KnownHashes(string directory, JsonObject manifest)
    {
        var manifestPath = ManifestPath(directory);
        if (manifest["hashes"] is not null)
        {
            var all = SweepJson.Strings(manifest, "hashes", manifestPath);
            for (var i = 0; i < all.Count; i++) yield return (i, all[i], manifestPath);
            yield break;
        }
        var folder = Path.Combine(directory, SweepRunner.ShardsFolder);
        if (Identity(manifest, directory) is not { } identity || !Directory.Exists(folder)) yield break;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var shard = SweepJson.Read(file, "a shard's point hashes");
            if (SweepJson.OptionalString(shard, "sweep", file) != identity) continue;
            var shards = SweepJson.Int(shard, "shards", file, 1);
            long first = SweepJson.Int(shard, "shard", file, 0, shards - 1);
            var hashes = SweepJson.Strings(shard, "hashes", file);
            for (var k = 0; k < hashes.Count; k++) yield return (first + (long)k * shards, hashes[k], file);
        }
    }

    /// <summary>Every merged directory must hold the same sweep as the first (shards of one sweep), or its rows would mix in.</summary>
    private static void RequireSameSweep(string first, JsonObject firstManifest, string directory, JsonObject manifest)
    {
        if (directory == first) return;
        // Directories that both record the sweep's identity compare it; older ones compare the hashes they know (above).
        if (SweepJson.Int(manifest, "points", ManifestPath(directory), 0) != SweepJson.Int(firstManifest, "points", ManifestPath(first), 0)
            || Identity(firstManifest, first) is { } a && Identity(manifest, directory) is { } b && a != b)
            throw new InputFormatException(Path.Combine(directory, SweepRunner.Manifest), "",
                $"another sweep than {Path.Combine(first, SweepRunner.Manifest)}'s (their points differ): merge the directories of one sweep");
    }

    private static List<int> ParetoFront(List<(int Index, string[] Values, string Seed, double[] Metrics)> rows, List<string> metrics, List<(string Metric, bool Minimise)> objectives)
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

    private static void Write(string path, List<string> parameters, bool seedColumn, List<string> metrics, List<(int Index, string[] Values, string Seed, double[] Metrics)> rows) =>
        AtomicFile.WriteText(path, w =>
        {
            string[] seedHeader = seedColumn ? ["seed"] : [];
            w.Write(string.Join(",", new[] { "index" }.Concat(parameters).Concat(seedHeader).Concat(metrics)) + "\n");
            foreach (var (index, values, seed, numbers) in rows)
                w.Write(string.Join(",", new[] { index.ToString(CultureInfo.InvariantCulture) }.Concat(values).Concat(seedColumn ? [seed] : [])
                    .Concat(numbers.Select(n => double.IsNaN(n) ? "" : n.ToString("R", CultureInfo.InvariantCulture)))) + "\n");
        });
}
