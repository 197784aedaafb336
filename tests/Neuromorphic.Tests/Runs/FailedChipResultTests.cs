using System.Text.Json.Nodes;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Tests.Chip;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Runs;

/// <summary>
/// A failed chip result warns (terminal and <c>summary.json</c>'s <c>warnings</c>, as the LSM's silent or saturated
/// reservoir does): a layer silent on the chip while the software's fired, accuracy at or under chance, top-1
/// agreement with software under the bound. A chip that works does not.
/// </summary>
public sealed class FailedChipResultTests
{
    [Test]
    public void A_layer_silent_on_the_chip_while_the_software_fires_is_named_first_in_evaluation_order()
    {
        var warning = FailedChipResult.SilentLayers([("conv1", 0, 1200), ("conv2", 15, 40), ("quiet", 0, 0), ("fc", 0, 7)]);
        Assert.That(warning, Does.StartWith("2 layers fired no spike on the chip").And.Contain("conv1: 1,200").And.Contain("fc: 7")
            .And.EndWith("lost the signal at layer conv1"));
        Assert.That(warning, Does.Not.Contain("conv2").And.Not.Contain("quiet"));
        Assert.That(FailedChipResult.SilentLayers([("reservoir", 0, 3)]), Does.StartWith("layer reservoir fired no spike on the chip against 3 in software"));
        // Both sides silent, or the chip firing (however little), or nothing compared (-1): no warning.
        Assert.That(FailedChipResult.SilentLayers([("a", 0, 0), ("b", 1, 500), ("c", 0, -1)]), Is.Null);
    }

    [Test]
    public void Accuracy_at_or_under_chance_warns_and_above_it_does_not()
    {
        Assert.That(FailedChipResult.AtChance(0.0, 10), Does.Contain("0.0 % is at or under chance (10.0 %, 10 classes)"));
        Assert.That(FailedChipResult.AtChance(0.1, 10), Is.Not.Null, "one in ten of ten classes is chance");
        Assert.That(FailedChipResult.AtChance(0.15, 10), Is.Null);
        Assert.That(FailedChipResult.AtChance(double.NaN, 10), Is.Null, "no labels: not measured");
        Assert.That(FailedChipResult.AtChance(0.0, 1), Is.Null, "one class has no chance level");
    }

    [Test]
    public void Top_one_agreement_under_the_bound_warns()
    {
        Assert.That(FailedChipResult.TopOneAgreementBound, Is.EqualTo(0.5));
        Assert.That(FailedChipResult.TopOneDisagreement(0.25, 8), Does.Contain("25.0 % of 8 samples, under 50.0 %"));
        Assert.That(FailedChipResult.TopOneDisagreement(0.5, 8), Is.Null);
        Assert.That(FailedChipResult.TopOneDisagreement(1.0, 8), Is.Null);
        Assert.That(FailedChipResult.TopOneDisagreement(double.NaN, 8), Is.Null, "no software reference");
    }

    /// <summary>The Sinabs CNN over two test recordings of digit 0 (20 bins of 15 ms) on <paramref name="architecture"/>: exit code, standard error, summary.</summary>
    private static (int Exit, string Error, JsonNode Summary) CnnRun(string architecture)
    {
        var dir = Directory.CreateTempSubdirectory("nm-failed-").FullName;
        try
        {
            var config = ChipTestData.CnnClassifierConfig(dir, architecture);
            var run = Path.Combine(dir, "run");
            var (exit, _, err) = CliRunner.Run("run", config, "--out", run);
            return (exit, err, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_silent_chip_warns_on_the_terminal_and_in_the_summary()
    {
        // rram-40nm-256kb's 1-bit weights silence the CNN's first layer, and every layer after it.
        var (exit, error, summary) = CnnRun("rram-40nm-256kb");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(summary["accuracy"]!.GetValue<double>(), Is.EqualTo(0.0));
        var warnings = summary["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.That(warnings, Has.Count.EqualTo(3), string.Join("\n", warnings));
        Assert.That(warnings[0], Does.StartWith("5 layers fired no spike on the chip").And.EndWith("the chip lost the signal at layer 1"));
        Assert.That(warnings[1], Does.Contain("at or under chance (10.0 %, 10 classes)"));
        Assert.That(warnings[2], Does.Contain("0.0 % of 2 samples, under 50.0 %"));
        Assert.That(summary["chip_software_agreement"]!.GetValue<double>(), Is.EqualTo(0.0));
        foreach (var warning in warnings) Assert.That(error, Does.Contain("warning: " + warning));
    }

    [Test]
    public void A_chip_that_computes_the_network_gives_no_failed_result_warning()
    {
        // 8-bit weights: the same recordings classified alike on the chip and in software.
        var (exit, error, summary) = CnnRun("neurosim-rram-32nm");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(summary["chip_software_agreement"]!.GetValue<double>(), Is.EqualTo(1.0));
        var warnings = summary["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.That(warnings, Has.None.Contain("no spike").And.None.Contain("chance").And.None.Contain("top-1"), string.Join("\n", warnings));
        Assert.That(error, Does.Not.Contain("no spike").And.Not.Contain("chance").And.Not.Contain("top-1"));
    }
}
