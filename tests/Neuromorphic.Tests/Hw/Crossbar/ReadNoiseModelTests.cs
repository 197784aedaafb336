using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Tests.Hw.Devices;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Crossbar;

/// <summary>
/// Read noise drawn per column (one normal per column and read) against per cell (one per driven cell): both must give
/// a column current of mean V sum G and standard deviation V sigma sqrt(sum G^2) over the driven cells (the closed form
/// of a sum of independent normals), and the architecture's choice must fall back to per cell where per column is not exact.
/// </summary>
[TestFixture]
public sealed class ReadNoiseModelTests
{
    private const double V = 0.2;
    private const double Sigma = 0.05;
    private const int Rows = 6, Columns = 3;
    private static readonly int[] Driven = [0, 2, 3, 5];

    // Unequal conductances (uS), so per-column std sqrt(sum G^2) differs from any one cell's.
    private static readonly double[] Conductances = new double[]
    {
        10, 40, 25,
        70, 15, 55,
        20, 90, 5,
        35, 60, 80,
        50, 45, 30,
        95, 12, 65,
    }.Select(g => g * 1e-6).ToArray();

    private static CrossbarArray Array(ReadNoiseModel model, double sigma = Sigma, bool irDrop = false) =>
        CrossbarArray.FromConductances(Conductances, Rows, Columns, new CrossbarParameters { Rows = 8, Columns = 8, IrDrop = irDrop },
            new RramDevice(new RramDeviceParameters { ReadNoiseSigma = sigma, ReadNoiseModel = model }));

    [TestCase(ReadNoiseModel.PerColumn)]
    [TestCase(ReadNoiseModel.PerCell)]
    public void A_noisy_column_has_the_closed_form_mean_and_spread(ReadNoiseModel model)
    {
        var array = Array(model);
        var rng = new DeterministicRandom(7);
        const int reads = 20_000;
        var currents = new double[Columns];
        var samples = Enumerable.Range(0, Columns).Select(_ => new List<double>(reads)).ToArray();
        for (var i = 0; i < reads; i++)
        {
            array.ReadCurrents(Driven, currents, rng);
            for (var c = 0; c < Columns; c++) samples[c].Add(currents[c]);
        }
        for (var c = 0; c < Columns; c++)
        {
            var g = Driven.Select(r => Conductances[r * Columns + c]).ToArray();
            var mean = V * g.Sum();
            var sd = V * Sigma * Math.Sqrt(g.Sum(x => x * x));
            // Mean within 4 standard errors; the sample sd of 20,000 normals lies within 2 % of sigma (4 of its standard errors, 0.5 %).
            Assert.That(SampleStatistics.Mean(samples[c]), Is.EqualTo(mean).Within(4 * sd / Math.Sqrt(reads)), $"column {c} mean");
            Assert.That(SampleStatistics.StandardDeviation(samples[c]), Is.EqualTo(sd).Within(2).Percent, $"column {c} sd");
        }
    }

    [Test]
    public void Auto_draws_per_column_only_where_that_is_exact()
    {
        Assert.That(Array(ReadNoiseModel.Auto).ReadNoisePerColumn, Is.True);
        Assert.That(Array(ReadNoiseModel.Auto, sigma: RramDeviceParameters.MaxPerColumnReadNoiseSigma).ReadNoisePerColumn, Is.True);
        Assert.That(Array(ReadNoiseModel.Auto, sigma: 0.2).ReadNoisePerColumn, Is.False, "a cell's clip at zero matters");
        Assert.That(Array(ReadNoiseModel.Auto, irDrop: true).ReadNoisePerColumn, Is.False, "IR drop is not linear in G");
        Assert.That(Array(ReadNoiseModel.PerCell).ReadNoisePerColumn, Is.False);
        Assert.That(Array(ReadNoiseModel.Auto, sigma: 0).ReadNoisePerColumn, Is.False, "no noise, no draws");
        Assert.Throws<ArgumentException>(() => Array(ReadNoiseModel.PerColumn, sigma: 0.2));
        Assert.Throws<ArgumentException>(() => Array(ReadNoiseModel.PerColumn, irDrop: true));
        Assert.That(Array(ReadNoiseModel.PerColumn, sigma: 0, irDrop: true).ReadNoisePerColumn, Is.False, "no noise: nothing to refuse");
    }

    [Test]
    public void Per_column_draws_one_normal_per_column_and_none_without_driven_rows()
    {
        var array = Array(ReadNoiseModel.PerColumn);
        var currents = new double[Columns];
        var rng = new DeterministicRandom(3);
        array.ReadCurrents([], currents, rng);
        Assert.That(currents, Is.All.EqualTo(0));
        array.ReadCurrents(Driven, currents, rng);
        // The same stream, read by hand: column c is V (sum G + sigma sqrt(sum G^2) N_c), the N_c in column order.
        var reference = new DeterministicRandom(3);
        for (var c = 0; c < Columns; c++)
        {
            var g = Driven.Select(r => Conductances[r * Columns + c]).ToArray();
            var expected = V * (g.Sum() + Sigma * Math.Sqrt(g.Sum(x => x * x)) * reference.NextNormal());
            Assert.That(currents[c], Is.EqualTo(expected).Within(1e-10).Percent, $"column {c}");
        }
        Assert.That(rng.NextDouble(), Is.EqualTo(reference.NextDouble()), "the read drew exactly one normal per column");
    }

    [Test]
    public void Per_column_reads_allocate_nothing()
    {
        var array = Array(ReadNoiseModel.PerColumn);
        var currents = new double[Columns];
        var rng = new DeterministicRandom(5);
        for (var i = 0; i < 100; i++) array.ReadCurrents(Driven, currents, rng);
        Assert.That(ThreadAllocation.During(() =>
        {
            for (var i = 0; i < 10_000; i++) array.ReadCurrents(Driven, currents, rng);
        }), Is.EqualTo(0));
    }

    [Test]
    public void The_architecture_key_is_read_and_refused_where_per_column_is_not_exact()
    {
        const string head = "name: x\nmacro:\n  rows: 64\n  columns: 64\n";
        static string Device(string extra) => "  device:\n    ron_ohm: 1e5\n    read_noise_sigma: 0.02\n" + extra;
        Assert.That(ArchitectureLoader.Parse(head + Device(""), "arch.yaml").Macro.Device.ReadNoiseModel, Is.EqualTo(ReadNoiseModel.Auto));
        Assert.That(ArchitectureLoader.Parse(head + Device("    read_noise_model: per_cell\n"), "arch.yaml").Macro.Device.ReadNoiseModel, Is.EqualTo(ReadNoiseModel.PerCell));
        Assert.That(ArchitectureLoader.Parse(head + Device("    read_noise_model: per_column\n"), "arch.yaml").Macro.Device.ReadNoiseModel, Is.EqualTo(ReadNoiseModel.PerColumn));
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(head + Device("    read_noise_model: per_row\n"), "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (macro.device.read_noise_model)").And.Contain("auto, per_cell, per_column"));
        ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(head + "  ir_drop: true\n" + Device("    read_noise_model: per_column\n"), "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml:").And.Contain("ir_drop").And.Contain("per_column"));
        ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(
            head + "  device:\n    ron_ohm: 1e5\n    read_noise_sigma: 0.3\n    read_noise_model: per_column\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml:").And.Contain("0.125"));
    }
}
