using System.Text.Json.Nodes;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary><c>run NET.nir --arch</c> and <c>inspect NET.nir --arch</c>.</summary>
public class ChipCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "chip-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Run_on_a_chip_prints_energies_with_units_and_no_exponents()
    {
        // The table printed 'energy pJ' as 9.356E+04 and the line 4.501E+06 steps/s, which wrapped to '9.356E+ / 04' on a terminal.
        var run = Path.Combine(_dir, "run");
        var (exit, output, err) = CliRunner.Run("run", FixturePaths.Nir("braille_noDelay_bias_zero.nir"), "--input", ChipTestData.BrailleInput,
            "--dt", "1e-4", "--arch", "rram-40nm-256kb", "--out", run);
        Assert.That(exit, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("E+"));
        var layers = File.ReadAllLines(Path.Combine(run, "layers.csv"));
        var header = layers[0].Split(',');
        var lif = layers.Single(l => l.StartsWith("lif1.lif,", StringComparison.Ordinal)).Split(',');
        var energyPj = double.Parse(lif[Array.IndexOf(header, "energy_pJ")], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(energyPj, Is.InRange(1e4, 1e6), "the row's energy is tens of nanojoules");
        var row = output.Split('\n').Single(l => l.Contains("lif1.lif"));
        Assert.That(row, Does.Contain(Neuromorphic.Arch.Reports.Quantity.Si(energyPj * 1e-12, "J")).And.Contain(" nJ"));
    }

    [Test]
    public void Run_on_a_chip_writes_a_run_directory_the_report_reads()
    {
        var run = Path.Combine(_dir, "run");
        var (exit, _, err) = CliRunner.Run("run", FixturePaths.Nir("braille_noDelay_bias_zero.nir"), "--input", ChipTestData.BrailleInput,
            "--dt", "1e-4", "--arch", "rram-40nm-256kb", "--out", run, "--timesteps", "64");
        Assert.That(exit, Is.EqualTo(0), err);
        foreach (var file in new[] { "summary.json", "energy_breakdown.csv", "cost_table.csv", "latency_breakdown.csv", "sparsity.csv", "layers.csv",
                     "utilisation.csv", "output_chip_output.csv", "output_software_output.csv" })
            Assert.That(File.Exists(Path.Combine(run, file)), file);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!;
        Assert.That(summary["timesteps"]!.GetValue<int>(), Is.EqualTo(64));
        Assert.That(summary["energy_J"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(summary["execution"]!.GetValue<string>(), Is.EqualTo("barrier"));
        // The mapping choices the run was made with (the preset's: mapping.word_lines, macro_order, one_signed_layers).
        Assert.That((summary["word_lines"]!.GetValue<string>(), summary["macro_order"]!.GetValue<string>(), summary["one_signed_layers"]!.GetValue<string>()),
            Is.EqualTo(("dense", "row_block_major", "single_cells")));
        var layers = File.ReadAllLines(Path.Combine(run, "layers.csv"));
        Assert.That(layers[0], Does.StartWith("layer,kind,target,"));
        Assert.That(layers.Any(l => l.StartsWith("lif1.lif,population,", StringComparison.Ordinal)));
        var (reportExit, _, reportErr) = CliRunner.Run("report", run);
        Assert.That(reportExit, Is.EqualTo(0), reportErr);
    }

    [Test]
    public void Same_seed_gives_the_same_run_directory()
    {
        string Run(string name)
        {
            var dir = Path.Combine(_dir, name);
            var (exit, _, err) = CliRunner.Run("run", FixturePaths.Nir("braille_noDelay_bias_zero.nir"), "--input", ChipTestData.BrailleInput,
                "--dt", "1e-4", "--arch", "rram-40nm-256kb", "--out", dir, "--timesteps", "32", "--seed", "5");
            Assert.That(exit, Is.EqualTo(0), err);
            return dir;
        }
        var (a, b) = (Run("a"), Run("b"));
        foreach (var file in Directory.GetFiles(a).Select(Path.GetFileName))
            Assert.That(File.ReadAllBytes(Path.Combine(b, file!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, file!))), file);
    }

    [Test]
    public void Inspect_with_an_architecture_prints_the_mapping()
    {
        var (exit, output, err) = CliRunner.Run("inspect", FixturePaths.Nir("cnn_sinabs.nir"), "--arch", "rram-40nm-256kb", "--json");
        Assert.That(exit, Is.EqualTo(0), err);
        var json = JsonNode.Parse(output)!;
        Assert.That(json["macros_used"]!.GetValue<int>(), Is.EqualTo(5));
        var conv = json["nodes"]!.AsArray().Single(n => n!["node"]!.GetValue<string>() == "0")!;
        Assert.That(conv["on"]!.GetValue<string>(), Is.EqualTo("rram"));
        Assert.That(json["routes"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public void A_network_that_does_not_fit_exits_2_saying_what_it_needs()
    {
        var arch = Path.Combine(_dir, "tiny.yaml");
        Neuromorphic.Arch.Architecture.Presets.TryRead("rram-40nm-256kb", out var preset, out _);
        File.WriteAllText(arch, preset.Replace("tiles: 4", "tiles: 1").Replace("width: 2", "width: 1").Replace("height: 2", "height: 1")
            .Replace("macros_per_tile: 4", "macros_per_tile: 2"));
        var (exit, _, err) = CliRunner.Run("inspect", FixturePaths.Nir("cnn_sinabs.nir"), "--arch", arch);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.Contain("needs 5 macros").And.Contain("the chip has 2"));
    }
}

/// <summary>A run configuration naming a NIR network: accuracy on the chip and in software.</summary>
public class NirNetworkRunConfigTests
{
    [Test]
    public void A_nir_network_over_a_labelled_event_workload_reports_chip_and_software_accuracy()
    {
        var dir = Path.Combine(Path.GetTempPath(), "chip-config-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Two test recordings of one class, N-MNIST's layout.
            var config = ChipTestData.CnnClassifierConfig(dir);
            var run = Path.Combine(dir, "run");
            var (exit, _, err) = CliRunner.Run("run", config, "--out", run);
            Assert.That(exit, Is.EqualTo(0), err);
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!;
            Assert.That(summary["test_samples"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(summary["accuracy"]!.GetValue<double>(), Is.AnyOf(0.0, 0.5, 1.0));
            Assert.That(summary["software_accuracy"]!.GetValue<double>(), Is.AnyOf(0.0, 0.5, 1.0));
            Assert.That(summary["timestep_s"]!.GetValue<double>(), Is.EqualTo(0.015).Within(1e-12));
            Assert.That(File.ReadAllLines(Path.Combine(run, "output_chip_output.csv")), Has.Length.EqualTo(40));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_class_is_the_output_with_the_most_spikes()
    {
        var raster = new Neuromorphic.Traces.SpikeRaster(3, 4);
        raster.MutableRow(0)[2] = 1;
        raster.MutableRow(1)[2] = 1;
        raster.MutableRow(2)[1] = 1;
        Assert.That(Neuromorphic.Arch.Runs.NirChipExperiment.ArgMaxOfCounts(raster), Is.EqualTo(2));
        Assert.That(Neuromorphic.Arch.Runs.NirChipExperiment.ArgMaxOfCounts(new Neuromorphic.Traces.SpikeRaster(3, 4)), Is.EqualTo(-1));
    }
}

/// <summary>External replay runs through the chip executor: convolutions are priced too.</summary>
public class ChipReplayTests
{
    [Test]
    public void Replaying_input_spikes_through_the_cnn_prices_its_convolutions()
    {
        var dir = Path.Combine(Path.GetTempPath(), "chip-replay-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var rng = new Random(3);
            var data = new float[10 * 2312];
            for (var i = 0; i < data.Length; i++) data[i] = rng.NextDouble() < 0.05 ? 1 : 0;
            var npy = Path.Combine(dir, "input.npy");
            Neuromorphic.Traces.Npy.Write(npy, data, [10, 2312]);
            var (exit, output, err) = CliRunner.Run("replay", npy, "--network", FixturePaths.Nir("cnn_sinabs.nir"), "--arch", "rram-40nm-256kb",
                "--out", Path.Combine(dir, "out"), "--json");
            Assert.That(exit, Is.EqualTo(0), err);
            var summary = JsonNode.Parse(output)!;
            Assert.That(summary["priced_projections"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "0", "2", "5", "9", "11" }));
            Assert.That(summary["skipped_projections"]!.AsArray(), Is.Empty);
            Assert.That(summary["energy_per_inference_J"]!.GetValue<double>(), Is.GreaterThan(0));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
