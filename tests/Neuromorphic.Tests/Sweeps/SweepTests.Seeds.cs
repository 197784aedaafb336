using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Sweeps;
using Neuromorphic.Tests.Cli;
using NUnit.Framework;

namespace Neuromorphic.Tests.Sweeps;

// Common random numbers: every point of a sweep runs with one seed (the sweep's, set's or the base's), so points differ
// only in what they sweep; a swept seed gives each point its value. Each point used to get a seed derived from the sweep
// seed and its values: another workload draw, reservoir and programming at every point.
public sealed partial class SweepTests
{
    /// <summary>A sweep of the fast base with <paramref name="head"/> (its seed, set) and <paramref name="parameters"/>.</summary>
    private SweepSpec Load(string head, string parameters)
    {
        var path = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(path, $"name: t\nbase: base.yaml\n{head}parameters:\n{parameters}objectives:\n  - {{metric: energy_per_inference_J, goal: min}}\n");
        return SweepLoader.Load(path);
    }

    private static ulong[] Seeds(SweepSpec spec) => SweepPoints.Enumerate(spec).Select(p => p.Seed).ToArray();

    /// <summary>The seed a point's configuration text runs with (as a run would read it).</summary>
    private static ulong TextSeed(SweepPoint point) => RunConfigLoader.Parse(point.ConfigText, "point").Seed;

    [Test]
    public void Every_point_runs_with_the_sweep_seed()
    {
        var spec = Load("seed: 3\n", TwoByTwo);
        Assert.That(Seeds(spec), Is.EqualTo(new ulong[] { 3, 3, 3, 3 }));
        Assert.That(SweepPoints.Enumerate(spec).Select(TextSeed), Is.EqualTo(new ulong[] { 3, 3, 3, 3 }), "the text says what the record says");
    }

    [Test]
    public void A_seed_in_set_is_every_points_seed_not_overwritten()
    {
        // `set: {seed: 1}` was written over by the derived seed (the finding's 2566252083954004788 and 6139773984910912596).
        var spec = Load("seed: 3\nset:\n  seed: 9\n", TwoByTwo);
        Assert.That(Seeds(spec), Is.EqualTo(new ulong[] { 9, 9, 9, 9 }));
        Assert.That(SweepPoints.Enumerate(spec).Select(TextSeed), Is.EqualTo(new ulong[] { 9, 9, 9, 9 }));
        Assert.That(spec.SeedSource, Is.EqualTo("set"), "sweep.json's seed_source");
        Assert.That(Load("seed: 3\n", TwoByTwo).SeedSource, Is.EqualTo("sweep"));
    }

    [Test]
    public void Without_a_sweep_seed_the_points_keep_the_base_configurations()
    {
        var basePath = Path.Combine(_dir, "base.yaml");
        var text = File.ReadAllText(basePath);
        Assert.That(text, Does.Contain("\nseed: 1\n"));
        File.WriteAllText(basePath, text.Replace("\nseed: 1\n", "\nseed: 5\n"));
        var spec = Load("", TwoByTwo);
        Assert.That(spec.SeedGiven, Is.False);
        Assert.That(spec.SeedSource, Is.EqualTo("base"));
        Assert.That(Seeds(spec), Is.EqualTo(new ulong[] { 5, 5, 5, 5 }), "base.yaml's seed: 5");
        Assert.That(Seeds(Load("seed: 1\n", TwoByTwo)), Is.EqualTo(new ulong[] { 1, 1, 1, 1 }), "a sweep seed replaces the base's");
        Assert.That(SweepPoints.Identity(Load("seed: 1\n", TwoByTwo)), Is.Not.EqualTo(SweepPoints.Identity(spec)), "different seeds, different sweeps");
    }

