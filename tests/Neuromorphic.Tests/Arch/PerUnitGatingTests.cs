using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Chip;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// <c>power.gating: per_unit</c> charges each class's leakage over its real busy time: the chip executor's measured unit
/// busy cycles where it times the unit (macros, neuron cores, NoC links), else each action's occupancy (initiation
/// interval, not pipeline latency). Checked against hand-computed closed forms and a whole run's own unit statistics.
/// </summary>
public sealed class PerUnitGatingTests
{
    private static readonly ChipModel Chip = new(ArchitectureLoader.Load("rram-40nm-256kb") with { Power = PowerGating.PerUnit });

    private sealed class Recorder : IUnitClient
    {
        public void Completed(long token, Scheduler scheduler) { }
    }

    private static double LeakagePj(EnergyAccount account, string component) =>
        account.Lines.Where(l => l.Component == component && l.Action == "leakage").Sum(l => l.LeakagePj);

    private static double Close(double expected) => 1e-9 * Math.Abs(expected) + 1e-12;

    [TestCase(1, 3)]
    [TestCase(16, 3)]
    [TestCase(17, 5)]
    [TestCase(200, 7)]
    public void A_neuron_core_is_busy_ceil_n_over_lanes_plus_depth_minus_one_cycles_a_batch_and_leaks_over_exactly_that(int neurons, int batches)
    {
        // The preset's core: 16 lanes, a 3-stage pipeline (2 fill cycles), 200 MHz against the 1 GHz base clock.
        var p = Chip.NeuronUnit.Parameters;
        var (lanes, depth) = (p.Lanes, p.PipelineLatencyCycles + 1);
        var edge = (long)Math.Round(Chip.Spec.BaseClockHz / p.ClockHz);
        Assert.That((lanes, depth, edge), Is.EqualTo((16, 3, 5L)));
        var scheduler = new Scheduler();
        var statistics = new UnitStatistics("tile0.neuron_core", "neuron_core");
        var core = new NeuronCoreUnit(scheduler, statistics, lanes, depth - 1, edge, new Recorder());
        for (var b = 0; b < batches; b++)
        {
            core.Submit(scheduler, neurons, b);
            scheduler.RunUntilIdle();
        }
        var cyclesPerBatch = (neurons + lanes - 1) / lanes + depth - 1;
        Assert.That(statistics.BusyCycles, Is.EqualTo(batches * cyclesPerBatch * edge), "busy base cycles");

        // One core, its busy time measured; the chip busy ten times longer, so the cap does not bite.
        var busySeconds = batches * cyclesPerBatch * 5e-9;
        var window = new PowerWindow(1, 10 * busySeconds);
        var instances = new Dictionary<string, long> { [DigitalNeuronUnit.Component] = 1 };
        var ledger = new Ledger();
        ledger.Add(ledger.Register(DigitalNeuronUnit.Component, "l", DigitalNeuronUnit.LifUpdateAction), (long)neurons * batches);
        var busy = UnitOccupancy.Of(Chip).WithMeasured(MeasuredBusy.PerInstanceSeconds(Chip, [statistics], instances, window.BusySeconds));
        var account = EnergyAccount.Compute(ledger, Chip.Costs, instances, PowerGating.PerUnit, window, busy);
        var powerUw = Chip.Costs.InstanceOf(DigitalNeuronUnit.Component)!.LeakageUw;
        var expected = powerUw * busySeconds * 1e6;
        Assert.That(LeakagePj(account, DigitalNeuronUnit.Component), Is.EqualTo(expected).Within(Close(expected)));

        // Without the measurement, the occupancy rule: a core cycle per lanes updates (no pipeline fill, which is per
        // batch and not in the ledger), never the 3-cycle pipeline latency per update.
        var rated = EnergyAccount.Compute(ledger, Chip.Costs, instances, PowerGating.PerUnit, window, UnitOccupancy.Of(Chip));
        var ratedExpected = powerUw * ((double)neurons * batches / lanes * 5e-9) * 1e6;
        Assert.That(LeakagePj(rated, DigitalNeuronUnit.Component), Is.EqualTo(ratedExpected).Within(Close(ratedExpected)));
    }

