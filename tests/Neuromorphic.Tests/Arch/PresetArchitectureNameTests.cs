using System.Text.RegularExpressions;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// summary.json's <c>architecture</c> identifies the hardware: run presets whose inline architectures differ carry
/// different names. rram-lsm-40nm, rram-lsm-nmnist-paper and rram-lsm-fashion-mnist all said rram-40nm-256kb-lsm
/// (lognormal against normal pulses, adc_full_scale_levels 2 against 4, ...).
/// </summary>
public sealed class PresetArchitectureNameTests
{
    /// <summary>A run preset's inline architecture section, as written (from its key to the next top-level key).</summary>
    private static string ArchitectureText(string preset)
    {
        Presets.TryRead(preset, out var text, out _);
        var match = Regex.Match(text, @"^architecture:\n(?:(?:  .*|\s*)\n)*", RegexOptions.Multiline);
        return match.Success ? match.Value.TrimEnd() : "";
    }

    [Test]
    public void RunPresetsWithOneArchitectureNameHaveOneArchitecture()
    {
        var byName = Presets.RunNames.GroupBy(p => RunConfigLoader.Load(p).Architecture.Name).ToList();
        Assert.That(byName.Select(g => g.Key), Does.Contain("rram-40nm-256kb-lsm"));
        foreach (var group in byName)
        {
            var texts = group.Select(ArchitectureText).Distinct().ToList();
            Assert.That(texts, Has.Count.EqualTo(1), $"{group.Key} names different architectures in {string.Join(", ", group)}");
            Assert.That(texts[0], Is.Not.Empty, group.Key);
        }
    }

    [Test]
    public void EveryCommandGivesTheArchitectureByItsName()
    {
        // bench cuba --hardware gave "preset:rram-40nm-256kb", the other commands the architecture's name.
        var dir = Directory.CreateTempSubdirectory("nm-archname-").FullName;
        try
        {
            var (exit, output, error) = Neuromorphic.Tests.Cli.CliRunner.Run("bench", "cuba", "--neurons", "400", "--duration", "0.01",
                "--hardware", "rram-40nm-256kb", "--out", dir, "--json");
            Assert.That(exit, Is.EqualTo(0), error);
            using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            Assert.That(summary.RootElement.GetProperty("architecture").GetString(), Is.EqualTo("rram-40nm-256kb"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
