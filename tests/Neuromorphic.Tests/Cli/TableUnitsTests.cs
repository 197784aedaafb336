using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Cli;
using Neuromorphic.Cli.Commands;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Chip;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>The human tables of <c>run</c> (LSM) and <c>run NET.nir --arch</c> on an 80-column terminal: SI units, separators, no wrapped numbers.</summary>
public sealed class TableUnitsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nm-tables-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>A terminal as a person's 80-column one, captured.</summary>
    private static (Terminal Terminal, StringWriter Out) Terminal80()
    {
        var output = new StringWriter();
        var terminal = new Terminal(output, new StringWriter(), interactive: false);
        terminal.Console.Profile.Width = 80;
        return (terminal, output);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Test]
    public void TheLsmTableGivesEnergiesAndTimesWithSiPrefixesAt80Columns()
    {
        // It printed "1.235E+04 nJ" for energies above 10 uJ, and times in "us".
        Presets.TryRead("rram-lsm-40nm", out var preset, out _);
        var start = preset.IndexOf("workload:", StringComparison.Ordinal);
        var end = preset.IndexOf("encoding:", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "small.yaml");
        // One ridge strength of 1e-5, which the readout row printed as "lambda 1E-05".
        Assert.That(preset, Does.Contain("readout:\n").And.Not.Contain("lambdas"));
        File.WriteAllText(path, (preset[..start] + "workload:\n  kind: builtin\n  classes: 10\n  samples_per_class: 4\n" + preset[end..])
            .Replace("readout:\n", "readout:\n  lambdas: [0.00001]\n"));
        var config = RunConfigLoader.Load(path);
        var samples = WorkloadLoader.Load(config.Workload, config.Encoding, config.Seed);
        var run = LsmExperiment.Run(config.Architecture, config.Lsm, config.Readout, samples, config.Encoding.TimestepSeconds, config.Seed);
        Assert.That(run.Power, Is.Not.Null, "the preset prices power gating: its row is checked too");
        var clock = run.BaseClockHz;
        var large = run with
        {
            EnergyPerInferenceJ = 12.345e-6,
            ProgrammingEnergyJ = 23.456e-6,
            LatencyPerInferenceCycles = 1_234_567,
            LatencyPerTimestepCycles = 12_345.6,
            StepIntervalCycles = 23_456.7,
            TimestepSeconds = 1.0, // a real-time factor of about 1e-5, which printed 1.235E-05
        };
        var (terminal, output) = Terminal80();
        ExperimentRun.PrintTable(terminal, config, large, Path.Combine(_dir, "run"), ["summary.json"]);
        var lines = Lines(output);
        var text = output.ToString();
        Assert.That(lines, Has.All.Length.LessThanOrEqualTo(80));
        Assert.That(text, Does.Not.Contain("E+").And.Not.Contain("E-").And.Not.Contain(" us").And.Not.Contain(" uW"));
        string Row(string label)
        {
            var matches = lines.Where(l => l.StartsWith("│ " + label, StringComparison.Ordinal)).ToList();
            Assert.That(matches, Has.Count.EqualTo(1), $"one row '{label}'\n{text}");
            return matches[0];
        }
        Assert.That(Row("readout"), Does.Contain("(lambda 1e-5)"));
        // The golden model and the free-running software reservoir make one comparison (docs/metrics.md): one row, not two equal ones.
        Assert.That(lines.Count(l => l.Contains("agreement", StringComparison.Ordinal)), Is.EqualTo(1), text);
        Assert.That(Row("spike agreement with software"), Does.Contain((100 * run.GoldenSpikeAgreement).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " %"));
        Assert.That(Row("energy per inference "), Does.Contain("12.35 µJ"));
        Assert.That(Row("macros / one-time programming"), Does.Contain("23.46 µJ"));
        // 1,234,567 cycles at the clock, by hand: 1,234,567 / f seconds.
        Assert.That(Row("latency per inference"), Does.Contain("1,234,567 cycles, " + Neuromorphic.Arch.Reports.Quantity.Si(1_234_567 / clock, "s")));
        Assert.That(Row("latency per timestep"), Does.Contain("12,346 cycles"));
        Assert.That(Row("throughput"), Does.Contain("one step every 23,457 cycles"));
        Assert.That(Row("real-time factor"), Does.Contain(" 0.0000"));
        var power = run.Power!;
        Assert.That(text, Does.Contain(Neuromorphic.Arch.Reports.Quantity.Si(power.Account.LeakagePowerW, "W")));
    }

    [Test]
    public void TheChipLayerTableKeepsSevenDigitCountsWholeWithSeparatorsAt80Columns()
    {
        // Busy cycles printed 1234567 without separators, and a 7-digit count wrapped over two lines at 80 columns.
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        input = new SpikeRaster(32, input.Channels, input.Data[..(32 * input.Channels)]);
        var chip = new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb"));
        var program = NetworkMapper.Map(network, chip, 1);
        var executor = new ChipExecutor(program, 1e-4, 1);
        executor.RunSample(input);
        var result = executor.Finish();
        var large = result with
        {
            Layers = result.Layers.Select(l => l with { BusyCycles = 1_234_567 + l.BusyCycles, Reads = 2_345_678 + l.Reads }).ToList(),
        };
        var (terminal, output) = Terminal80();
        ChipRun.Print(terminal, program, large, large.EnergyJ, "braille.nir");
        var lines = Lines(output);
        Assert.That(lines, Has.All.Length.LessThanOrEqualTo(80));
        var printed = large.Layers.Where(l => !(l.Kind is "wiring" or "input" && double.IsNaN(l.CellAgreement))).ToList();
        Assert.That(printed, Is.Not.Empty);
        foreach (var layer in printed)
        {
            // The row's busy cycles and reads, with separators, on one line (the first line of the layer's row).
            var busy = layer.BusyCycles.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            var reads = layer.Reads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(lines.Count(l => l.Contains(busy) && l.Contains(reads)), Is.EqualTo(1), $"{layer.Node}: {busy} and {reads}\n{output}");
        }
    }
}
