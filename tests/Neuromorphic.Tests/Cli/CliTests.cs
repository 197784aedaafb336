using System.Text.Json;
using Neuromorphic.Tests.Neurons;
using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

public sealed class CliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-cli-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void RunExampleRunsTheBuiltInExampleNetwork()
    {
        var (exit, output, error) = CliRunner.Run("run", "--example", "--out", Path.Combine(_dir, "run"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("built-in example").And.Contain("spikes"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "run", "summary.json")));
        Assert.That(summary.RootElement.GetProperty("spikes").GetInt64(), Is.GreaterThan(0));
        Assert.That(summary.RootElement.GetProperty("timesteps").GetInt32(), Is.EqualTo(500));
    }

    [Test]
    public void RunExampleAndNirGraphPrintTheirSummaryWithJson()
    {
        // --json used to be ignored outside run configurations: the table came out instead.
        var (exit, output, error) = CliRunner.Run("run", "--example", "--timesteps", "50", "--json", "--out", Path.Combine(_dir, "run"));
        Assert.That(exit, Is.EqualTo(0), error);
        using var printed = JsonDocument.Parse(output);
        Assert.That(printed.RootElement.GetProperty("timesteps").GetInt32(), Is.EqualTo(50));
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "run", "summary.json")));
        Assert.That(printed.RootElement.GetProperty("spikes").GetInt64(), Is.EqualTo(written.RootElement.GetProperty("spikes").GetInt64()));

        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_norse.csv"));
        var input = Path.Combine(_dir, "input.csv");
        File.WriteAllLines(input, golden.Input.Select(x => x == 0 ? "0" : "1"));
        (exit, output, error) = CliRunner.Run("run", FixturePaths.Nir("lif_norse.nir"), "--input", input, "--dt", "1e-4", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var nir = JsonDocument.Parse(output);
        Assert.That(nir.RootElement.GetProperty("output_events").GetInt64(), Is.EqualTo(golden.OutputSpikeSteps.Count()));
    }

    [Test]
    public void BuiltInExampleExportsToNirAndRunsBackIdentically()
    {
        var nir = Path.Combine(_dir, "example.nir");
        var first = Path.Combine(_dir, "first.csv");
        Assert.That(CliRunner.Run("run", "--example", "--timesteps", "100", "--export-nir", nir, "--record-output", first).Exit, Is.EqualTo(0));
        // The exported graph, driven by the same Poisson input, gives the same outputs.
        var (network, input) = Neuromorphic.Sim.Builders.ExampleNetwork.Build(1, timesteps: 100);
        var raster = Path.Combine(_dir, "input.csv");
        Neuromorphic.Traces.RasterCsv.Write(raster, input);
        var second = Path.Combine(_dir, "second.csv");
        var (exit, _, error) = CliRunner.Run("run", nir, "--input", raster, "--dt", "1e-3", "--record-output", second);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(network.Nodes.Count, Is.EqualTo(7));
        Assert.That(File.ReadAllText(second), Is.EqualTo(File.ReadAllText(first)));
    }

    [Test]
    public void RunNirGraphRecordsTheOutputRaster()
    {
        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_norse.csv"));
        var input = Path.Combine(_dir, "input.csv");
        File.WriteAllLines(input, golden.Input.Select(x => x == 0 ? "0" : "1"));
        var recorded = Path.Combine(_dir, "out.csv");
        var (exit, _, error) = CliRunner.Run("run", FixturePaths.Nir("lif_norse.nir"), "--input", input, "--dt", "1e-4", "--record-output", recorded);
        Assert.That(exit, Is.EqualTo(0), error);
        var rows = File.ReadAllLines(recorded).Where(l => l.Length > 0).ToArray();
        Assert.That(rows, Has.Length.EqualTo(1000));
        var spikes = rows.Select((r, t) => (r, t)).Where(p => double.Parse(p.r, System.Globalization.CultureInfo.InvariantCulture) > 0).Select(p => p.t);
        Assert.That(spikes, Is.EqualTo(golden.OutputSpikeSteps));
    }

    [TestCase("lif_norse.nir", 1)]
    [TestCase("two_lif_neurons.nir", 2)]
    [TestCase("braille_noDelay_bias_zero.nir", 45)]
    [TestCase("braille_noDelay_noBias_subtract.nir", 47)]
    [TestCase("cnn_sinabs.nir", 8970)]
    public void InspectPrintsEveryFixtureAsTableAndJson(string file, int neurons)
    {
        var (exit, table, error) = CliRunner.Run("inspect", FixturePaths.Nir(file));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(table, Does.Contain("total").And.Contain("Input"));

        var (jsonExit, json, _) = CliRunner.Run("inspect", FixturePaths.Nir(file), "--json");
        Assert.That(jsonExit, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(json);
        var summary = doc.RootElement.GetProperty("summary");
        Assert.That(summary.GetProperty("neuron_count").GetInt64(), Is.EqualTo(neurons));
        Assert.That(summary.GetProperty("nodes").GetArrayLength(), Is.EqualTo(summary.GetProperty("node_count").GetInt32()));
    }

    [Test]
    public void TruncatedNirFileExitsTwoWithOneLineNamingTheFile()
    {
        var bytes = File.ReadAllBytes(FixturePaths.Nir("cnn_sinabs.nir"));
        var path = Path.Combine(_dir, "truncated.nir");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var (exit, _, error) = CliRunner.Run("inspect", path);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("truncated.nir"));
    }

    [Test]
    public void WrongTypeStringAndMissingWeightExitTwoNamingFileAndNode()
    {
        var unknown = NirTestData.SmallNodes();
        unknown["fc"] = new PureHDF.H5Group { ["type"] = "Linaer", ["weight"] = NirTestData.Array(new float[6], 2, 3) };
        var missing = NirTestData.SmallNodes();
        missing["fc"] = new PureHDF.H5Group { ["type"] = "Linear" };
        foreach (var (name, nodes) in new[] { ("unknown-type.nir", unknown), ("missing-weight.nir", missing) })
        {
            var path = NirTestData.Write(Path.Combine(_dir, name), NirTestData.Graph(nodes, NirTestData.SmallEdges()));
            foreach (var args in new[] { new[] { "inspect", path }, ["run", path, "--input", path, "--dt", "1e-3"] })
            {
                var (exit, _, error) = CliRunner.Run(args);
                Assert.That(exit, Is.EqualTo(2), $"{name}: {error}");
                Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
                Assert.That(error, Does.Contain(name).And.Contain("'fc'"));
            }
        }
    }

    [Test]
    public void MissingOptionsAndBadValuesExitTwo()
    {
        Assert.That(CliRunner.Run("run", FixturePaths.Nir("lif_norse.nir")).Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("run", "--example", "--timesteps", "-3").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("run", "--example", "--precision", "float16").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("run", "no-such-preset").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("inspect", Path.Combine(_dir, "absent.nir")).Exit, Is.EqualTo(2));
    }

    [Test]
    public void InputWidthMismatchNamesTheRasterFile()
    {
        var input = Path.Combine(_dir, "wide.csv");
        File.WriteAllLines(input, ["0,1", "1,0"]);
        var (exit, _, error) = CliRunner.Run("run", FixturePaths.Nir("lif_norse.nir"), "--input", input, "--dt", "1e-4");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("wide.csv").And.Contain("2 channels"));
    }

    [Test]
    public void ThreadsHelpQuotesTheExecutorsTwoThreadThreshold()
    {
        var (exit, output, _) = CliRunner.Run("replay", "--help");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), Does.Contain($"for samples of {Neuromorphic.Arch.Execution.ChipExecutor.DefaultMinimumStepsOnTwoThreads} steps or more"));
    }

    [Test]
    public void HelpWorksForEveryCommand()
    {
        foreach (var args in new[] { new[] { "--help" }, ["run", "--help"], ["inspect", "--help"] })
        {
            var (exit, output, _) = CliRunner.Run(args);
            Assert.That(exit, Is.EqualTo(0));
            Assert.That(output, Does.Contain("Usage"));
        }
    }
}
