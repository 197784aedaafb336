using System.Text.Json.Nodes;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Replay;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs.Records;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>The default LSM on the chip, run and replayed, writes the same run directory with the chip executor on one thread or two.</summary>
public sealed class LsmTwoThreadTests
{
    /// <summary>The run directory's files; summary.json without its host figures (wall and CPU times, threads).</summary>
    private static Dictionary<string, string> Files(LsmResult result)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nm-lsm-threads-{Guid.NewGuid():N}");
        try
        {
            RunDirectory.Write(directory, LsmTestData.Preset, result);
            var files = Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
            var summary = JsonNode.Parse(files["summary.json"])!.AsObject();
            foreach (var name in MetricCatalogue.HostTimed) summary.Remove(name);
            files["summary.json"] = summary.ToJsonString();
            return files;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void The_default_lsm_runs_and_replays_the_same_on_two_threads()
    {
        // Several samples through one executor (the chip's time runs on from sample to sample), long enough for the producer
        // (at least MinimumStepsOnTwoThreads) and to fill its ring of 256 steps (the producer waits for room).
        var steps = Math.Max(Neuromorphic.Arch.Execution.ChipExecutor.DefaultMinimumStepsOnTwoThreads, 500);
        var samples = LsmTestData.PoissonSamples(3, 3, 256, steps, 5);
        var preset = LsmTestData.Preset;
        LsmResult Run(int threads) => LsmExperiment.Run(preset.Architecture, preset.Lsm, preset.Readout, samples, 0.006, 2, threads: threads);
        var one = Run(1);
        var two = Run(2);
        Assert.That(one.ChipSpikes.Sum(r => r.CountNonZero()), Is.GreaterThan(0));
        var (a, b) = (Files(one), Files(two));
        Assert.That(b.Keys, Is.EqualTo(a.Keys));
        foreach (var (name, text) in a) Assert.That(b[name], Is.EqualTo(text), name);

        var trace = LsmTrace.FromRun(preset, samples, one);
        var replayOne = Files(LsmTrace.Replay(trace, preset, "run", threads: 1));
        var replayTwo = Files(LsmTrace.Replay(trace, preset, "run", threads: 2));
        foreach (var (name, text) in replayOne) Assert.That(replayTwo[name], Is.EqualTo(text), "replay " + name);
    }
}
