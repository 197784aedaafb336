using System.Text.Json;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>Running configurations: the run directory, its energy, and bad data.</summary>
public sealed class RunConfigCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-runs-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>The default preset shrunk to a fast workload.</summary>
    private string SmallConfig(string workload)
    {
        var preset = Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var yaml, out _) ? yaml : throw new InvalidOperationException();
        var start = preset.IndexOf("workload:", StringComparison.Ordinal);
        var end = preset.IndexOf("encoding:", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "small.yaml");
        File.WriteAllText(path, preset[..start] + workload + "\n" + preset[end..]);
        return path;
    }

    [Test]
    public void RunWritesTheRunDirectoryAndItsEnergyAddsUp()
    {
        var config = SmallConfig("workload:\n  kind: builtin\n  classes: 10\n  samples_per_class: 4\n");
        var dir = Path.Combine(_dir, "run");
        var (exit, output, error) = CliRunner.Run("run", config, "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("test accuracy: RRAM reservoir").And.Contain("energy per inference"));
        foreach (var file in new[] { "summary.json", "energy_breakdown.csv", "latency_breakdown.csv", "sparsity.csv", "cost_table.csv" })
            Assert.That(File.Exists(Path.Combine(dir, file)), file);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var root = summary.RootElement;
        foreach (var key in new[] { "accuracy", "software_accuracy", "baseline_accuracy", "golden_spike_agreement", "energy_per_inference_J", "latency_s", "edp_Js" })
            Assert.That(root.TryGetProperty(key, out _), key);
        // Energy per inference = the breakdown's counts x the cost table's energies + leakage, over the samples.
        var costs = CostTableCsv.Read(Path.Combine(dir, "cost_table.csv")).Where(r => r.EnergyPj is not null)
            .ToDictionary(r => (r.Component, r.Action), r => r.EnergyPj!.Value);
        var total = EnergyBreakdownCsv.Read(Path.Combine(dir, "energy_breakdown.csv"))
            .Sum(l => l.Action == "leakage" ? l.LeakagePj : l.Count * costs[(l.Component, l.Action)]);
        var samples = root.GetProperty("samples").GetInt32();
        Assert.That(total / samples, Is.EqualTo(root.GetProperty("energy_per_inference_J").GetDouble() * 1e12).Within(1e-3));
    }

    [Test]
    public void TheRunDirectoryLineNamesEveryFileWritten()
    {
        // It named five of the nine files (no layers.csv, utilisation.csv or spike rasters).
        var config = SmallConfig("workload:\n  kind: builtin\n  classes: 10\n  samples_per_class: 4\n");
        var dir = Path.Combine(_dir, "run");
        var (exit, output, error) = CliRunner.Run("run", config, "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        var line = output[output.IndexOf("run directory:", StringComparison.Ordinal)..].ReplaceLineEndings(" ");
        var listed = line[(line.IndexOf('(') + 1)..line.IndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
        Assert.That(listed, Is.EquivalentTo(Directory.GetFiles(dir).Select(Path.GetFileName)));
        Assert.That(listed, Has.Length.EqualTo(9));
    }

    [Test]
    public void SameSeedGivesTheSameSummary()
    {
        var config = SmallConfig("workload:\n  kind: builtin\n  classes: 10\n  samples_per_class: 3\n");
        var a = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "a"), "--json");
        var b = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "b"), "--json");
        string Strip(string json) => string.Join(",", json.Split(',').Where(p => !p.Contains("\"wall_s\"")));
        Assert.That(Strip(b.Out), Is.EqualTo(Strip(a.Out)));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "b", "energy_breakdown.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_dir, "a", "energy_breakdown.csv"))));
    }

    [Test]
    public void TruncatedNmnistFileExitsTwoWithItsByteOffset()
    {
        var data = Path.Combine(_dir, "nmnist");
        var rng = new Random(1);
        for (var label = 0; label < 10; label++)
        {
            Directory.CreateDirectory(Path.Combine(data, label.ToString()));
            for (var i = 0; i < 3; i++)
            {
                var events = Enumerable.Range(0, 50).Select(t => new DvsEvent((ushort)rng.Next(34), (ushort)rng.Next(34), 1, t * 1000L)).ToList();
                NmnistBin.Write(Path.Combine(data, label.ToString(), $"{i}.bin"), new EventStream(34, 34, events));
            }
        }
        var broken = Path.Combine(data, "3", "1.bin");
        var bytes = File.ReadAllBytes(broken);
        File.WriteAllBytes(broken, bytes[..(bytes.Length - 2)]);
        var config = SmallConfig($"workload:\n  kind: nmnist\n  path: {data}\n");
        var (exit, _, error) = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "run"));
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("1.bin").And.Contain($"byte {bytes.Length - 5}").And.Contain("truncated"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "run")), Is.False, "no half-written run directory");
    }

    [Test]
    public void ASweepFileOrAMisspeltSectionIsNamedWithItsLine()
    {
        // Was "line 1 (architecture): missing required key" for a sweep file, and "(lsm): missing required section" for `lms:`.
        var sweep = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(sweep, "name: t\nbase: rram-lsm-40nm\n");
        Assert.That(CliRunner.Refused("run", sweep, "--out", Path.Combine(_dir, "run")),
            Is.EqualTo($"error: {sweep}: line 2 (base): unknown key ('base' is a sweep file's key: run a sweep with 'neuromorphic sweep FILE')\n"));
        var misspelt = Path.Combine(_dir, "misspelt.yaml");
        Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var preset, out _);
        File.WriteAllText(misspelt, preset.Replace("\nlsm:", "\nlms:"));
        var line = preset[..preset.IndexOf("\nlsm:", StringComparison.Ordinal)].Count(c => c == '\n') + 2;
        Assert.That(CliRunner.Refused("run", misspelt, "--out", Path.Combine(_dir, "run")),
            Is.EqualTo($"error: {misspelt}: line {line} (lms): unknown key (did you mean 'lsm'?)\n"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "run")), Is.False);
    }

    [Test]
    public void BadConfigurationKeysExitTwoNamingLineAndKey()
    {
        var config = SmallConfig("workload:\n  kind: builtin\n  clases: 10\n");
        var (exit, _, error) = CliRunner.Run("run", config);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("small.yaml").And.Contain("(workload.clases)").And.Contain("unknown key"));
    }
}
