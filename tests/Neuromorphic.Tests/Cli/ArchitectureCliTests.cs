using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

public sealed class ArchitectureCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-arch-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase("rram-40nm-256kb")]
    [TestCase("neurosim-rram-32nm")]
    public void InspectPresetPrintsTheDerivedFiguresAsJson(string preset)
    {
        var (exit, output, error) = CliRunner.Run("inspect", preset, "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        // The macro's figures are in one place, under "macro"; the top level repeated them before.
        foreach (var key in new[] { "capacity_bits", "area_um2", "peak_tops", "tops_per_watt", "energy_per_mac_fJ", "energy_per_conversion_fJ" })
        {
            Assert.That(doc.RootElement.GetProperty("macro").GetProperty(key).GetDouble(), Is.GreaterThan(0), key);
            Assert.That(doc.RootElement.TryGetProperty(key, out _), Is.False, $"{key} repeated at the top level");
        }
        Assert.That(doc.RootElement.GetProperty("cost_table").GetArrayLength(), Is.GreaterThan(5));
    }

    [Test]
    public void InspectPresetPrintsATable()
    {
        var (exit, output, _) = CliRunner.Run("inspect", "rram-40nm-256kb");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("TOPS/W").And.Contain("sar_adc.conversion"));
    }

    [TestCase("neurosim-v14-rram-32nm", "8-bit offset-binary weights (7 magnitude bits + offset)")]
    [TestCase("rram-40nm-256kb", "signed weights of 1 magnitude bit (differential pairs)")]
    [TestCase("rram-lsm-40nm", "analog conductances (stochastic pulses)")]
    public void InspectSaysWhatTheCellsStoreAndThatTheTopsAreTheMacros(string preset, string weights)
    {
        // Before: "7-bit weights" under a header saying 8-bit, "1-bit weights" for analog conductances, and TOPS/W
        // figures that did not say they leave out the cores and the NoC.
        var (jsonExit, json, jsonError) = CliRunner.Run("inspect", preset, "--json");
        Assert.That(jsonExit, Is.EqualTo(0), jsonError);
        using (var doc = JsonDocument.Parse(json)) Assert.That(doc.RootElement.GetProperty("weights").GetString(), Is.EqualTo(weights));
        // The table wraps long values at the terminal's width: the words are checked whatever the line breaks.
        var (exit, output, error) = CliRunner.Run("inspect", preset);
        Assert.That(exit, Is.EqualTo(0), error);
        var words = string.Join(' ', output.Split([' ', '\n', '\r', '\u2502'], StringSplitOptions.RemoveEmptyEntries));
        Assert.That(words, Does.Contain(weights));
        Assert.That(output, Does.Contain("TOPS/W, all rows active (macro)").And.Contain("macro alone: no neuron or accumulate cores, no buffers, no NoC"));
    }

    [Test]
    public void InspectNamesTheAdcAsPeopleDo()
    {
        // The enum's name came out: "64 x 4-bit Sar ADC".
        var (exit, output, error) = CliRunner.Run("inspect", "rram-40nm-256kb");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("64 x 4-bit SAR ADC, 8 columns each"));
        Assert.That(output, Does.Match(@"area\s+\u2502\s+\d{1,3}(,\d\d\d)+ um\^2"), "the macro's area with separators (3.36E+04 um^2 before)");
    }

    [TestCase("sar_adc,conversion,0.1,5,,,", "missing source")]
    [TestCase("sar_adc,conversion,-0.1,5,,,ours", "negative")]
    [TestCase("sar_adc,convert,0.1,5,,,ours", "unknown action")]
    public void BadCostTableCsvExitsTwoNamingTheRow(string row, string problem)
    {
        File.WriteAllText(Path.Combine(_dir, "costs.csv"), "component,action,energy_pJ,latency_ns,area_um2,leakage_uW,source\n" + row + "\n");
        var arch = Path.Combine(_dir, "arch.yaml");
        File.WriteAllText(arch, "name: mine\ncost_table_file: costs.csv\nmacro:\n  device:\n    ron_ohm: 1e5\n");
        var (exit, _, error) = CliRunner.Run("inspect", arch);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("costs.csv: line 2").And.Contain(problem));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void HardwareRunDirectoryEnergyRecomputesFromItsCsvFiles()
    {
        var dir = Path.Combine(_dir, "run");
        var (exit, _, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.02", "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        var costs = Neuromorphic.Hw.Costs.CostTableCsv.Read(Path.Combine(dir, "cost_table.csv"))
            .Where(r => r.EnergyPj is not null).ToDictionary(r => (r.Component, r.Action), r => r.EnergyPj!.Value);
        var lines = Neuromorphic.Arch.Reports.EnergyBreakdownCsv.Read(Path.Combine(dir, "energy_breakdown.csv"));
        var recomputed = lines.Sum(l => l.Action == "leakage" ? l.LeakagePj : l.Count * costs[(l.Component, l.Action)]);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.That(recomputed, Is.EqualTo(summary.RootElement.GetProperty("energy_J").GetDouble() * 1e12).Within(1e-3));
        Assert.That(Directory.GetFiles(dir).Where(f => f.Contains(".tmp")), Is.Empty, "no temporary files left behind");
    }

    [Test]
    public void BenchCubaOnHardwarePrintsEnergiesWithSiPrefixesAndCountsWithSeparators()
    {
        // Fixed microjoules ('22.99 / 22.62 uJ', CUBA-4M 1.234E+04 uJ) and bare digit runs (28725459 pulses).
        var dir = Path.Combine(_dir, "run");
        var (exit, output, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.02", "--out", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var root = summary.RootElement;
        string J(string key) => Neuromorphic.Arch.Reports.Quantity.Si(root.GetProperty(key).GetDouble(), "J");
        Assert.That(output, Does.Contain($"{J("energy_J")} / {J("dynamic_energy_J")}"));
        Assert.That(output, Does.Contain(root.GetProperty("programming_pulses").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " pulses"));
        Assert.That(root.GetProperty("programming_pulses").GetInt64(), Is.GreaterThan(999), "a count that needs separators");
    }

    [Test]
    public void BenchCubaOnHardwareReportsBothTimes()
    {
        var (exit, output, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.02", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("energy_J").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("hardware_over_functional_time").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("functional_only").GetProperty("spikes").GetInt64(),
            Is.EqualTo(doc.RootElement.GetProperty("spikes").GetInt64()), "the hardware run's spikes (top level) equal the functional run's");
        Assert.That(doc.RootElement.GetProperty("samples").GetInt64(), Is.EqualTo(1), "CUBA is one inference");
        Assert.That(doc.RootElement.GetProperty("latency_per_timestep_cycles").GetDouble() * 200,
            Is.EqualTo(doc.RootElement.GetProperty("latency_cycles").GetDouble()).Within(1e-6), "0.02 s of 0.1 ms steps: latency_cycles is the whole run");
        Assert.That(doc.RootElement.GetProperty("neuron_placement").GetString(), Is.EqualTo("near_synapses"), "the bench's default placement");
        Assert.That(doc.RootElement.GetProperty("noc_packets_per_step").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("noc_hops_per_step").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void BenchCubaOnHardwareTakesThePlacementAndTheMacroOrderAndRefusesOthers()
    {
        var (exit, output, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.01",
            "--placement", "packed", "--macro-order", "column_block_major", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That((doc.RootElement.GetProperty("neuron_placement").GetString(), doc.RootElement.GetProperty("macro_order").GetString()),
            Is.EqualTo(("packed", "column_block_major")));
        Assert.That(doc.RootElement.GetProperty("spikes_identical_to_functional").GetInt64(), Is.EqualTo(1));
        (exit, _, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.01", "--placement", "nearest");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("nearest").And.Contain("near_synapses"));
    }
}
