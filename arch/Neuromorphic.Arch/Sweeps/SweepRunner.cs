using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Runs a sweep's points (those of one shard) on <c>jobs</c> workers. Each point's result is
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

    /// <summary>What a run did.</summary>
    /// <param name="Points">Points of the sweep.</param>
    /// <param name="InShard">Points of this shard.</param>
    /// <param name="Done">Points computed now.</param>
    /// <param name="Skipped">Points found done.</param>
    public sealed record Outcome(int Points, int InShard, int Done, int Skipped);

    /// <summary>Runs the points of shard <paramref name="shard"/> of <paramref name="shards"/>.</summary>
    public static Outcome Run(SweepSpec spec, string directory, int jobs, int shard, int shards, Action<double>? progress = null, MemoryBudget? budget = null)
    {
        if (jobs < 1) throw new ArgumentOutOfRangeException(nameof(jobs), jobs, "jobs must be >= 1");
        if (shards < 1 || shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard}/{shards} is not valid");
        var pointsDir = Path.Combine(directory, PointsFolder);
        var count = SweepPoints.Count(spec);
        if (count > int.MaxValue) throw new InputFormatException(spec.File, "parameters", $"{count} points: more than a sweep can index");
        var total = (int)count;
        // Every point's hash goes into the manifest; only this shard's points are kept (their configurations are large).
        var hashes = new string[total];
        var mine = new List<SweepPoint>();
        for (var i = 0; i < total; i++)
        {
            var point = SweepPoints.Point(spec, i);
            hashes[i] = point.Hash;
            if (i % shards == shard) mine.Add(point);
        }
        Directory.CreateDirectory(pointsDir);
        WriteManifest(spec, directory, hashes);
        var pending = mine.Where(p => !IsDone(Path.Combine(pointsDir, p.Hash + ".json"))).ToList();
        // Points with the same hash (the same values and seed: a value listed twice, an integer sample drawn twice) are one
        // configuration: run once, its result stands for each.
        var distinct = pending.DistinctBy(p => p.Hash, StringComparer.Ordinal).ToList();
        var finished = 0;
        try
        {
            Parallel.ForEach(distinct, new ParallelOptions { MaxDegreeOfParallelism = jobs }, point =>
            {
                // Points in parallel take the cores; one point at a time runs its chip's function pass on a second thread.
                var result = RunPoint(spec, point, budget, jobs == 1 ? Environment.ProcessorCount : 1);
                AtomicFile.WriteText(Path.Combine(pointsDir, point.Hash + ".json"), w => w.Write(result.ToJsonString()));
                progress?.Invoke(Interlocked.Increment(ref finished) / (double)distinct.Count);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Report the first failing point's own error (a bad value is bad input, not a crash).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return new Outcome(total, mine.Count, pending.Count, mine.Count - pending.Count);
    }

    /// <summary>Runs one point and returns its result record; its chip executor runs on <paramref name="threads"/> threads (results do not depend on it).</summary>
    public static JsonObject RunPoint(SweepSpec spec, SweepPoint point, MemoryBudget? budget = null, int threads = 1)
    {
        var config = RunConfigLoader.Parse(point.ConfigText, $"{spec.File} point {point.Index}");
        RunRecord summary;
        if (config.Transformer is not null)
        {
            summary = TransformerReport.Summary(config, TransformerExperiment.Run(config.Architecture, config.Transformer, config.Seed));
        }
        else
        {
            var samples = WorkloadLoader.Load(config.Workload, config.Encoding, config.Seed, plan: RunPlan.Check(config, budget ?? MemoryBudget.Default));
            DatasetSplit.RequireTrainAndTest(samples, config.Readout, config.Seed, config.Origin);
            try
            {
                summary = RunDirectory.Summary(config, LsmExperiment.Run(config.Architecture, config.Lsm, config.Readout, samples, config.Encoding.TimestepSeconds, config.Seed,
                    semantics: config.Semantics, threads: threads));
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
            return JsonNode.Parse(File.ReadAllText(file))?["metrics"] is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteManifest(SweepSpec spec, string directory, IReadOnlyList<string> hashes)
    {
        var manifest = new JsonObject
        {
            ["name"] = spec.Name,
            ["file"] = spec.File,
            ["seed"] = spec.Seed,
            ["points"] = hashes.Count,
            // Point i's result is points/HASHES[i].json. A rerun of an edited sweep into the same directory
            // reuses the results whose configuration is unchanged (their index may have moved) and merging
            // ignores results that are no longer points of the sweep, instead of mixing two sweeps' rows.
            ["hashes"] = new JsonArray(hashes.Select(h => (JsonNode?)h).ToArray()),
            ["parameters"] = new JsonArray(spec.Parameters.Select(p => (JsonNode?)p.Path).ToArray()),
            ["metrics"] = new JsonArray(spec.Metrics.Select(m => (JsonNode?)m).ToArray()),
            ["objectives"] = new JsonArray(spec.Objectives.Select(o => (JsonNode?)new JsonObject { ["metric"] = o.Metric, ["goal"] = o.Minimise ? "min" : "max" }).ToArray()),
        };
        AtomicFile.WriteText(Path.Combine(directory, Manifest), w => w.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }
}
