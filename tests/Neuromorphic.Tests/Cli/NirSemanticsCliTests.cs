using System.Text.Json;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary><c>run GRAPH --semantics --reset --record</c> on the Braille graphs.</summary>
public sealed class NirSemanticsCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-sem-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => FixturePaths.Nir(name);

    private static int Differing(SpikeRaster a, SpikeRaster b) => a.Data.Zip(b.Data).Count(p => (p.First > 0) != (p.Second > 0));

    [TestCase("csv")]
    [TestCase("npy")]
    public void RecordWritesAHiddenLayerThatMatchesSnnTorch(string format)
    {
        var outDir = Path.Combine(_dir, "run");
        var (exit, stdout, stderr) = CliRunner.Run("run", Fixture("braille_noDelay_noBias_subtract.nir"),
            "--input", Fixture("braille-activity/input_sample0.npy"), "--dt", "1e-4", "--semantics", "snntorch", "--reset", "subtract",
            "--record", "lif1.lif, lif2", "--record-format", format, "--out", outDir);
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("snntorch, reset subtract"));
        var hidden = SpikeRaster.Load(Path.Combine(outDir, "activity", $"lif1.lif.{format}"));
        var published = SpikeRaster.Load(Fixture("braille-activity/snntorch_activity_noDelay_noBias_subtract.npy"));
        Assert.That(Differing(hidden, published), Is.Zero);
        Assert.That(SpikeRaster.Load(Path.Combine(outDir, "activity", $"lif2.{format}")).Channels, Is.EqualTo(7));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("semantics").GetString(), Is.EqualTo("snntorch"));
        Assert.That(summary.RootElement.GetProperty("reset_mechanism").GetString(), Is.EqualTo("subtract"));
        Assert.That(summary.RootElement.GetProperty("semantics_from").GetString(), Is.EqualTo("--semantics"));
    }

    [Test]
    public void MetadataPicksTheDefaultAndTheFlagOverridesIt()
    {
        // The Braille graph with metadata naming snnTorch: the default run follows snnTorch (0 cells
        // from its file); --semantics norse overrides it (0 cells from Norse's).
        var network = NirReader.Read(Fixture("braille_noDelay_bias_zero.nir"));
        var tagged = new Network(network.Nodes, network.Edges, new Dictionary<string, string> { ["framework"] = "snntorch" });
        var graph = Path.Combine(_dir, "tagged.nir");
        NirWriter.Write(tagged, graph);
        var input = Fixture("braille-activity/input_sample0.npy");
        var inspect = CliRunner.Run("inspect", graph);
        Assert.That(inspect.Exit, Is.EqualTo(0), inspect.Err);
        Assert.That(inspect.Out, Does.Contain("metadata: framework = snntorch").And.Contain("by default: snntorch, reset value (metadata 'framework')"));

        var byMetadata = Path.Combine(_dir, "meta");
        var first = CliRunner.Run("run", graph, "--input", input, "--dt", "1e-4", "--record", "lif1.lif", "--out", byMetadata);
        Assert.That(first.Exit, Is.EqualTo(0), first.Err);
        Assert.That(first.Out, Does.Contain("metadata 'framework'"));
        Assert.That(Differing(SpikeRaster.Load(Path.Combine(byMetadata, "activity", "lif1.lif.csv")),
            SpikeRaster.Load(Fixture("braille-activity/snntorch_activity_noDelay_bias_zero.npy"))), Is.Zero);

        var overridden = Path.Combine(_dir, "flag");
        var second = CliRunner.Run("run", graph, "--input", input, "--dt", "1e-4", "--semantics", "norse", "--record", "lif1.lif", "--out", overridden);
        Assert.That(second.Exit, Is.EqualTo(0), second.Err);
        Assert.That(Differing(SpikeRaster.Load(Path.Combine(overridden, "activity", "lif1.lif.csv")),
            SpikeRaster.Load(Fixture("braille-activity/norse_activity_noDelay_bias_zero.npy"))), Is.Zero);
    }

    [Test]
    public void RecordingAnUnknownNodeOrWithoutARunDirectoryIsAUsageError()
    {
        var args = new[] { "run", Fixture("braille_noDelay_bias_zero.nir"), "--input", Fixture("braille-activity/input_sample0.npy"), "--dt", "1e-4" };
        var unknown = CliRunner.Run([.. args, "--record", "lif1", "--out", Path.Combine(_dir, "x")]);
        Assert.That(unknown.Exit, Is.EqualTo(2));
        Assert.That(unknown.Err, Does.Contain("no node 'lif1'").And.Contain("lif1.lif"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False, "nothing written");
        var noOut = CliRunner.Run([.. args, "--record", "lif1.lif"]);
        Assert.That(noOut.Exit, Is.EqualTo(2));
        Assert.That(noOut.Err, Does.Contain("--out"));
        var badSemantics = CliRunner.Run([.. args, "--semantics", "brian2"]);
        Assert.That(badSemantics.Exit, Is.EqualTo(2));
    }
}
