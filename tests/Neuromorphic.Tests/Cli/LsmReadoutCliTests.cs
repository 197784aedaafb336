using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>The paper preset's keys end to end: differential pairs, two readouts, activity and its warning.</summary>
public sealed class LsmReadoutCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-lsm-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>The paper preset on a small built-in workload, with <paramref name="replace"/> applied to its text.</summary>
    private string PaperConfig(params (string From, string To)[] replace)
    {
        var yaml = Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-nmnist-paper", out var text, out _) ? text : throw new InvalidOperationException();
        var start = yaml.IndexOf("workload:", StringComparison.Ordinal);
        var end = yaml.IndexOf("encoding:", StringComparison.Ordinal);
        yaml = yaml[..start] + "workload:\n  kind: builtin\n  classes: 10\n  samples_per_class: 4\n" + yaml[end..];
        yaml = yaml.Replace("crop: 16\n  downsample: 1", "crop: 32\n  downsample: 2").Replace("steps: 60000", "steps: 30");
        foreach (var (from, to) in replace)
        {
            Assert.That(yaml, Does.Contain(from), "the preset changed: update the test");
            yaml = yaml.Replace(from, to);
        }
        var path = Path.Combine(_dir, "paper.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Test]
    public void SummaryNamesTheReadoutItsFeaturesAndTheActivity()
    {
        var (exit, output, error) = CliRunner.Run("run", PaperConfig(), "--out", Path.Combine(_dir, "run"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("softmax on rates (30 Adam steps").And.Contain("ridge on 10-bin counts: RRAM / software / raw").And.Contain("reservoir activity"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "run", "summary.json")));
        var root = summary.RootElement;
        Assert.That(root.GetProperty("readout").GetString(), Is.EqualTo("softmax"));
        Assert.That(root.GetProperty("features").GetString(), Is.EqualTo("rates"));
        Assert.That(root.GetProperty("softmax_accuracy").GetDouble(), Is.EqualTo(root.GetProperty("accuracy").GetDouble()));
        Assert.That(root.GetProperty("softmax_steps").GetInt64(), Is.EqualTo(30));
        Assert.That(root.GetProperty("ridge_accuracy").GetDouble(), Is.InRange(0.0, 1.0));
        Assert.That(root.GetProperty("ridge_software_accuracy").GetDouble(), Is.InRange(0.0, 1.0));
        var activity = root.GetProperty("reservoir_activity").GetDouble();
        Assert.That(activity, Is.EqualTo(1 - root.GetProperty("activation_sparsity").GetDouble()).Within(1e-12));
        var warnings = root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.That(warnings.Count(w => w.StartsWith("reservoir activity", StringComparison.Ordinal)), Is.EqualTo(activity is < 0.01 or > 0.5 ? 1 : 0), string.Join("\n", warnings));
        // This small workload's readout may score at chance on the chip (0 % here): then, and only then, the run says so.
        Assert.That(warnings.Count(w => w.Contains("at or under chance", StringComparison.Ordinal)), Is.EqualTo(root.GetProperty("accuracy").GetDouble() <= 0.1 ? 1 : 0));
    }

    [Test]
    public void SaturatedReservoirWarnsOnTheTerminalAndInTheSummary()
    {
        // All-positive dense input (one cell per synapse, mean weight 0.07 x 19 uS) and a low threshold. Every
        // neuron fires at nearly every step from the first sample on (activity 100 % at 4 samples a class and 50
        // steps as at 3 and 20), so a smaller workload shows the same saturation: 3 samples a class (the least the
        // readout's split takes) and 20 steps (two per feature bin) cut the run by about two thirds.
        var config = PaperConfig(("input_signs: differential", "input_signs: positive"), ("threshold: 5.0", "threshold: 0.5"),
            ("readouts: [softmax, ridge]", "readouts: [ridge]"), ("samples_per_class: 4", "samples_per_class: 3"), ("timesteps: 50", "timesteps: 20"));
        var (exit, _, error) = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "run"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(error, Does.Contain("warning: reservoir activity").And.Contain("saturated"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "run", "summary.json")));
        Assert.That(summary.RootElement.GetProperty("warnings")[0].GetString(), Does.Contain("saturated"));
    }

    [Test]
    public void UnknownReadoutAndBadScheduleExitTwoNamingTheKey()
    {
        var (exit, _, error) = CliRunner.Run("run", PaperConfig(("readouts: [softmax, ridge]", "readouts: [softmax, lasso]")), "--out", Path.Combine(_dir, "a"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("readout.readouts").And.Contain("lasso"));
        (exit, _, error) = CliRunner.Run("run", PaperConfig(("batch: 100", "batch: 0")), "--out", Path.Combine(_dir, "b"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("readout.softmax.batch"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "a")) || Directory.Exists(Path.Combine(_dir, "b")), Is.False, "no half-written output");
    }
}
