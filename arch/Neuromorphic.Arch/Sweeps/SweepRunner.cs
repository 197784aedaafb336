using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Runs a sweep's points (those of one shard), up to <c>jobs</c> at once within a budget of threads: each point runs on
/// its share of it (<see cref="ThreadBudget.Split"/>: points at once x threads a point &lt;= the budget). Each point's result is
/// written atomically to <c>points/HASH.json</c>, HASH being the hash of the point's full
/// configuration, so a rerun skips the points already done (resume after a crash or Ctrl-C) and
/// shards can run anywhere and be merged.
/// </summary>
public static class SweepRunner
{
    /// <summary>The folder of point results inside a sweep directory.</summary>
    public const string PointsFolder = "points";

    /// <summary>The sweep's description inside a sweep directory (for merging).</summary>
    public const string Manifest = "sweep.json";

    /// <summary>The folder of the shards' point hashes inside a sweep directory (<c>I-of-N.json</c> per shard run there).</summary>
    public const string ShardsFolder = "shards";

    /// <summary>What a run did.</summary>
    /// <param name="Points">Points of the sweep.</param>
    /// <param name="InShard">Points of this shard.</param>
    /// <param name="Done">Points computed now.</param>
    /// <param name="Skipped">Points found done.</param>
    public sealed record Outcome(int Points, int InShard, int Done, int Skipped);