    [Test]
    public void Rate_rules_charge_each_class_its_initiation_interval_per_action()
    {
        // Hand-computed: counts x occupancy over the instances, x the instances' leakage power.
        var chip = Chip;
        var ledger = new Ledger();
        void Count(string c, string a, long n) => ledger.Add(ledger.Register(c, "l", a), n);
        Count(AccumulateCore.Component, AccumulateCore.MacAction, 64_000);
        Count(AccumulateCore.Component, AccumulateCore.WeightReadAction, 64_000);
        Count(AccumulateCore.Component, AccumulateCore.AccumulateAction, 32_000);
        Count(SramBuffer.Component, SramBuffer.ReadBitAction, 6_400_000);
        Count(SramBuffer.Component, SramBuffer.WriteBitAction, 3_200_000);
        Count(SdsaUnit.Component, SdsaUnit.AndAction, 25_600);
        Count(SdsaUnit.Component, SdsaUnit.AddAction, 51_200);
        Count(ColumnMux.Component, ColumnMux.SelectAction, 1000);
        Count(MeshNoc.Component, MeshNoc.RouterFlitAction, 300);
        Count(MeshNoc.Component, MeshNoc.LinkFlitAction, 200);
        var instances = new Dictionary<string, long>
        {
            [AccumulateCore.Component] = 4, [SramBuffer.Component] = 4, [SdsaUnit.Component] = 2, [ColumnMux.Component] = 10, [MeshNoc.Component] = 4,
        };
        var window = new PowerWindow(1, 1);
        var account = EnergyAccount.Compute(ledger, chip.Costs, instances, PowerGating.PerUnit, window, UnitOccupancy.Of(chip));
        // The preset's units: 200 MHz cores, SDSA and NoC (5 ns), accumulate core 16 lanes, SDSA 64 lanes, 64-bit SRAM
        // words, a 4-bit SAR converting in bits + 1 = 5 cycles of its clock.
        Assert.That((chip.AccumulateCore.Parameters.Lanes, chip.Sdsa.Parameters.Lanes, chip.ActivationSram.Parameters.WordBits, chip.Adc.ConversionLatencyNs),
            Is.EqualTo((16, 64, 64, 5.0)));
        Assert.That((chip.AccumulateCore.Parameters.ClockHz, chip.Sdsa.Parameters.ClockHz, chip.Spec.Noc.ClockHz, chip.ActivationSram.Parameters.ClockHz),
            Is.EqualTo((200e6, 200e6, 200e6, 200e6)));
        var busyNs = new Dictionary<string, double>
        {
            [AccumulateCore.Component] = (64_000 + 32_000) / 16.0 * 5,
            [SramBuffer.Component] = (6_400_000 + 3_200_000) / 64.0 * 5,
            [SdsaUnit.Component] = (25_600 + 51_200) / 64.0 * 5,
            [ColumnMux.Component] = 1000 * 5.0,
            [MeshNoc.Component] = 200 * 5.0,
        };
        foreach (var (component, ns) in busyNs)
        {
            var expected = instances[component] * chip.Costs.InstanceOf(component)!.LeakageUw * (ns * 1e-9 / instances[component]) * 1e6;
            Assert.That(LeakagePj(account, component), Is.EqualTo(expected).Within(Close(expected)), component);
        }
    }

