using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Sweeps;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Sweeps;

/// <summary>Sweep files, points, resume, shards and merging, on a fast transformer base (rates mode).</summary>
public sealed partial class SweepTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Directory.CreateTempSubdirectory("nm-sweep-").FullName;
        // A fast base: the small Meta-SpikeFormer priced from given rates.
        Presets.TryRead("sdt-v2-small", out var text, out _);
        File.WriteAllText(Path.Combine(_dir, "base.yaml"), text.Replace("mode: functional", "mode: rates"));
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string Sweep(string parameters, string extra = "")
    {
        var path = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(path, $"name: t\nbase: base.yaml\nseed: 3\n{extra}parameters:\n{parameters}objectives:\n  - {{metric: energy_per_inference_J, goal: min}}\n  - {{metric: latency_s, goal: min}}\n");
        return path;
    }

    private const string TwoByTwo = "  - path: transformer.uniform_rate\n    values: [0.05, 0.2]\n  - path: architecture.macro.adc.bits\n    values: [4, 6]\n";

    [Test]
    public void GridZipRangeAndSampleMakeTheRightPoints()
    {
        var grid = SweepLoader.Load(Sweep(TwoByTwo));
        Assert.That(SweepPoints.Count(grid), Is.EqualTo(4));
        Assert.That(SweepPoints.Point(grid, 1).Values.Select(v => v.Value), Is.EqualTo(new[] { "0.05", "6" }), "the last parameter varies fastest");
        var zip = SweepLoader.Load(Sweep(TwoByTwo, "mode: zip\n"));
        Assert.That(SweepPoints.Count(zip), Is.EqualTo(2));
        var range = SweepLoader.Load(Sweep("  - path: architecture.macro.parallel_rows\n    range: {start: 8, stop: 64, step: 2, scale: log}\n"));
        Assert.That(range.Parameters[0].Values, Is.EqualTo(new[] { "8", "16", "32", "64" }));
        var sample = SweepLoader.Load(Sweep("  - path: transformer.uniform_rate\n    sample: {count: 5, low: 0.05, high: 0.3}\n"));
        Assert.That(sample.Parameters[0].Values.Select(double.Parse), Has.All.InRange(0.05, 0.3));
        Assert.That(SweepLoader.Load(Sweep("  - path: transformer.uniform_rate\n    sample: {count: 5, low: 0.05, high: 0.3}\n")).Parameters[0].Values,
            Is.EqualTo(sample.Parameters[0].Values), "seeded");
    }

    [Test]
    public void One_builder_gives_every_point_in_any_order_what_a_fresh_parse_gives()
    {
        // A worker's builder keeps its parsed base between points: a point's text, hash and seed must not depend on which
        // points it built before (a fixed override, a key the base lacks, appended, and a parameter whose value replaces
        // the section another one writes into, which fails on the reused tree and is built again from a fresh parse).
        var specs = new[]
        {
            SweepLoader.Load(Sweep(TwoByTwo + "  - path: transformer.software_reference\n    values: [true, false]\n", "set:\n  architecture.macro.columns_per_adc: 4\n")),
            SweepLoader.Load(Sweep("  - path: architecture.macro.adc.bits\n    values: [4, 6]\n  - path: architecture\n    values: [rram-40nm-256kb, neurosim-rram-32nm]\n")),
        };
        foreach (var spec in specs)
        {
            var count = (int)SweepPoints.Count(spec);
            var order = Enumerable.Range(0, count).Reverse().Concat(Enumerable.Range(0, count)).ToArray();
            var builder = new SweepPointBuilder(spec);
            foreach (var index in order)
            {
                var reused = builder.Point(index);
                var fresh = SweepPoints.Point(spec, index);
                Assert.That((reused.ConfigText, reused.Hash, reused.Seed), Is.EqualTo((fresh.ConfigText, fresh.Hash, fresh.Seed)), $"point {index}");
                Assert.That(reused.Values, Is.EqualTo(fresh.Values), $"point {index}");
            }
            // A hash per configuration: the second sweep's architecture, a preset name, replaces the section its ADC bits
            // were written into, so (bits 4, name) and (bits 6, name) are one configuration (one seed at every point).
            var points = SweepPoints.Enumerate(spec).ToList();
            Assert.That(points.Select(p => p.Hash).Distinct().Count(), Is.EqualTo(points.Select(p => p.ConfigText).Distinct().Count()));
        }
        Assert.That(SweepPoints.Enumerate(specs[0]).Select(p => p.Hash).Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void PointsHaveStableHashesAndSeeds()
    {
        var a = SweepLoader.Load(Sweep(TwoByTwo));
        var b = SweepLoader.Load(Sweep(TwoByTwo));
        Assert.That(SweepPoints.Enumerate(a).Select(p => (p.Hash, p.Seed)), Is.EqualTo(SweepPoints.Enumerate(b).Select(p => (p.Hash, p.Seed))));
        Assert.That(SweepPoints.Enumerate(a).Select(p => p.Hash).Distinct().Count(), Is.EqualTo(4));
        Assert.That(SweepPoints.Point(a, 2).ConfigText, Does.Contain("uniform_rate: 0.2").And.Contain("bits: 4"));
    }

    [Test]
    public void PointWithTooFewSamplesForTheSplitExitsTwoNamingThePoint()
    {
        var path = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(path, "name: tiny\nbase: rram-lsm-40nm\nset: {workload.samples_per_class: 2}\nparameters:\n  - path: architecture.macro.adc.bits\n    values: [6]\n");
        var (exit, _, error) = CliRunner.Run("sweep", path, "--out", Path.Combine(_dir, "out"), "--jobs", "1");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("tiny.yaml point 0").And.Contain("give more samples per class"));
    }

    [TestCase("metrics: [energy_per_inference_j]\n", "metrics", "did you mean 'energy_per_inference_J'")]
    [TestCase("metrics: [firing_rates]\n", "metrics", "not a number")]
    public void MisspeltMetricsAreRefusedWithASuggestion(string extra, string key, string message)
    {
        var path = Sweep(TwoByTwo, extra);
        var ex = Assert.Throws<InputFormatException>(() => SweepLoader.Load(path))!;
        Assert.That(ex.Message, Does.StartWith(path).And.Contain(key).And.Contain(message));
    }

    [TestCase("  - path: architecture.macro.adc.bitz\n    values: [4]\n", "line 5 (architecture.macro.adc.bitz)")]
    [TestCase("  - path: architecture.macro.nonsense.bits\n    values: [4]\n", "line 5 (architecture.macro.nonsense.bits)")]
    [TestCase("  - path: transformer.uniform_rate\n    values: []\n", "(parameters[0].values)")]
    [TestCase("  - path: architecture.macro.adc.bits\n    values: [banana]\n", "line 5 (architecture.macro.adc.bits)")]
    public void BadSweepFilesNameTheKeyAndLine(string parameters, string where)
    {
        var path = Sweep(parameters);
        var ex = Assert.Throws<InputFormatException>(() => SweepLoader.Load(path))!;
        Assert.That(ex.Message, Does.StartWith(path).And.Contain(where));
        var (exit, _, error) = CliRunner.Run("sweep", path, "--out", Path.Combine(_dir, "out"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void RerunSkipsFinishedPointsAndShardsMergeToTheSameCsv()
    {
        var spec = SweepLoader.Load(Sweep(TwoByTwo));
        var whole = Path.Combine(_dir, "whole");
        var first = SweepRunner.Run(spec, whole, jobs: 2, shard: 0, shards: 1);
        Assert.That((first.Done, first.Skipped), Is.EqualTo((4, 0)));
        var again = SweepRunner.Run(spec, whole, jobs: 2, shard: 0, shards: 1);
        Assert.That((again.Done, again.Skipped), Is.EqualTo((0, 4)));
        SweepMerge.Merge([whole], whole);

        var shards = Enumerable.Range(0, 3).Select(i => Path.Combine(_dir, $"shard{i}")).ToList();
        for (var i = 0; i < 3; i++) SweepRunner.Run(spec, shards[i], jobs: 1, shard: i, shards: 3);
        var merged = SweepMerge.Merge(shards, Path.Combine(_dir, "merged"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "merged", "sweep.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(whole, "sweep.csv"))));
        Assert.That(merged.Rows, Has.Count.EqualTo(4));
        Assert.That(merged.Pareto, Is.Not.Empty);
        // A damaged result is recomputed.
        File.WriteAllText(Directory.GetFiles(Path.Combine(whole, "points"))[0], "{ truncated");
        Assert.That(SweepRunner.Run(spec, whole, jobs: 1, shard: 0, shards: 1).Done, Is.EqualTo(1));
    }

    [Test]
    public void SameSeedGivesByteIdenticalRunDirectoriesAtOneAndTwoJobs()
    {
        var path = Sweep(TwoByTwo);
        string Run(string jobs, string threads)
        {
            var dir = Path.Combine(_dir, $"jobs{jobs}-threads{threads}");
            var (exit, _, error) = CliRunner.Run("sweep", path, "--out", dir, "--jobs", jobs, "--threads", threads);
            Assert.That(exit, Is.EqualTo(0), error);
            return dir;
        }
        // One point at a time on one thread, two points at once on one thread each, one point at a time on two threads.
        var one = Run("1", "1");
        string[] Files(string dir) => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.That(Files(one).Count(f => f.StartsWith("points")), Is.EqualTo(4));
        foreach (var two in new[] { Run("2", "2"), Run("1", "2") })
        {
            Assert.That(Files(two), Is.EqualTo(Files(one)), "the same files");
            var compared = 0;
            foreach (var file in Files(one))
            {
                byte[] a = File.ReadAllBytes(Path.Combine(one, file)), b = File.ReadAllBytes(Path.Combine(two, file));
                if (file.EndsWith(".json", StringComparison.Ordinal))
                {
                    // Only the metrics the catalogue documents as measured on the host's clock may differ.
                    (a, b) = (WithoutHostTimes(a), WithoutHostTimes(b));
                }
                Assert.That(b, Is.EqualTo(a), $"{two}: {file}");
                compared++;
            }
            Assert.That(compared, Is.GreaterThanOrEqualTo(6));
        }
    }

    private static byte[] WithoutHostTimes(byte[] json)
    {
        var text = System.Text.Encoding.UTF8.GetString(json);
        foreach (var name in Neuromorphic.Arch.Runs.Records.MetricCatalogue.HostTimed)
            text = System.Text.RegularExpressions.Regex.Replace(text, $"(\"{name}\"\\s*:\\s*)(-?[0-9.eE+-]+|null)", "$1\"host\"");
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    [Test]
    public void HostTimedMetricsAreInTheCatalogue()
    {
        foreach (var name in Neuromorphic.Arch.Runs.Records.MetricCatalogue.HostTimed)
            Assert.That(Neuromorphic.Arch.Runs.Records.MetricCatalogue.TryGet(name, out _), name);
    }

    [Test]
    public void ParetoFrontKeepsOnlyNonDominatedPoints()
    {
        var spec = SweepLoader.Load(Sweep(TwoByTwo));
        var whole = Path.Combine(_dir, "p");
        SweepRunner.Run(spec, whole, jobs: 2, shard: 0, shards: 1);
        var merged = SweepMerge.Merge([whole], whole);
        int e = merged.Metrics.ToList().IndexOf("energy_per_inference_J"), l = merged.Metrics.ToList().IndexOf("latency_s");
        foreach (var a in merged.Rows)
        {
            var dominated = merged.Rows.Any(b => b.Metrics[e] <= a.Metrics[e] && b.Metrics[l] <= a.Metrics[l] && (b.Metrics[e] < a.Metrics[e] || b.Metrics[l] < a.Metrics[l]));
            Assert.That(merged.Pareto.Contains(a.Index), Is.EqualTo(!dominated), $"point {a.Index}");
        }
    }

    [Test]
    public void ParetoTableHeadsEachParameterWithAnUntruncatedShortName()
    {
        // The full paths overflow the 120-column table: they came out as "architecture.macro.…", columns a person cannot tell apart.
        var path = Sweep("  - path: architecture.macro.adc.bits\n    values: [4]\n  - path: architecture.macro.device.read_noise_sigma\n    values: [0.0]\n"
            + "  - path: architecture.macro.parallel_rows\n    values: [8]\n");
        var (exit, output, error) = CliRunner.Run("sweep", path, "--out", Path.Combine(_dir, "out"), "--jobs", "1");
        Assert.That(exit, Is.EqualTo(0), error);
        var header = output.Split('\n').First(l => l.Contains("index"));
        Assert.That(header.Split('│').Select(c => c.Trim()).Where(c => c.Length > 0),
            Is.EqualTo(new[] { "index", "bits", "read_noise_sigma", "parallel_rows", "energy_per_inference_J", "latency_s" }));
        Assert.That(output, Does.Not.Contain("…"));
        Assert.That(File.ReadLines(Path.Combine(_dir, "out", "sweep.csv")).First(), Does.Contain("architecture.macro.device.read_noise_sigma"), "the CSV keeps the full paths");
    }

    [Test]
    public void TheSummaryLineCountsInTheSingular()
    {
        // It said "1 points; shard 0/1: 1 points, ... (1 jobs, 1 threads)" and "Pareto front: 1 of 1 points".
        var (exit, output, error) = CliRunner.Run("sweep", SweepFile("one.yaml", "4"), "--out", Path.Combine(_dir, "out"), "--jobs", "1");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("t: 1 point; shard 0/1: 1 point, 1 run now, 0 already done (").And.Contain(" s, 1 job, 1 thread)"));
        Assert.That(output, Does.Contain("Pareto front: 1 of 1 point ("), "the title (wrapped to the table's width)");
        Assert.That(Neuromorphic.Cli.Commands.SweepCommand.Counted(2, "thread"), Is.EqualTo("2 threads"));
    }

    [Test]
    public void ShortLabelsAreTheShortestUnsharedEndings()
    {
        Assert.That(Neuromorphic.Cli.Commands.SweepCommand.ShortLabels(["architecture.macro.adc.bits", "a.x.bits", "a.y.bits", "seed"]),
            Is.EqualTo(new[] { "adc.bits", "x.bits", "y.bits", "seed" }));
        Assert.That(Neuromorphic.Cli.Commands.SweepCommand.ShortLabels(["bits", "adc.bits"]), Is.EqualTo(new[] { "bits", "adc.bits" }));
    }

    [Test]
    public void ABadShardFromSlurmNamesTheVariablesNotAnOptionTheUserNeverGave()
    {
        // An array numbered from 1 (--array=1-4) gives task 4 of 4; the error spoke of '--shard'.
        var ex = Assert.Throws<Neuromorphic.Cli.UsageException>(() => Neuromorphic.Cli.Commands.SweepCommand.Shard(null, "4", "4"))!;
        Assert.That(ex.Message, Does.StartWith("SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT give the shard '4/4'").And.Contain("--array=0-3"));
        Assert.That(Neuromorphic.Cli.Commands.SweepCommand.Shard(null, "3", "4"), Is.EqualTo((3, 4)));
        Assert.That(Neuromorphic.Cli.Commands.SweepCommand.Shard(null, null, null), Is.EqualTo((0, 1)));
        Assert.That(Assert.Throws<Neuromorphic.Cli.UsageException>(() => Neuromorphic.Cli.Commands.SweepCommand.Shard("4/4", "0", "4"))!.Message,
            Does.StartWith("--shard must be I/N"));
    }

    [Test]
    public void PointsWithTheSameValuesRunOnceAndHaveARowEach()
    {
        // A value listed twice gave two points of one hash: the merge threw (exit 1) after running both, and sweep merge on
        // the directory always did.
        var dir = Path.Combine(_dir, "out");
        var (exit, output, error) = CliRunner.Run("sweep", SweepFile("dup.yaml", "4, 4, 6"), "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Bits(Path.Combine(dir, "sweep.csv")), Is.EqualTo(new[] { "0,4", "1,4", "2,6" }));
        Assert.That(Directory.GetFiles(Path.Combine(dir, "points"), "*.json"), Has.Length.EqualTo(2), "one result per distinct point");
        var merged = Path.Combine(_dir, "merged");
        (exit, _, error) = CliRunner.Run("sweep", "merge", dir, "--out", merged);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(File.ReadAllText(Path.Combine(merged, "sweep.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(dir, "sweep.csv"))));
    }

    private string SweepFile(string name, string bits)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $"name: t\nbase: base.yaml\nseed: 3\nparameters:\n  - path: architecture.macro.adc.bits\n    values: [{bits}]\n"
            + "objectives:\n  - {metric: energy_per_inference_J, goal: min}\n");
        return path;
    }

    private static string[] Bits(string sweepCsv) => File.ReadAllLines(sweepCsv).Skip(1).Select(l => string.Join(",", l.Split(',')[..2])).ToArray();

    [Test]
    public void ASweepRerunWithOtherValuesIntoTheSameDirectoryHasOnlyItsOwnRows()
    {
        // sweep.csv mixed the two sweeps: index 0 from the first (bits 4), index 1 from the second (bits 7).
        var dir = Path.Combine(_dir, "out");
        Assert.That(CliRunner.Run("sweep", SweepFile("a.yaml", "4, 6"), "--out", dir).Exit, Is.EqualTo(0));
        var (exit, _, error) = CliRunner.Run("sweep", SweepFile("b.yaml", "5, 7"), "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Bits(Path.Combine(dir, "sweep.csv")), Is.EqualTo(new[] { "0,5", "1,7" }));
    }

    [Test]
    public void AnEditedSweepReusesItsUnchangedPointsAtTheirNewIndices()
    {
        // Inserting a value moves bits 6 from index 1 to 2; its result file still said index 1.
        var dir = Path.Combine(_dir, "out");
        Assert.That(CliRunner.Run("sweep", SweepFile("a.yaml", "4, 6"), "--out", dir).Exit, Is.EqualTo(0));
        var (exit, output, error) = CliRunner.Run("sweep", SweepFile("b.yaml", "4, 5, 6"), "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("1 run now, 2 already done"));
        Assert.That(Bits(Path.Combine(dir, "sweep.csv")), Is.EqualTo(new[] { "0,4", "1,5", "2,6" }));
    }

    [Test]
    public void MergingShardsOfDifferentSweepsIsRefused()
    {
        var (a, b) = (Path.Combine(_dir, "a"), Path.Combine(_dir, "b"));
        Assert.That(CliRunner.Run("sweep", SweepFile("a.yaml", "4, 6"), "--out", a, "--shard", "0/2").Exit, Is.EqualTo(0));
        Assert.That(CliRunner.Run("sweep", SweepFile("b.yaml", "5, 7"), "--out", b, "--shard", "1/2").Exit, Is.EqualTo(0));
        var (exit, _, error) = CliRunner.Run("sweep", "merge", a, b, "--out", Path.Combine(_dir, "merged"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("another sweep"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "merged")), Is.False);
    }

    // Files of a sweep directory damaged as copies and edits damage them: each is refused naming the file and the field.
    private static readonly (string File, string Text, string Says)[] Damages =
    [
        ("shards/0-of-2.json", "{\"sweep\": \"SWEEP\"}", "shards/0-of-2.json: shards: must be an integer"),
        ("shards/0-of-2.json", "{\"sweep\": \"SWEEP\", \"shard\": \"x\", \"shards\": 2, \"hashes\": []}", "shard: must be an integer in [0, 1]"),
        ("shards/0-of-2.json", "{\"sweep\": \"SWEEP\", \"shard\": 0, \"shards\": 2, \"hashes\": [1]}", "hashes: must be an array of strings"),
        ("shards/0-of-2.json", "[1, 2]", "shards/0-of-2.json: not a shard's point hashes: a JSON object was expected"),
        ("shards/0-of-2.json", "{\"sweep\": 5}", "sweep: must be a string"),
        ("sweep.json", "{\"name\": \"t\", \"points\": -3}", "sweep.json: parameters: must be an array of strings"),
        ("sweep.json", "{\"name\": \"t\"", "sweep.json: not a sweep manifest"),
        ("POINT", "{\"index\": 0}", "parameters: must be an object"),
        ("POINT", "null", "not a point result: a JSON object was expected"),
    ];

    [Test]
    public void Damaged_sweep_files_are_refused_naming_the_file_and_the_field()
    {
        var clean = Path.Combine(_dir, "clean");
        var file = SweepFile("a.yaml", "4, 6");
        Assert.That(CliRunner.Run("sweep", file, "--out", clean, "--shard", "0/2").Exit, Is.EqualTo(0));
        Assert.That(CliRunner.Run("sweep", file, "--out", clean, "--shard", "1/2").Exit, Is.EqualTo(0));
        var identity = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(clean, SweepRunner.Manifest)))!["sweep"]!.GetValue<string>();
        for (var k = 0; k < Damages.Length; k++)
        {
            var (name, text, says) = Damages[k];
            var dir = Path.Combine(_dir, $"damaged{k}");
            foreach (var source in Directory.GetFiles(clean, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(dir, Path.GetRelativePath(clean, source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
            var path = name == "POINT" ? Directory.GetFiles(Path.Combine(dir, SweepRunner.PointsFolder)).Order().First() : Path.Combine(dir, name);
            File.WriteAllText(path, text.Replace("SWEEP", identity));
            var merged = Path.Combine(_dir, $"merged{k}");
            var error = CliRunner.Refused("sweep", "merge", dir, "--out", merged);
            Assert.That(error, Does.Contain(says), $"damage {k}: {name} = {text}");
            Assert.That(Directory.Exists(merged), Is.False);
        }
    }

    [Test]
    public void AShardHashesOnlyItsOwnPointsAndListsThemForTheMerge()
    {
        // Every shard built every point of the sweep to hash it (~0.3 ms a point: half a minute at 100,000 points).
        var spec = SweepLoader.Load(Sweep(TwoByTwo));
        var hashes = SweepPoints.Enumerate(spec).Select(p => p.Hash).ToArray();
        var dir = Path.Combine(_dir, "s1");
        SweepRunner.Run(spec, dir, jobs: 1, shard: 1, shards: 3);
        var listed = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "shards", "1-of-3.json")))!;
        Assert.That(listed["hashes"]!.AsArray().Select(h => h!.GetValue<string>()), Is.EqualTo(new[] { hashes[1] }), "point 1 only (1 mod 3; 4 is past the end)");
        Assert.That(listed["sweep"]!.GetValue<string>(), Is.EqualTo(SweepPoints.Identity(spec)));
        var manifest = File.ReadAllText(Path.Combine(dir, SweepRunner.Manifest));
        Assert.That(manifest, Does.Not.Contain(hashes[0]).And.Not.Contain(hashes[2]), "no other shard's point in sweep.json");
        Assert.That(Directory.GetFiles(Path.Combine(dir, "points")).Select(Path.GetFileNameWithoutExtension), Is.EqualTo(new[] { hashes[1] }));
    }

    [Test]
    public void AShardDoesNotBuildAnotherShardsPointsSoOnlyTheOwnerReportsABadValue()
    {
        // Point 1 (bits banana) cannot be built: the shard of point 0 no longer builds it; its own shard says which point.
        var path = SweepFile("bad.yaml", "4, banana");
        Assert.That(CliRunner.Run("sweep", path, "--out", Path.Combine(_dir, "a"), "--shard", "0/2").Exit, Is.EqualTo(0));
        var (exit, _, error) = CliRunner.Run("sweep", path, "--out", Path.Combine(_dir, "b"), "--shard", "1/2");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("bad.yaml").And.Contain("point 1"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "b")), Is.False, "nothing written for a shard whose point is bad");
    }

    [Test]
    public void ShardsRunIntoOneDirectoryMergeToTheCsvOfOneRun()
    {
        // A Slurm array's tasks share the directory: each writes the same sweep.json and its own shard file.
        var spec = SweepLoader.Load(Sweep(TwoByTwo));
        var whole = Path.Combine(_dir, "whole");
        SweepRunner.Run(spec, whole, jobs: 2, shard: 0, shards: 1);
        SweepMerge.Merge([whole], whole);
        var shared = Path.Combine(_dir, "shared");
        for (var i = 0; i < 3; i++) SweepRunner.Run(spec, shared, jobs: 1, shard: i, shards: 3);
        Assert.That(Directory.GetFiles(Path.Combine(shared, "shards")).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "0-of-3.json", "1-of-3.json", "2-of-3.json" }));
        var merged = SweepMerge.Merge([shared], shared);
        Assert.That(merged.Rows, Has.Count.EqualTo(4));
        Assert.That(File.ReadAllText(Path.Combine(shared, "sweep.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(whole, "sweep.csv"))));
        // A missing shard's points are missing rows, not someone else's.
        var partial = Path.Combine(_dir, "partial");
        SweepRunner.Run(spec, partial, jobs: 1, shard: 2, shards: 3);
        Assert.That(SweepMerge.Merge([partial], partial).Rows.Select(r => r.Index), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void EqualPointsInDifferentShardsHaveARowEach()
    {
        // Bits 4 at indices 0 and 2 (shard 0/2) and again at 1 (shard 1/2): one configuration, run once per shard.
        var path = SweepFile("dup.yaml", "4, 4, 4, 6");
        var (a, b) = (Path.Combine(_dir, "a"), Path.Combine(_dir, "b"));
        Assert.That(CliRunner.Run("sweep", path, "--out", a, "--shard", "0/2").Exit, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(Path.Combine(a, "points")), Has.Length.EqualTo(1));
        Assert.That(CliRunner.Run("sweep", path, "--out", b, "--shard", "1/2").Exit, Is.EqualTo(0));
        var merged = Path.Combine(_dir, "merged");
        var (exit, _, error) = CliRunner.Run("sweep", "merge", a, b, "--out", merged);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Bits(Path.Combine(merged, "sweep.csv")), Is.EqualTo(new[] { "0,4", "1,4", "2,4", "3,6" }));
        // Into one directory, the second shard finds its bits-4 point done.
        Assert.That(CliRunner.Run("sweep", path, "--out", a, "--shard", "1/2").Out, Does.Contain("2 points, 1 run now, 1 already done"));
    }

    [Test]
    public void AnEditedSweepRunWithOtherShardsIgnoresTheEarlierVersionsShardFiles()
    {
        var dir = Path.Combine(_dir, "out");
        for (var i = 0; i < 2; i++) Assert.That(CliRunner.Run("sweep", SweepFile("a.yaml", "4, 6"), "--out", dir, "--shard", $"{i}/2").Exit, Is.EqualTo(0));
        var (exit, _, error) = CliRunner.Run("sweep", SweepFile("b.yaml", "5, 6, 7"), "--out", dir, "--shard", "0/1");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(Bits(Path.Combine(dir, "sweep.csv")), Is.EqualTo(new[] { "0,5", "1,6", "2,7" }));
        Assert.That(File.Exists(Path.Combine(dir, "shards", "1-of-2.json")), "the earlier version's file stays, unread");
    }

    [Test]
    public void ADirectoryWhoseManifestListsEveryHashStillMerges()
    {
        // Written before shards listed their own points: sweep.json held every point's hash and no identity.
        var spec = SweepLoader.Load(Sweep(TwoByTwo));
        var dir = Path.Combine(_dir, "old");
        SweepRunner.Run(spec, dir, jobs: 2, shard: 0, shards: 1);
        SweepMerge.Merge([dir], dir);
        var expected = File.ReadAllText(Path.Combine(dir, "sweep.csv"));
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, SweepRunner.Manifest)))!.AsObject();
        manifest.Remove("sweep");
        manifest["hashes"] = new System.Text.Json.Nodes.JsonArray(SweepPoints.Enumerate(spec).Select(p => (System.Text.Json.Nodes.JsonNode?)p.Hash).ToArray());
        File.WriteAllText(Path.Combine(dir, SweepRunner.Manifest), manifest.ToJsonString());
        Directory.Delete(Path.Combine(dir, "shards"), recursive: true);
        var merged = Path.Combine(_dir, "merged");
        Assert.That(SweepMerge.Merge([dir], merged).Rows, Has.Count.EqualTo(4));
        Assert.That(File.ReadAllText(Path.Combine(merged, "sweep.csv")), Is.EqualTo(expected));
    }

    [Test]
    public void TheIdentityIsWhatDecidesThePoints()
    {
        var a = SweepLoader.Load(Sweep(TwoByTwo));
        Assert.That(SweepPoints.Identity(SweepLoader.Load(Sweep(TwoByTwo, "metrics: [accuracy]\n"))), Is.EqualTo(SweepPoints.Identity(a)), "metrics decide no point");
        Assert.That(SweepPoints.Identity(SweepLoader.Load(Sweep(TwoByTwo.Replace("[4, 6]", "[4, 7]")))), Is.Not.EqualTo(SweepPoints.Identity(a)));
        Assert.That(SweepPoints.Identity(SweepLoader.Load(Sweep(TwoByTwo, "mode: zip\n"))), Is.Not.EqualTo(SweepPoints.Identity(a)));
        Assert.That(SweepPoints.Identity(SweepLoader.Load(Sweep(TwoByTwo)) with { Seed = 4 }), Is.Not.EqualTo(SweepPoints.Identity(a)));
        // Comments in the base change no point.
        File.AppendAllText(Path.Combine(_dir, "base.yaml"), "# a comment\n");
        Assert.That(SweepPoints.Identity(SweepLoader.Load(Sweep(TwoByTwo))), Is.EqualTo(SweepPoints.Identity(a)));
    }
}
