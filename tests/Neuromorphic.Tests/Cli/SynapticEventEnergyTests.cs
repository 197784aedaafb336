using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// <c>bench cuba --hardware</c>'s energy per synaptic event says what it divides (all energy), and the synaptic path's
/// dynamic energy per event stands beside it, summed from the run's own breakdown; <c>inspect</c>'s macro-only figure
/// no longer shares its name.
/// </summary>
public sealed class SynapticEventEnergyTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nm-syn-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void The_synaptic_path_is_every_unit_but_the_neuron_core_from_the_breakdown_over_the_synaptic_events()
    {
        var (exit, output, error) = CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--neurons", "800", "--duration", "0.02", "--out", _dir);
        Assert.That(exit, Is.EqualTo(0), error);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")))!;
        var events = summary["synaptic_events"]!.GetValue<double>();
        Assert.That(events, Is.GreaterThan(0));
        // By hand from energy_breakdown.csv: the dynamic energy of every row but the neuron core's neuron updates and spikes
        // (its partial-sum adds carry the synapses' sums).
        var rows = File.ReadAllLines(Path.Combine(_dir, "energy_breakdown.csv"));
        var header = rows[0].Split(',');
        int unit = Array.IndexOf(header, "unit"), action = Array.IndexOf(header, "action"), dynamic = Array.IndexOf(header, "dynamic_pJ"), leakage = Array.IndexOf(header, "leakage_pJ");
        double path = 0, all = 0, neurons = 0;
        foreach (var row in rows.Skip(1).Select(r => r.Split(',')))
        {
            var d = double.Parse(row[dynamic], CultureInfo.InvariantCulture);
            all += d + double.Parse(row[leakage], CultureInfo.InvariantCulture);
            if (row[unit] == "neuron_core" && row[action] != "add") neurons += d;
            else path += d;
        }
        Assert.That(neurons, Is.GreaterThan(0), "the neuron updates must cost something for the split to mean anything");
        var synapticPath = summary["synaptic_path_energy_per_event_pJ"]!.GetValue<double>();
        Assert.That(synapticPath, Is.EqualTo(path / events).Within(1e-9).Percent);
        Assert.That(summary["energy_per_synaptic_op_pJ"]!.GetValue<double>(), Is.EqualTo(all / events).Within(1e-9).Percent);
        Assert.That(synapticPath, Is.LessThan(all / events));
        var table = output.Split('\n');
        Assert.That(table.Count(l => l.Contains("energy per synaptic event (all energy)", StringComparison.Ordinal)), Is.EqualTo(1), output);
        Assert.That(table.Count(l => l.Contains("synaptic-path energy per event (dynamic)", StringComparison.Ordinal)), Is.EqualTo(1), output);
    }

    [Test]
    public void Inspect_names_its_figure_the_macro_energy_per_synaptic_event()
    {
        var (exit, output, error) = CliRunner.Run("inspect", "rram-40nm-256kb");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("macro energy per synaptic event (dynamic)"));
        Assert.That(output.Split('\n').Count(l => l.Contains("energy per synaptic event", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
