using Neuromorphic.Arch.Architecture;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>Architecture files: every bad value is one error naming the file, the line and the key.</summary>
public sealed class ArchitectureFileTests
{
    private const string Minimal = """
        name: tiny
        macro:
          rows: 64
          columns: 64
          device:
            ron_ohm: 1e5
        """;

    private static InputFormatException Fails(string yaml) =>
        Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(yaml, "arch.yaml"))!;

    [Test]
    public void MinimalFileLoadsWithDefaults()
    {
        var spec = ArchitectureLoader.Parse(Minimal, "arch.yaml");
        Assert.That(spec.Macro.Crossbar.Rows, Is.EqualTo(64));
        Assert.That(spec.Macro.ParallelRows, Is.EqualTo(32));
        Assert.That(new ChipModel(spec).Costs.Actions, Is.Not.Empty);
    }

    [Test]
    public void PresetsLoadAndDescribeThemselves()
    {
        Assert.That(Presets.ArchitectureNames, Does.Contain("rram-40nm-256kb").And.Contain("neurosim-rram-32nm"));
        Assert.That(Presets.RunNames, Does.Contain("rram-lsm-40nm").And.Contain("rram-lsm-nmnist-paper").And.Contain("rram-lsm-fashion-mnist"));
        foreach (var name in Presets.ArchitectureNames) Assert.That(ArchitectureLoader.Load(name).Name, Is.EqualTo(name));
    }

    [Test]
    public void UnknownKeyIsNamedWithItsLine()
    {
        var ex = Fails(Minimal + "\n  paralel_rows: 64\n");
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 7 (macro.paralel_rows)").And.Contain("unknown key"));
    }

    [Test]
    public void AMisspeltSectionIsNamedNotTheSectionItMeant()
    {
        // Was "line 1 (macro): missing required section": the required section was reported, not the typo on its own line.
        var ex = Fails(Minimal.Replace("macro:", "macr:"));
        Assert.That(ex.Message, Is.EqualTo("arch.yaml: line 2 (macr): unknown key (did you mean 'macro'?)"));
    }

    [Test]
    public void OutOfRangeAndMistypedValuesAreNamed()
    {
        Assert.That(Fails(Minimal.Replace("rows: 64\n  columns", "rows: -4\n  columns")).Message, Does.Contain("line 3 (macro.rows)"));
        Assert.That(Fails(Minimal + "\n  parallel_rows: lots\n").Message, Does.Contain("(macro.parallel_rows)").And.Contain("not an integer"));
        Assert.That(Fails(Minimal + "\n  parallel_rows: 65\n").Message, Does.Contain("out of range"));
        Assert.That(Fails("name: x\nmacro: [1, 2\n").Message, Does.Contain("YAML syntax"));
        Assert.That(Fails("name: x\n").Message, Does.Contain("(macro)").And.Contain("missing"));
    }

    [TestCase("  - {component: sar_adc, action: conversion, energy_pJ: 0.1}", "missing source")]
    [TestCase("  - {component: sar_adc, action: conversion, energy_pJ: -0.1, source: x}", "negative")]
    [TestCase("  - {component: sar_adc, action: convert, energy_pJ: 0.1, source: x}", "unknown action 'sar_adc.convert'")]
    [TestCase("  - {component: warp_drive, action: instance, area_um2: 1, source: x}", "unknown component")]
    public void BadCostRowsAreNamedByLine(string row, string problem)
    {
        var spec = ArchitectureLoader.Parse(Minimal + "\ncost_table:\n  - {component: sar_adc, action: conversion, energy_pJ: 0.2, source: ok}\n" + row + "\n", "arch.yaml");
        var ex = Assert.Throws<InputFormatException>(() => _ = new ChipModel(spec))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 9 (").And.Contain(problem));
    }

    [Test]
    public void CostOverrideReplacesTheDefault()
    {
        var spec = ArchitectureLoader.Parse(Minimal + "\ncost_table:\n  - {component: sar_adc, action: conversion, energy_pJ: 0.5, latency_ns: 7, source: 'measured on our chip'}\n", "arch.yaml");
        var entry = new ChipModel(spec).Costs.Get("sar_adc", "conversion");
        Assert.That((entry.EnergyPj, entry.LatencyNs, entry.Source), Is.EqualTo((0.5, 7.0, "measured on our chip")));
    }
}
