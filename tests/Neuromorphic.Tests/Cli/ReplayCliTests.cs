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

    private string _shared = "";
    private Lazy<(int Exit, string Out, string Err, string Config, string Trace, string RunDir)> _run = null!;

    /// <summary>
    /// The small LSM run with its trace, which both replay tests start from: made once per fixture, on first use, in a
    /// directory of the fixture's own; the tests only read it (their replays and files go to their own directories).
    /// </summary>
    [OneTimeSetUp]
    public void CreateSharedRun()
    {
        _shared = Directory.CreateTempSubdirectory("nm-replay-run-").FullName;
        _run = new(() =>
        {
            var (config, trace, runDir) = (CliRunner.SmallLsmConfig(_shared), Path.Combine(_shared, "run.nmtrace"), Path.Combine(_shared, "run"));
            var (exit, output, error) = CliRunner.Run("run", config, "--out", runDir, "--trace", trace, "--json");
            return (exit, output, error, config, trace, runDir);
        });
    }

    [OneTimeTearDown]
    public void RemoveSharedRun() => Directory.Delete(_shared, recursive: true);

    private static Dictionary<string, string> Summary(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Where(p => p.Name is not ("wall_s" or "config"))
            .ToDictionary(p => p.Name, p => p.Value.ToString());
    }

    [Test]
    public void ReplayThroughTheSameArchitectureReproducesTheRun()
    {
        var run = _run.Value;
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);
        var replay = CliRunner.Run("replay", run.Trace, "--out", Path.Combine(_dir, "replay"), "--json");
        Assert.That(replay.Exit, Is.EqualTo(0), replay.Err);
        Assert.That(Summary(replay.Out), Is.EqualTo(Summary(run.Out)));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "replay", "energy_breakdown.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(run.RunDir, "energy_breakdown.csv"))));
    }

    [Test]
    public void ReplayThroughAnotherArchitectureGivesItsCosts()
    {
        var run = _run.Value;
        var trace = run.Trace;
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);
        var other = Path.Combine(_dir, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(run.Config).Replace("bits: 8 ", "bits: 5 "));
        var replay = CliRunner.Run("replay", trace, "--arch", other, "--out", Path.Combine(_dir, "other"), "--json");
        Assert.That(replay.Exit, Is.EqualTo(0), replay.Err);
        var (a, b) = (Summary(run.Out), Summary(replay.Out));
        Assert.That(b["energy_per_inference_J"], Is.Not.EqualTo(a["energy_per_inference_J"]), "a 5-bit ADC costs less than an 8-bit one");
        Assert.That(b["spikes"], Is.EqualTo(a["spikes"]), "the same activity");
        Assert.That(CliRunner.Run("replay", trace, "--arch", "neurosim-rram-32nm").Exit, Is.EqualTo(2), "no stochastic programming there");
    }

    [Test]
    public void AnArchitectureWithoutStochasticProgrammingIsRefusedNamingOneThatWorks()
    {
        // The architecture presets cannot hold the LSM's weights; the error named none that can.
        var run = _run.Value;
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);
        var refused = CliRunner.Run("replay", run.Trace, "--arch", "rram-40nm-256kb", "--out", Path.Combine(_dir, "refused"));
        Assert.That(refused.Exit, Is.EqualTo(2));
        Assert.That(refused.Err, Does.Contain("--arch rram-lsm-40nm"));
        var replay = CliRunner.Run("replay", run.Trace, "--arch", "rram-lsm-40nm", "--out", Path.Combine(_dir, "lsm"), "--json");
        Assert.That(replay.Exit, Is.EqualTo(0), replay.Err);
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
