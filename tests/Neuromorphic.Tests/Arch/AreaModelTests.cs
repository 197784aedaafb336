using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Tests.Lsm;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// One area model: the macro area every run prices (the cost table's instance rows) is the NeuroSim-calibrated subarray
/// model's, and units no workload uses take no area and leak nothing (walk-through findings 3 and 8).
/// </summary>
public sealed class AreaModelTests
{
    private static double MacroArea(ChipModel chip) =>
        chip.Instances(1, 0, chip.Mux.AdcsFor(chip.Spec.Macro.Crossbar.Columns)).Sum(p => (chip.Costs.InstanceOf(p.Key)?.AreaUm2 ?? 0) * p.Value);

    [TestCase("neurosim-v14-rram-32nm")]
    [TestCase("neurosim-rram-32nm")]
    public void The_run_paths_macro_area_is_the_calibrated_subarray_models(string preset)
    {
        var spec = ArchitectureLoader.Load(preset);
        var chip = new ChipModel(spec);
        var probe = CrossbarArray.Program(new float[1], 1, 1, spec.Macro.Crossbar, chip.Device, new DeterministicRandom(0));
        var calibrated = new SubarrayModel(LayerInspection.ParametersOf(spec, probe.ColumnsPerLogical)).Area().TotalUm2;
        // On main the run path priced the macro at 40 F^2 a transistor and without NeuroSim's level shifters: 2,827 um^2.
        Assert.That(MacroArea(chip), Is.EqualTo(calibrated).Within(1e-9 * calibrated));
        Assert.That(MacroFigures.Measure(chip, 0.1).AreaUm2, Is.EqualTo(calibrated).Within(1e-9 * calibrated), "inspect's macro area");
    }

    [Test]
    public void NeuroSims_own_subarray_is_within_half_a_percent()
    {
        // docs/architecture.md, the side by side: NeuroSim V1.4 reports 15,692 um^2 used for the 128 x 128, 5-bit SAR subarray.
        var chip = new ChipModel(ArchitectureLoader.Load("neurosim-v14-rram-32nm"));
        Assert.That(MacroArea(chip), Is.EqualTo(15692).Within(0.005 * 15692));
        Assert.That(chip.Costs.InstanceOf(Adc.SarComponent)!.AreaUm2, Is.EqualTo(262.8).Within(0.1), "NeuroSim's 263 um^2 per 5-bit SAR at 32 nm");
    }

    [Test]
    public void A_CUBA_network_leaves_the_accumulate_cores_unused_and_they_take_no_area_and_leak_nothing()
    {
        var report = CubaOnChip.Run(ArchitectureLoader.Load("rram-40nm-256kb"), new CubaParameters { Neurons = 1000 }, 0.02, 4);
        var power = report.Power!;
        // On main every tile counted a 64 KB weight SRAM for a readout CUBA does not have.
        Assert.That(power.AreaUm2ByComponent.GetValueOrDefault(AccumulateCore.Component), Is.Zero);
        Assert.That(report.Account.Lines.Where(l => l.Component == AccumulateCore.Component).Sum(l => l.DynamicPj + l.LeakagePj + l.Count), Is.Zero);
        Assert.That(power.AreaUm2ByComponent.GetValueOrDefault(Adc.SarComponent), Is.GreaterThan(0), "the macros it uses keep theirs");
    }

    [Test]
    public void The_accumulate_cores_weight_SRAM_holds_the_LSM_readout()
    {
        var samples = LsmTestData.PoissonSamples(2, 3, 64, 20, 5);
        var lsm = LsmTestData.Preset.Lsm;
        var readout = LsmTestData.Preset.Readout;
        var r = LsmExperiment.Run(LsmTestData.Preset.Architecture, lsm, readout, samples, 0.25, 3);
        var bytes = (long)lsm.Neurons * readout.FeatureBins * 2 * 8 / 8;
        Assert.That(LsmExperiment.ReadoutWeightBytes(lsm.Neurons, readout.FeatureBins, 2), Is.EqualTo(bytes));
        var sized = new AccumulateCore(new AccumulateCoreParameters
        {
            TechnologyNm = LsmTestData.Preset.Architecture.TechnologyNm, ClockHz = LsmTestData.Preset.Architecture.NeuronCore.ClockHz, WeightMemoryBytes = bytes,
        });
        var expected = sized.DefaultComponentCosts().Single();
        // On main the core had a 64 KB SRAM whatever the readout: 211,014 um^2 of the default run's 377,128.
        Assert.That(r.Costs.InstanceOf(AccumulateCore.Component)!.AreaUm2, Is.EqualTo(expected.AreaUm2).Within(1e-9 * expected.AreaUm2));
        Assert.That(r.Costs.InstanceOf(AccumulateCore.Component)!.LeakageUw, Is.EqualTo(expected.LeakageUw).Within(1e-9 * expected.LeakageUw));
        Assert.That(r.Costs.Get(AccumulateCore.Component, AccumulateCore.WeightReadAction).EnergyPj, Is.EqualTo(sized.WeightReadEnergyPj).Within(1e-12));

        // The file's key fixes it instead.
        var fixedSize = LsmExperiment.Run(LsmTestData.Preset.Architecture with { AccumulateWeightMemoryBytes = 64 * 1024 }, lsm, readout, samples, 0.25, 3);
        Assert.That(fixedSize.Costs.InstanceOf(AccumulateCore.Component)!.AreaUm2, Is.GreaterThan(expected.AreaUm2));
    }

    [Test]
    public void The_weight_memory_key_is_read_and_validated()
    {
        const string Minimal = "name: tiny\nmacro:\n  rows: 64\n  columns: 64\n  device:\n    ron_ohm: 1e5\n";
        Assert.That(ArchitectureLoader.Parse(Minimal, "arch.yaml").AccumulateWeightMemoryBytes, Is.Null);
        Assert.That(ArchitectureLoader.Parse(Minimal + "accumulate_core:\n  weight_memory_bytes: 4096\n", "arch.yaml").AccumulateWeightMemoryBytes, Is.EqualTo(4096));
        foreach (var bad in new[] { "-1", "2000000000", "lots" })
        {
            var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Minimal + $"accumulate_core:\n  weight_memory_bytes: {bad}\n", "arch.yaml"))!;
            Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (accumulate_core.weight_memory_bytes)"), bad);
        }
        // On the command line: exit 2, one line naming the file and the key.
        var file = Path.Combine(Path.GetTempPath(), $"area-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, Minimal + "accumulate_core:\n  weight_memory_bytes: -5\n");
        try
        {
            var (exit, _, error) = Neuromorphic.Tests.Cli.CliRunner.Run("inspect", file);
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain(file).And.Contain("accumulate_core.weight_memory_bytes"));
        }
        finally { File.Delete(file); }
        var unknown = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Minimal + "accumulate_core:\n  weight_bytes: 1\n", "arch.yaml"))!;
        Assert.That(unknown.Message, Does.Contain("accumulate_core.weight_bytes").And.Contain("unknown key"));
    }
}
