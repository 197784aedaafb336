using System.Diagnostics;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Traces.Vcd;
using NUnit.Framework;

namespace Neuromorphic.Tests.Reports;

/// <summary>
/// <c>run --vcd</c>: the waveform of an LSM run agrees with the run's own outputs (the first
/// sample's reservoir raster, the ledger's conversion count), honours the neuron selection and
/// the time window, and converts with GTKWave's <c>vcd2fst</c> when it is installed.
/// </summary>
public sealed class WaveformCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-vcd-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string SmallConfig() => CliRunner.SmallLsmConfig(_dir);

    private static int Pulses(VcdText vcd, string name) =>
        vcd.Values.TryGetValue(name, out var values) ? values.Count(v => v.Value == "1") : 0;

    [Test]
    public void FirstSampleWaveformMatchesTheRunsRasterAndSteps()
    {
        var vcdPath = Path.Combine(_dir, "run.vcd");
        var outDir = Path.Combine(_dir, "run");
        var r = CliRunner.Run("run", SmallConfig(), "--out", outDir, "--vcd", vcdPath, "--vcd-neurons", "reservoir:*", "--json");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        var vcd = VcdText.Parse(File.ReadAllText(vcdPath));
        Assert.That(vcd.Timescale, Is.EqualTo("1ns"), "200 MHz: 5 ns cycles");
        var raster = File.ReadAllLines(Path.Combine(outDir, "spikes_reservoir.csv")).Select(l => l.Split(',').Select(int.Parse).ToArray()).ToArray();
        Assert.That(Pulses(vcd, "chip.step_start"), Is.EqualTo(raster.Length), "one step_start per timestep");
        Assert.That(vcd.Values["chip.timestep"].Select(v => v.Value), Is.EqualTo(Enumerable.Range(0, raster.Length).Select(t => t.ToString())));
        for (var i = 0; i < raster[0].Length; i++)
            Assert.That(Pulses(vcd, $"reservoir.n{i}"), Is.EqualTo(raster.Sum(row => row[i])), $"neuron {i}");
        Assert.That(vcd.Variables.Keys.Any(k => k.StartsWith("input.", StringComparison.Ordinal)), Is.False, "inputs not selected");
        Assert.That(vcd.Variables.Keys.Count(k => k.StartsWith("macros.", StringComparison.Ordinal) && k.EndsWith(".busy", StringComparison.Ordinal)), Is.GreaterThan(0));
        foreach (var busy in vcd.Values.Where(p => p.Key.EndsWith(".busy", StringComparison.Ordinal)))
            Assert.That(busy.Value.Select(v => v.Value).Distinct(), Is.SubsetOf(new[] { "0", "1" }));
    }

    [Test]
    public void ReplayDrawsTheRunsWaveform()
    {
        var (runVcd, replayVcd, trace) = (Path.Combine(_dir, "run.vcd"), Path.Combine(_dir, "replay.vcd"), Path.Combine(_dir, "run.nmtrace"));
        var r = CliRunner.Run("run", SmallConfig(), "--out", Path.Combine(_dir, "run"), "--trace", trace, "--vcd", runVcd, "--vcd-samples", "2-4");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        var p = CliRunner.Run("replay", trace, "--out", Path.Combine(_dir, "replay"), "--vcd", replayVcd, "--vcd-samples", "2-4");
        Assert.That(p.Exit, Is.EqualTo(0), p.Err);
        Assert.That(File.ReadAllText(replayVcd), Is.EqualTo(File.ReadAllText(runVcd)), "the chip does the same work, cycle for cycle");
    }

    /// <summary>The small run with every one of its 36 samples dumped, no spikes: the waveform and the run directory.</summary>
    private (VcdText Vcd, string OutDir) WholeRun()
    {
        var vcdPath = Path.Combine(_dir, "all.vcd");
        var outDir = Path.Combine(_dir, "run");
        var r = CliRunner.Run("run", SmallConfig(), "--out", outDir, "--vcd", vcdPath, "--vcd-samples", "0-35", "--vcd-neurons", "none");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        return (VcdText.Parse(File.ReadAllText(vcdPath)), outDir);
    }

    [Test]
    public void WholeRunCountsEveryConversionOfTheLedger()
    {
        var (vcd, outDir) = WholeRun();
        var ledger = File.ReadAllLines(Path.Combine(outDir, "energy_breakdown.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[2] == "sar_adc" && f[3] == "conversion").Sum(f => long.Parse(f[4]));
        Assert.That(long.Parse(vcd.Values["chip.adc_conversions"][^1].Value), Is.EqualTo(ledger));
        Assert.That(vcd.Values["chip.sample"][^1].Value, Is.EqualTo("35"));
        Assert.That(vcd.Variables.Keys.Any(k => k.StartsWith("reservoir.", StringComparison.Ordinal)), Is.False, "'none' dumps no spikes");
    }

    [Test]
    public void EveryInferencesReadoutEndsAtTheSummarysLatency()
    {
        // The readout on the accumulate core is drawn to its end: each inference's class is decided (readout.classified
        // counts up) at its latency after its first step's start, and they average to summary.json's latency_cycles.
        var (vcd, outDir) = WholeRun();
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var latency = summary.RootElement.GetProperty("latency_cycles").GetDouble();
        // 1 ns ticks (the timescale checked above) of the base clock's cycles.
        var ticksPerCycle = 1e9 / summary.RootElement.GetProperty("base_clock_hz").GetDouble();
        Assert.That(vcd.Timescale, Is.EqualTo("1ns"));
        var starts = vcd.Values["chip.step_start"].Where(v => v.Value == "1")
            .Where(v => vcd.Values["chip.timestep"].Last(x => x.Time <= v.Time).Value == "0").Select(v => v.Time).ToArray();
        var decided = vcd.Values["readout.classified"].Skip(1).ToArray();
        Assert.That(decided.Select(v => v.Value), Is.EqualTo(Enumerable.Range(1, 36).Select(k => k.ToString())));
        Assert.That(starts, Has.Length.EqualTo(36));
        var latencies = starts.Select((t, s) => (decided[s].Time - t) / ticksPerCycle).ToArray();
        Assert.That(latencies.Average(), Is.EqualTo(latency).Within(1e-9 * latency));
        Assert.That(latencies, Has.All.GreaterThan(0));
        // The last inference's class is the file's last change; the accumulate core is idle after it.
        Assert.That(vcd.Values.Values.Where(v => v.Count > 0).Max(v => v[^1].Time), Is.EqualTo(decided[^1].Time));
        Assert.That(vcd.Values["readout.busy"][^1], Is.EqualTo((decided[^1].Time, "0")));
    }

    [Test]
    public void WindowLimitsTheDumpAndBadOptionsExitTwo()
    {
        var config = SmallConfig();
        var vcdPath = Path.Combine(_dir, "win.vcd");
        var r = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "run"), "--vcd", vcdPath, "--vcd-window", "1us:2us");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        var times = File.ReadAllLines(vcdPath).Where(l => l.StartsWith('#')).Select(l => long.Parse(l[1..])).ToList();
        Assert.That(times, Has.All.InRange(1000L, 2001L));
        Assert.That(times[0], Is.EqualTo(1000));
        foreach (var bad in new[] { new[] { "--vcd-window", "2us" }, ["--vcd-window", "5us:1us"], ["--vcd-window", "1 parsec:2us"],
                     ["--vcd-samples", "3-1"], ["--vcd-samples", "5000"], ["--vcd-neurons", "reservoir:9-2"] })
        {
            var path = Path.Combine(_dir, "bad.vcd");
            var b = CliRunner.Run(["run", config, "--out", Path.Combine(_dir, "bad"), "--vcd", path, .. bad]);
            Assert.That(b.Exit, Is.EqualTo(2), string.Join(' ', bad) + ": " + b.Err);
            Assert.That(b.Err, Does.Contain(bad[0]));
            Assert.That(File.Exists(path), Is.False, "no half-written waveform");
        }
    }

    [Test]
    public void Vcd2FstConvertsTheRunsWaveform()
    {
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "scripts", "vcd", "check-vcd.sh");
        if (!File.Exists(script)) Assert.Ignore("scripts/vcd/check-vcd.sh is not beside the tests");
        if (!Vcd2FstAvailable()) Assert.Ignore("vcd2fst (Debian's gtkwave) is not installed");
        var vcdPath = Path.Combine(_dir, "run.vcd");
        var r = CliRunner.Run("run", SmallConfig(), "--out", Path.Combine(_dir, "run"), "--vcd", vcdPath);
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        Assert.That(VcdText.Parse(File.ReadAllText(vcdPath)).Variables.Keys, Does.Contain("readout.busy").And.Contain("readout.class"), "the readout is in the file checked");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(vcdPath);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), stdout.Result + stderr);
    }

    [Test]
    public void PipelinedArchitectureIsRefusedBeforeAnythingRuns()
    {
        var config = SmallConfig();
        File.WriteAllText(config, File.ReadAllText(config).Replace("    tiles: 1\n", "    tiles: 1\n    execution: pipelined\n"));
        Assert.That(File.ReadAllText(config), Does.Contain("execution: pipelined"));
        var outDir = Path.Combine(_dir, "run");
        var r = CliRunner.Run("run", config, "--out", outDir, "--vcd", Path.Combine(_dir, "run.vcd"));
        Assert.That(r.Exit, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(config).And.Contain("pipelined").And.Contain("--vcd"));
        Assert.That(Directory.Exists(outDir) || File.Exists(Path.Combine(_dir, "run.vcd")), Is.False, "nothing is written");
    }

    private static bool Vcd2FstAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "vcd2fst")));

    [Test]
    public void AMisspeltWaveformPopulationIsRefusedBeforeTheRun()
    {
        // It used to select nothing: the run went ahead and the waveform silently held no spikes.
        var vcd = Path.Combine(_dir, "run.vcd");
        var (exit, output, error) = CliRunner.Run("run", SmallConfig(), "--out", Path.Combine(_dir, "run"), "--vcd", vcd, "--vcd-neurons", "reservior:0-3");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain("'reservior' matches no population (populations: input, reservoir)"));
        Assert.That(File.Exists(vcd) || Directory.Exists(Path.Combine(_dir, "run")), Is.False);
    }
}