    [Test]
    public void A_whole_run_charges_each_measured_class_its_units_busy_time_times_its_leakage_power()
    {
        var (chip, program, executor, result) = BrailleOnAnIdealPerUnitChip();
        var instances = chip.Instances(program.MacrosUsed, program.TilesUsed, program.AdcsPerMacro(), program.RowTableTiles);
        var busySeconds = result.TotalCycles / chip.Spec.BaseClockHz;
        var window = new PowerWindow(1, busySeconds);
        var power = PowerAccounting.Price(chip, executor.Ledger, instances, window, result.Units);
        var idle = EnergyAccount.Compute(executor.Ledger, chip.Costs, instances, PowerGating.Idle, window);

        // The units' own busy cycles, summed by kind, in seconds.
        double Busy(string kind) => result.Units.Where(u => u.Kind == kind).Sum(u => u.BusyCycles) / chip.Spec.BaseClockHz;
        var (macroSeconds, coreSeconds) = (Busy("macro"), Busy("neuron_core"));
        Assert.That(macroSeconds, Is.GreaterThan(0));
        Assert.That(coreSeconds, Is.GreaterThan(0));
        var measured = new Dictionary<string, double>
        {
            [MacroCosts.ArrayComponent] = macroSeconds / program.MacrosUsed,
            [DigitalNeuronUnit.Component] = coreSeconds / program.TilesUsed,
        };
        foreach (var (component, perInstance) in measured)
        {
            var seconds = Math.Min(busySeconds, perInstance);
            var expected = instances[component] * chip.Costs.InstanceOf(component)!.LeakageUw * seconds * 1e6;
            Assert.That(LeakagePj(power.Account, component), Is.EqualTo(expected).Within(Close(expected)), component);
            Assert.That(power.Account.PoweredSeconds[component], Is.EqualTo(seconds).Within(1e-15), component);
        }
        Assert.That(LeakagePj(power.Account, DigitalNeuronUnit.Component), Is.GreaterThan(0));
        // The macro's periphery works after the array's sample: its own serial timing, counts x occupancy (5 ns shift-add
        // cycles at the 200 MHz macro clock; a conversion holds its ADC and mux for the conversion time).
        long Count(string component, string action) => executor.Ledger.Entries().Where(e => e.Key.Unit == component && e.Key.Action == action).Sum(e => e.Count);
        var conversionNs = chip.Adc.ConversionLatencyNs;
        var periphery = new Dictionary<string, double>
        {
            [ShiftAdd.Component] = Count(ShiftAdd.Component, ShiftAdd.AddAction) * 5e-9,
            [ColumnMux.Component] = Count(ColumnMux.Component, ColumnMux.SelectAction) * conversionNs * 1e-9,
            [chip.Adc.Component] = (Count(chip.Adc.Component, Adc.ConversionAction) + Count(chip.Adc.Component, Adc.OpenConversionAction)) * conversionNs * 1e-9,
            [WordLineDriver.Component] = Count(WordLineDriver.Component, WordLineDriver.RowDriveAction) * 10e-9,
        };
        foreach (var (component, total) in periphery)
            Assert.That(power.Account.PoweredSeconds[component], Is.EqualTo(Math.Min(busySeconds, total / instances[component])).Within(1e-15), component);
        // The routers: their output links' busy time (flits x one NoC cycle each), so the flits the ledger counts on links.
        var linkFlits = executor.Ledger.Entries().Where(e => e.Key.Unit == MeshNoc.Component && e.Key.Action == MeshNoc.LinkFlitAction).Sum(e => e.Count);
        Assert.That(linkFlits, Is.GreaterThan(0), "the braille network crosses tiles");
        Assert.That(Busy("noc_link"), Is.EqualTo(linkFlits / chip.Spec.Noc.ClockHz).Within(1e-15), "a link is busy one NoC cycle per flit");
        Assert.That(power.Account.PoweredSeconds[MeshNoc.Component], Is.LessThanOrEqualTo(Busy("noc_link") / program.TilesUsed + 1e-18));

        // The invariants: per unit within the busy time, leakage at most idle's, dynamic energy unchanged.
        Assert.That(power.Account.PoweredSeconds.Values, Has.All.LessThanOrEqualTo(busySeconds));
        Assert.That(power.Account.LeakagePj, Is.LessThan(idle.LeakagePj));
        Assert.That(power.Account.DynamicPj, Is.EqualTo(idle.DynamicPj));
        Assert.That(power.Account.DynamicPj, Is.EqualTo(result.Account.DynamicPj));
    }

    [Test]
    public void An_io_buffer_leaks_while_its_tiles_macros_or_core_work_capped_at_the_chips_busy_time()
    {
        var units = new[]
        {
            Unit("tile0.macro0", "macro", 300), Unit("tile0.macro1", "macro", 200), Unit("tile0.neuron_core", "neuron_core", 100),
            Unit("tile1.neuron_core", "neuron_core", 50), Unit("tile2.macro0", "macro", 900), Unit("tile2.neuron_core", "neuron_core", 400),
            Unit("tile0.router.e", "noc_link", 70), Unit("tile0.router.s", "noc_link", 30), Unit("tile1.router.w", "noc_link", 10),
        };
        var instances = new Dictionary<string, long>
        {
            [TileIoBuffer.Component] = 4, [MeshNoc.Component] = 4, [DigitalNeuronUnit.Component] = 4, [MacroCosts.ArrayComponent] = 3,
            [ShiftAdd.Component] = 3 * 64,
        };
        // 1 GHz base clock: cycles are ns. The chip was busy 1000 ns: tile 2's 1300 ns is capped, tile 3 never worked.
        var seconds = MeasuredBusy.PerInstanceSeconds(Chip, units, instances, 1000e-9);
        Assert.That(seconds[TileIoBuffer.Component], Is.EqualTo((600 + 50 + 1000) * 1e-9 / 4).Within(1e-18));
        Assert.That(seconds[MeshNoc.Component], Is.EqualTo((100 + 10) * 1e-9 / 4).Within(1e-18));
        Assert.That(seconds[DigitalNeuronUnit.Component], Is.EqualTo(550e-9 / 4).Within(1e-18));
        Assert.That(seconds[MacroCosts.ArrayComponent], Is.EqualTo(1400e-9 / 3).Within(1e-18));
        Assert.That(seconds.ContainsKey(ShiftAdd.Component), Is.False, "the macro's periphery keeps its occupancy rules");
        Assert.That(seconds.ContainsKey(AccumulateCore.Component), Is.False, "the accumulate core keeps its occupancy rule");
        // The other end: a tile's busiest unit (tile 0: macro 300 of 300, 200, 100; tile 1: core 50; tile 2: macro 900).
        var lower = MeasuredBusy.LowerBoundSeconds(Chip, units, instances);
        Assert.That(lower[TileIoBuffer.Component], Is.EqualTo((300 + 50 + 900) * 1e-9 / 4).Within(1e-18));
        Assert.That(lower[MeshNoc.Component], Is.EqualTo((70 + 10) * 1e-9 / 4).Within(1e-18));
        Assert.That(lower.Keys, Is.EquivalentTo(new[] { TileIoBuffer.Component, MeshNoc.Component }));
        Assert.Throws<ArgumentException>(() => MeasuredBusy.PerInstanceSeconds(Chip, [Unit("macro0", "macro", 1)], instances, 1));
    }