    /// <summary>
    /// Runs the points of shard <paramref name="shard"/> of <paramref name="shards"/>, up to <paramref name="jobs"/> at once
    /// (at most <paramref name="threads"/>' threads: a point needs one), keeping at most <paramref name="threads"/> threads busy
    /// (null: <paramref name="jobs"/>, one a point). Each of the w points at once runs on threads / w threads (the last
    /// points too: the split is fixed when the loop starts); the results do not depend on either. <paramref name="beforePoints"/>
    /// hears that share once, before the points run (the CLI bounds process-wide library settings to it).
    /// </summary>
    public static Outcome Run(SweepSpec spec, string directory, int jobs, int shard, int shards, Action<double>? progress = null, MemoryBudget? budget = null,
        ThreadBudget? threads = null, Action<ThreadBudget>? beforePoints = null)
    {
        if (jobs < 1) throw new ArgumentOutOfRangeException(nameof(jobs), jobs, "jobs must be >= 1");
        threads ??= new ThreadBudget(jobs);
        if (shards < 1 || shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard}/{shards} is not valid");
        var pointsDir = Path.Combine(directory, PointsFolder);
        var count = SweepPoints.Count(spec);
        if (count > int.MaxValue) throw new InputFormatException(spec.File, "parameters", $"{count} points: more than a sweep can index");
        var total = (int)count;
        // A shard builds, checks and hashes its own points only (a point's configuration takes ~0.3 ms: building all
        // 100,000 points of a large sweep took every shard half a minute before it ran one); the shards of one sweep
        // know each other by the sweep's identity, and each lists its own hashes for the merge.
        var mine = Hashes(spec, shard < total ? (total - 1 - shard) / shards + 1 : 0, k => shard + k * shards, threads);
        Directory.CreateDirectory(pointsDir);
        var identity = SweepPoints.Identity(spec);
        WriteManifest(spec, directory, identity, total);
        WriteShardHashes(directory, identity, shard, shards, mine);
        var pending = Enumerable.Range(0, mine.Length).Where(k => !IsDone(Path.Combine(pointsDir, mine[k] + ".json"))).ToList();
        // Points with the same hash (the same values and seed: a value listed twice, an integer sample drawn twice) are one
        // configuration: run once, its result stands for each.
        var distinct = pending.DistinctBy(k => mine[k], StringComparer.Ordinal).ToList();
        var finished = 0;
        // Points at once x each point's threads (its workload loading, mapping, chip executor, transformer passes) <= the
        // budget: it was jobs x (the whole machine for a transformer point, 2 for a chip at --jobs 1).
        var (options, each) = threads.Split(Math.Min(jobs, distinct.Count));
        beforePoints?.Invoke(each);
        try
        {
            Parallel.ForEach(distinct, options, () => new SweepPointBuilder(spec), (k, _, builder) =>
            {
                threads.Run(() =>
                {
                    // The configuration is built again rather than kept: a large shard's texts would take hundreds of megabytes.
                    var point = builder.Point(shard + k * shards);
                    var result = RunPoint(spec, point, budget, each);
                    AtomicFile.WriteText(Path.Combine(pointsDir, point.Hash + ".json"), w => w.Write(result.ToJsonString()));
                    progress?.Invoke(Interlocked.Increment(ref finished) / (double)distinct.Count);
                });
                return builder;
            }, _ => { });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Report the first failing point's own error (a bad value is bad input, not a crash).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return new Outcome(total, mine.Length, pending.Count, mine.Length - pending.Count);
    }

    /// <summary>
    /// The hashes of <paramref name="count"/> points, the k-th being point <paramref name="indexOf"/>(k), built on
    /// <paramref name="threads"/>' workers (a flat loop); a point that cannot be built throws its error, the lowest such index's whatever the threads.
    /// </summary>
    private static string[] Hashes(SweepSpec spec, int count, Func<int, int> indexOf, ThreadBudget threads)
    {
        var hashes = new string[count];
        var errors = new Exception?[count];
        // One parsed base per worker (SweepPointBuilder): the points and their errors are a fresh parse's.
        Parallel.For(0, count, threads.Options, () => new SweepPointBuilder(spec), (k, _, builder) =>
        {
            try { hashes[k] = builder.Point(indexOf(k)).Hash; }
            catch (Exception ex) { errors[k] = ex; }
            return builder;
        }, _ => { });
        if (errors.FirstOrDefault(e => e is not null) is { } first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        return hashes;
    }

    /// <summary>
    /// Runs one point and returns its result record, keeping at most <paramref name="threads"/> threads busy (null: one): its
    /// workload loading, mapping and chip executor, or its transformer's passes (results do not depend on it).
    /// </summary>
    public static JsonObject RunPoint(SweepSpec spec, SweepPoint point, MemoryBudget? budget = null, ThreadBudget? threads = null)
    {
        threads ??= ThreadBudget.Serial;
        var config = RunConfigLoader.Parse(point.ConfigText, $"{spec.File} point {point.Index}");
        RunRecord summary;
        if (config.Transformer is not null)
        {
            summary = TransformerReport.Summary(config, TransformerExperiment.Run(config.Architecture, config.Transformer, config.Seed, threads));
        }
        else
        {
            var samples = WorkloadLoader.Load(config.Workload, config.Encoding, config.Seed, plan: RunPlan.Check(config, budget ?? MemoryBudget.Default),
                threads: threads.Threads);
            DatasetSplit.RequireTrainAndTest(samples, config.Readout, config.Seed, config.Origin);
            try
            {
                summary = RunDirectory.Summary(config, LsmExperiment.Run(config.Architecture, config.Lsm, config.Readout, samples, config.Encoding.TimestepSeconds, config.Seed,
                    semantics: config.Semantics, threads: threads.Threads));
            }
            catch (Mapping.MappingException ex)
            {
                throw new InputFormatException(config.Origin, "architecture.chip", ex.Message);
            }
        }
        var parameters = new JsonObject();
        foreach (var (path, value) in point.Values) parameters[path] = value;
        return new JsonObject
        {
            ["index"] = point.Index,
            ["hash"] = point.Hash,
            ["seed"] = point.Seed,
            ["parameters"] = parameters,
            ["metrics"] = summary.ToJson(),
        };
    }

    private static bool IsDone(string file)
    {
        if (!File.Exists(file)) return false;
        try
        {
            // A result is written atomically, but check anyway: a damaged file is recomputed.
            return JsonNode.Parse(File.ReadAllText(file)) is JsonObject result && result["metrics"] is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteManifest(SweepSpec spec, string directory, string identity, int points)
    {
        // The same file from every shard of the sweep (they may share the directory): no shard's own points in it.
        var manifest = new JsonObject
        {
            ["name"] = spec.Name,
            ["file"] = spec.File,
            ["seed"] = spec.Seed,
            // Where the points' run seed comes from (sweep.csv's seed column has each point's): the sweep's `seed` (the one
            // above), `set: {seed}`, a swept `seed` (each point its value), or the base configuration's when the sweep names none.
            ["seed_source"] = spec.SeedSource,
            ["points"] = points,
            // Point i's result is points/HASH.json, HASH being in the shard files (shards/I-of-N.json) of this identity. A rerun
            // of an edited sweep into the same directory reuses the results whose configuration is unchanged (their index may
            // have moved) and merging ignores results that are no longer points of the sweep (and shard files of another
            // identity), instead of mixing two sweeps' rows.
            ["sweep"] = identity,
            ["parameters"] = new JsonArray(spec.Parameters.Select(p => (JsonNode?)p.Path).ToArray()),
            ["metrics"] = new JsonArray(spec.Metrics.Select(m => (JsonNode?)m).ToArray()),
            ["objectives"] = new JsonArray(spec.Objectives.Select(o => (JsonNode?)new JsonObject { ["metric"] = o.Metric, ["goal"] = o.Minimise ? "min" : "max" }).ToArray()),
        };
        AtomicFile.WriteText(Path.Combine(directory, Manifest), w => w.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>Writes <c>shards/I-of-N.json</c>: the sweep's identity and the hashes of the shard's points (the k-th is point I + k N).</summary>
    private static void WriteShardHashes(string directory, string identity, int shard, int shards, IReadOnlyList<string> hashes)
    {
        var folder = Path.Combine(directory, ShardsFolder);
        Directory.CreateDirectory(folder);
        var file = new JsonObject
        {
            ["sweep"] = identity,
            ["shard"] = shard,
            ["shards"] = shards,
            ["hashes"] = new JsonArray(hashes.Select(h => (JsonNode?)h).ToArray()),
        };
        AtomicFile.WriteText(Path.Combine(folder, ShardFile(shard, shards)), w => w.Write(file.ToJsonString()));
    }

    /// <summary>The name of shard <paramref name="shard"/> of <paramref name="shards"/>'s file in <see cref="ShardsFolder"/>.</summary>
    public static string ShardFile(int shard, int shards) => string.Create(CultureInfo.InvariantCulture, $"{shard}-of-{shards}.json");
}
