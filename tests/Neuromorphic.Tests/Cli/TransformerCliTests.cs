using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

public sealed class TransformerCliTests
{
    [Test]
    public void InspectModelPrintsParametersAndFirstConvFlops()
    {
        var (exit, output, error) = CliRunner.Run("inspect", "model:meta-spikeformer-8-512", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("parameters").GetInt64(), Is.EqualTo(55_350_000).Within(0.005 * 55_350_000));
        // 7 x 7 kernel, stride 2, 3 -> 64 channels, 112 x 112 output.
        Assert.That(doc.RootElement.GetProperty("flops_first_conv").GetInt64(), Is.EqualTo(7L * 7 * 112 * 112 * 3 * 64));
        Assert.That(doc.RootElement.GetProperty("layers").GetArrayLength(), Is.GreaterThan(100));
        var (tableExit, table, _) = CliRunner.Run("inspect", "model:sdt-v1-8-384");
        Assert.That(tableExit, Is.EqualTo(0));
        Assert.That(table, Does.Contain("SdsaV1").And.Contain("total"));
        Assert.That(CliRunner.Run("inspect", "model:no-such-model").Exit, Is.EqualTo(2));
    }

    [Test]
    public void TransformerPresetRunsAndReportsBothEnergies()
    {
        var dir = Directory.CreateTempSubdirectory("nm-sdt-").FullName;
        try
        {
            var (exit, output, error) = CliRunner.Run("run", "sdt-v2-digital", "--out", dir, "--json");
            Assert.That(exit, Is.EqualTo(0), error);
            using var doc = JsonDocument.Parse(output);
            Assert.That(doc.RootElement.GetProperty("energy_per_inference_J").GetDouble(), Is.GreaterThan(0));
            Assert.That(doc.RootElement.GetProperty("theoretical_energy_J").GetDouble(), Is.GreaterThan(0));
            Assert.That(File.ReadAllLines(Path.Combine(dir, "layers.csv")).Length, Is.GreaterThan(100), "a row per layer");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void TheTablePrintsEnergiesWithSiPrefixes()
    {
        // A small model's energies came out in millijoules: 0.02059 mJ per inference, 0.0004336 mJ for a layer.
        var dir = Directory.CreateTempSubdirectory("nm-sdt-").FullName;
        try
        {
            Neuromorphic.Arch.Architecture.Presets.TryRead("sdt-v2-small", out var text, out _);
            var config = Path.Combine(dir, "small.yaml");
            File.WriteAllText(config, text.Replace("mode: functional", "mode: rates"));
            var (exit, output, error) = CliRunner.Run("run", config, "--out", Path.Combine(dir, "run"));
            Assert.That(exit, Is.EqualTo(0), error);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run", "summary.json")));
            var energy = summary.RootElement.GetProperty("energy_per_inference_J").GetDouble();
            Assert.That(energy, Is.LessThan(1e-3), "a small model: well under a millijoule");
            Assert.That(output, Does.Contain(Neuromorphic.Arch.Reports.Quantity.Si(energy, "J") + " ("));
            Assert.That(output, Does.Not.Contain(" mJ"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