    [Test]
    public void A_transformer_run_records_its_power_policy_and_per_unit_times()
    {
        Presets.TryRead("sdt-v2-small", out var text, out _);
        var spec = new Neuromorphic.Arch.Runs.TransformerRunSpec
        {
            Model = "meta-spikeformer-16-32-64-96", ImageSize = 32, Timesteps = 4, Classes = 10, Mode = "rates", UniformRate = 0.1,
        };
        foreach (var gating in new[] { "idle", "per_unit" })
        {
            var config = Neuromorphic.Arch.Runs.RunConfigLoader.Parse(text.Replace("  placement:", $"  power: {{gating: {gating}}}\n  placement:"), "t.yaml");
            Assert.That(config.Architecture.Power, Is.EqualTo(gating == "idle" ? PowerGating.Idle : PowerGating.PerUnit));
            var r = Neuromorphic.Arch.Transformers.TransformerExperiment.Run(config.Architecture, spec, 1);
            var json = Neuromorphic.Arch.Reports.TransformerReport.Summary(config, r).ToJson();
            Assert.That(json["power_gating"]!.GetValue<string>(), Is.EqualTo(gating));
            Assert.That(json["energy_per_inference_real_time_J"]!.GetValue<double>(), Is.EqualTo(r.EnergyPerInferenceJ).Within(1e-12 * r.EnergyPerInferenceJ));
            Assert.That(json["busy_time_s"]!.GetValue<double>(), Is.EqualTo(r.LatencyCycles / r.BaseClockHz).Within(1e-15));
            Assert.That(json.ContainsKey("powered_time_by_component_s"), Is.EqualTo(gating == "per_unit"));
        }
    }

    [Test]
    public void A_nir_chip_run_records_the_policy_it_applies()
    {
        var (chip, program, executor, result) = BrailleOnAnIdealPerUnitChip();
        var (priced, power) = Neuromorphic.Arch.Runs.ChipRunPower.Price(program, executor, result, 1e-4);
        var json = Neuromorphic.Arch.Reports.ChipRunFiles.Summary(program, priced, "braille", 1, 1e-4, power).ToJson();
        Assert.That(json["power_gating"]!.GetValue<string>(), Is.EqualTo("per_unit"));
        Assert.That(json["energy_J"]!.GetValue<double>(), Is.EqualTo(priced.EnergyJ));
        Assert.That(json.ContainsKey("powered_time_by_component_s"), Is.True);
        // The executor's own account, before the policy prices it, leaks over the busy time (idle).
        var idle = result.Account.Lines.Where(l => l.Action == "leakage").Sum(l => l.LeakagePj);
        Assert.That(priced.Account.LeakagePj, Is.LessThan(idle));
        var instances = chip.Instances(program.MacrosUsed, program.TilesUsed, program.AdcsPerMacro(), program.RowTableTiles);
        var byHand = instances.Sum(p => p.Value * (chip.Costs.InstanceOf(p.Key)?.LeakageUw ?? 0)) * 1e6 * result.TotalCycles / chip.Spec.BaseClockHz;
        Assert.That(idle, Is.GreaterThan(0));
        Assert.That(idle, Is.EqualTo(byHand).Within(1e-9 * byHand));
    }

    private static UnitStatistics Unit(string name, string kind, long busy)
    {
        var u = new UnitStatistics(name, kind);
        u.Busy(busy);
        return u;
    }

    /// <summary>The Braille SRNN fixture, one sample, on the ideal test chip with per_unit gating.</summary>
    private static (ChipModel Chip, ChipProgram Program, ChipExecutor Executor, ChipRunResult Result) BrailleOnAnIdealPerUnitChip()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var chip = new ChipModel(ChipTestData.Ideal() with { Power = PowerGating.PerUnit });
        var program = NetworkMapper.Map(network, chip, seed: 1);
        var executor = new ChipExecutor(program, 1e-4, seed: 1);
        executor.RunSample(SpikeRaster.Load(ChipTestData.BrailleInput));
        return (chip, program, executor, executor.Finish());
    }
}