    [Test]
    public void A_swept_seed_gives_each_point_its_value_and_the_same_seeds_at_every_setting()
    {
        // How a user asks for seed spread: each ADC setting runs on the same seeds 1 and 2 (paired comparisons).
        var spec = Load("seed: 3\nset:\n  seed: 9\n", "  - path: architecture.macro.adc.bits\n    values: [4, 6]\n  - path: seed\n    range: {start: 1, stop: 2, step: 1}\n");
        Assert.That(Seeds(spec), Is.EqualTo(new ulong[] { 1, 2, 1, 2 }));
        Assert.That(SweepPoints.Enumerate(spec).Select(TextSeed), Is.EqualTo(new ulong[] { 1, 2, 1, 2 }));
        Assert.That(spec.SeedSource, Is.EqualTo("swept"));
        Assert.That(SweepPoints.Enumerate(spec).Select(p => p.Hash).Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public void A_seed_that_is_not_an_unsigned_integer_is_refused_naming_its_line()
    {
        var ex = Assert.Throws<Neuromorphic.Traces.InputFormatException>(() => Load("", "  - path: seed\n    values: [-4]\n"))!;
        Assert.That(ex.Message, Does.Contain("sweep.yaml: line 4 (seed): point 0:").And.Contain("-4"));
    }

    [Test]
    public void Sweep_csv_has_a_seed_column()
    {
        var spec = Load("seed: 3\n", "  - path: architecture.macro.adc.bits\n    values: [4]\n");
        var dir = Path.Combine(_dir, "out");
        var (exit, _, error) = CliRunner.Run("sweep", spec.File, "--out", dir, "--jobs", "1");
        Assert.That(exit, Is.EqualTo(0), error);
        var lines = File.ReadAllLines(Path.Combine(dir, "sweep.csv"));
        Assert.That(lines[0], Does.StartWith("index,architecture.macro.adc.bits,seed,accuracy,"));
        Assert.That(lines[1], Does.StartWith("0,4,3,"));

        // A swept seed is its own column already: no second one.
        var swept = Load("", "  - path: seed\n    values: [7]\n");
        Assert.That(CliRunner.Run("sweep", swept.File, "--out", Path.Combine(_dir, "swept"), "--jobs", "1").Exit, Is.EqualTo(0));
        var header = File.ReadLines(Path.Combine(_dir, "swept", "sweep.csv")).First();
        Assert.That(header, Does.StartWith("index,seed,accuracy,"));
        Assert.That(header.Split(',').Count(c => c == "seed"), Is.EqualTo(1));
    }

    [Test]
    public void Lsm_points_differing_only_in_adc_bits_share_workload_reservoir_and_software_results()
    {
        // The finding: in lsm-small the software accuracy (no hardware knob touches it) ranged 0.854-0.979 across points.
        var sweep = Path.Combine(_dir, "lsm.yaml");
        File.WriteAllText(sweep, "name: lsm\nbase: rram-lsm-40nm\nseed: 7\nset:\n  workload.samples_per_class: 4\n  encoding.timesteps: 20\n"
            + "parameters:\n  - path: architecture.macro.adc.bits\n    values: [4, 10]\n"
            + "metrics: [accuracy, software_accuracy, baseline_accuracy, software_reservoir_activity, energy_per_inference_J]\n");
        var spec = SweepLoader.Load(sweep);
        var points = SweepPoints.Enumerate(spec).ToList();

        // The same programmed conductances: the reservoir is drawn from the same named streams at both points.
        string Reservoir(SweepPoint p)
        {
            var config = RunConfigLoader.Parse(p.ConfigText, "point");
            return LsmReservoir.Draw(config.Lsm, 256, new ChipModel(config.Architecture).Device, config.Seed).Hash();
        }
        Assert.That(Reservoir(points[1]), Is.EqualTo(Reservoir(points[0])));

        var dir = Path.Combine(_dir, "out");
        SweepRunner.Run(spec, dir, jobs: 1, shard: 0, shards: 1);
        var merged = SweepMerge.Merge([dir], dir);
        Assert.That(merged.Rows, Has.Count.EqualTo(2));
        double Metric(int row, string name) => merged.Rows[row].Metrics[merged.Metrics.ToList().IndexOf(name)];
        foreach (var name in new[] { "software_accuracy", "baseline_accuracy", "software_reservoir_activity" })
            Assert.That(Metric(1, name), Is.EqualTo(Metric(0, name)), name);
        Assert.That(Metric(1, "energy_per_inference_J"), Is.Not.EqualTo(Metric(0, "energy_per_inference_J")), "the ADC is still swept");
        Assert.That(merged.Rows.Select(r => r.Seed), Is.EqualTo(new[] { "7", "7" }));
        Assert.That(merged.SharedConfigurations, Is.Empty, "the bits reach both points");
    }

    [Test]
    public void Points_whose_swept_value_a_later_write_replaced_are_named_as_one_configuration()
    {
        // The ADC bits go into the base's architecture section, which the next parameter then replaces by a preset name:
        // both points run the preset (one seed: one configuration, one run), and the merge says so.
        // The replacement: the base's own architecture, as a file.
        var lines = File.ReadAllLines(Path.Combine(_dir, "base.yaml"));
        var from = Array.IndexOf(lines, "architecture:") + 1;
        var section = lines.Skip(from).TakeWhile(l => l.Length == 0 || l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Length >= 2 ? l[2..] : l);
        var file = Path.Combine(_dir, "chip.yaml");
        File.WriteAllLines(file, section);
        var spec = SweepLoader.Load(Sweep($"  - path: architecture.macro.adc.bits\n    values: [4, 6]\n  - path: architecture\n    values: ['{file}']\n"));
        var dir = Path.Combine(_dir, "folded");
        SweepRunner.Run(spec, dir, jobs: 1, shard: 0, shards: 1);
        var merged = SweepMerge.Merge([dir], dir);
        Assert.That(merged.Rows, Has.Count.EqualTo(2));
        Assert.That(merged.SharedConfigurations, Has.Count.EqualTo(1));
        Assert.That(merged.SharedConfigurations[0], Is.EqualTo(new[] { 0, 1 }));
        Assert.That(merged.Rows[1].Metrics, Is.EqualTo(merged.Rows[0].Metrics));
    }
}
