using System.Text.Json.Nodes;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary><c>--threads</c> on the chip commands: the same files at 1 and 2 threads, host figures aside; a bad value exits 2.</summary>
public class ChipThreadsCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "chip-threads-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static JsonObject WithoutHostFigures(JsonObject summary)
    {
        foreach (var name in MetricCatalogue.HostTimed) summary.Remove(name);
        foreach (var (_, value) in summary.ToList())
            if (value is JsonObject section) WithoutHostFigures(section);
        return summary;
    }

    [Test]
    public void Run_on_a_chip_writes_the_same_run_directory_at_one_and_two_threads()
    {
        var dirs = new[] { "1", "2" }.Select(t =>
        {
            var run = Path.Combine(_dir, "t" + t);
            var (exit, _, err) = CliRunner.Run("run", FixturePaths.Nir("braille_noDelay_bias_zero.nir"), "--input", ChipTestData.BrailleInput,
                "--dt", "1e-4", "--arch", "rram-40nm-256kb", "--out", run, "--timesteps", "80", "--threads", t);
            Assert.That(exit, Is.EqualTo(0), err);
            return run;
        }).ToArray();
        var files = Directory.GetFiles(dirs[0]).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(Directory.GetFiles(dirs[1]).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(files));
        foreach (var file in files)
        {
            if (file == "summary.json")
            {
                var (a, b) = (JsonNode.Parse(File.ReadAllText(Path.Combine(dirs[0], file)))!.AsObject(), JsonNode.Parse(File.ReadAllText(Path.Combine(dirs[1], file)))!.AsObject());
                Assert.That(WithoutHostFigures(b).ToJsonString(), Is.EqualTo(WithoutHostFigures(a).ToJsonString()));
            }
            else Assert.That(File.ReadAllBytes(Path.Combine(dirs[1], file!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(dirs[0], file!))), file);
        }
    }

    [Test]
    public void Bench_cuba_on_the_chip_reports_its_threads_and_the_same_figures()
    {
        JsonObject Run(string threads)
        {
            var (exit, output, err) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "500", "--duration", "0.06", "--json", "--threads", threads);
            Assert.That(exit, Is.EqualTo(0), err);
            return JsonNode.Parse(output)!.AsObject();
        }
        var (one, two) = (Run("1"), Run("2"));
        Assert.That(one["threads"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(two["threads"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(two["function_pass_s"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(two["timing_wait_s"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0));
        Assert.That(WithoutHostFigures(two).ToJsonString(), Is.EqualTo(WithoutHostFigures(one).ToJsonString()));
    }

    [TestCase("0")]
    [TestCase("-2")]
    public void Replay_refuses_a_bad_thread_count(string threads)
    {
        var (exit, _, err) = CliRunner.Run("replay", Path.Combine(_dir, "none.nmtrace"), "--threads", threads);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--threads"));
    }
}
