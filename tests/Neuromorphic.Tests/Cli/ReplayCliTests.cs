using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>Recording a run and replaying it, through its own architecture and another.</summary>
public sealed class ReplayCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-replay-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string SmallConfig() => CliRunner.SmallLsmConfig(_dir);

    private static Dictionary<string, string> Summary(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Where(p => p.Name is not ("wall_s" or "config"))
            .ToDictionary(p => p.Name, p => p.Value.ToString());
    }

    [Test]
    public void ReplayThroughTheSameArchitectureReproducesTheRun()
    {
        var trace = Path.Combine(_dir, "run.nmtrace");
        var run = CliRunner.Run("run", SmallConfig(), "--out", Path.Combine(_dir, "run"), "--trace", trace, "--json");
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);
        var replay = CliRunner.Run("replay", trace, "--out", Path.Combine(_dir, "replay"), "--json");
        Assert.That(replay.Exit, Is.EqualTo(0), replay.Err);
        Assert.That(Summary(replay.Out), Is.EqualTo(Summary(run.Out)));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "replay", "energy_breakdown.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_dir, "run", "energy_breakdown.csv"))));
    }

    [Test]
    public void ReplayThroughAnotherArchitectureGivesItsCosts()
    {
        var config = SmallConfig();
        var trace = Path.Combine(_dir, "run.nmtrace");
        var run = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "run"), "--trace", trace, "--json");
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);
        var other = Path.Combine(_dir, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(config).Replace("bits: 8 ", "bits: 5 "));
        var replay = CliRunner.Run("replay", trace, "--arch", other, "--out", Path.Combine(_dir, "other"), "--json");
        Assert.That(replay.Exit, Is.EqualTo(0), replay.Err);
        var (a, b) = (Summary(run.Out), Summary(replay.Out));
        Assert.That(b["energy_per_inference_J"], Is.Not.EqualTo(a["energy_per_inference_J"]), "a 5-bit ADC costs less than an 8-bit one");
        Assert.That(b["spikes"], Is.EqualTo(a["spikes"]), "the same activity");
        Assert.That(CliRunner.Run("replay", trace, "--arch", "neurosim-rram-32nm").Exit, Is.EqualTo(2), "no stochastic programming there");
    }

    [Test]
    public void CorruptTraceExitsTwoWithTheOffset()
    {
        var trace = Path.Combine(_dir, "bad.nmtrace");
        File.WriteAllBytes(trace, "NOTATRACE-AT-ALL-----"u8.ToArray());
        var (exit, _, error) = CliRunner.Run("replay", trace);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("bad.nmtrace").And.Contain("byte 0"));
    }
}
