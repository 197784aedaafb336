using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Traces;
using NUnit.Framework;
using static Neuromorphic.Tests.Lsm.PresetAccumulateCore;

namespace Neuromorphic.Tests.Lsm;

/// <summary>
/// The LSM readout is timed on the accumulate core after each inference's last step (the last step's counter
/// increments, then features x classes multiply-accumulates, <c>ceil(n / 16)</c> core cycles of 5 base cycles each
/// from the next core edge) and counted in the inference's latency and the busy time, checked against closed forms
/// computed here from the run's spike rasters.
/// </summary>
public sealed class ReadoutTimingTests
{
    [Test]
    public void The_model_is_the_presets_accumulate_core()
    {
        var chip = new ChipModel(LsmTestData.Preset.Architecture);
        Assert.That(chip.AccumulateCore.Parameters.Lanes, Is.EqualTo(Lanes));
        Assert.That(chip.Spec.BaseClockHz / chip.AccumulateCore.Parameters.ClockHz, Is.EqualTo(Edge));
    }

    [Test]
    public void Hand_timed_inferences_on_a_16_lane_core()
    {
        var chip = new ChipModel(LsmTestData.Preset.Architecture);
        // Inference 0: step 0 ends at 100 (20 spikes: 2 cycles, 100-110), step 1 at 203 (none), step 2 at 301 (33 spikes:
        // taken at 301, starts on the edge at 305, 3 cycles to 320); then 40 MACs, 3 cycles, 320-335: 34 cycles after 301.
        // Busy: 10 + (320 - 301) + 15 = 44.
        // Inference 1: step 0 ends at 400 (64 spikes: 4 cycles, 400-420); step 1 ends at 404 (16 spikes) but waits for the
        // core: 420-425; step 2 at 405 (no spike); 16 MACs 425-430: 25 cycles after 405. Busy 20 + 5 + 5 = 30 (the queued
        // increments wait from 404 to 420: waiting, not busy).
        // Inference 2: silent, no MAC: the class is known at the last step's end.
        var timing = ReadoutTiming.Of(chip, [100, 203, 301, 400, 404, 405, 500, 600, 700], [20, 0, 33, 64, 16, 0, 0, 0, 0], [40, 16, 0]);
        Assert.That(timing.CyclesAfterSteps, Is.EqualTo(new long[] { 34, 25, 0 }));
        Assert.That(timing.CoreBusyCycles, Is.EqualTo(44 + 30));
        Assert.That(timing.TotalCyclesAfterSteps, Is.EqualTo(59));
        Assert.Throws<ArgumentException>(() => ReadoutTiming.Of(chip, [1, 2, 3], [1, 2, 3], [1, 1]), "3 steps do not divide into 2 inferences");
        Assert.Throws<ArgumentException>(() => ReadoutTiming.Of(chip, [1, 2], [1], [1]), "a spike count per step");
    }

    private static LsmResult Run(PowerGating gating) =>
        LsmExperiment.Run(LsmTestData.Preset.Architecture with { Power = gating }, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout,
            LsmTestData.PoissonSamples(2, 4, 64, 20, 5), 0.25, 3);

    /// <summary>Per inference, from its chip raster: the last step's spikes and the neurons that spiked at all (one feature bin).</summary>
    private static (long LastStepSpikes, long Features) Count(SpikeRaster reservoir)
    {
        long last = 0;
        foreach (var x in reservoir.Row(reservoir.Timesteps - 1)) if (x != 0) last++;
        var fired = new bool[reservoir.Channels];
        for (var t = 0; t < reservoir.Timesteps; t++)
        {
            var row = reservoir.Row(t);
            for (var i = 0; i < row.Length; i++) fired[i] |= row[i] != 0;
        }
        return (last, fired.Count(f => f));
    }

    /// <summary>
    /// Checks every inference's readout against the closed form on a core idle at the last step's end; returns them, and
    /// how many last steps had no spike.
    /// </summary>
    private static (long[] Readouts, int SilentLastSteps) CheckClosedForm(LsmResult r)
    {
        Assert.That(LsmTestData.Preset.Readout.FeatureBins, Is.EqualTo(1), "features are the neurons' total counts");
        var run = r.ChipRun!;
        var steps = r.Timesteps;
        var readouts = new long[r.Samples];
        var silent = 0;
        for (var s = 0; s < r.Samples; s++)
        {
            var (lastSpikes, features) = Count(r.ChipSpikes[s]);
            Assert.That(features, Is.GreaterThan(0), "the reservoir fired");
            var lastEnd = run.StepEndCycles[(s + 1) * steps - 1];
            // Every step's increments (with their edge wait) are done by the next step's end, so none ever queues and the
            // core is idle at the last step's end.
            for (var t = 0; t + 1 < steps; t++)
            {
                long spikes = 0;
                foreach (var x in r.ChipSpikes[s].Row(t)) if (x != 0) spikes++;
                var end = run.StepEndCycles[s * steps + t];
                if (spikes > 0) Assert.That(end + WaitForEdge(end) + Edge * Ceil(spikes, Lanes), Is.LessThanOrEqualTo(run.StepEndCycles[s * steps + t + 1]));
            }
            // Closed form on an idle core: to the next edge, the last step's increments, then features x classes MACs.
            var expected = WaitForEdge(lastEnd) + Edge * (Ceil(lastSpikes, Lanes) + Ceil(features * r.Classes, Lanes));
            Assert.That(r.Readout!.CyclesAfterSteps[s], Is.EqualTo(expected), $"inference {s}");
            readouts[s] = expected;
            if (lastSpikes == 0) silent++;
        }
        // The MACs the ledger counts are the ones timed.
        var macs = r.Account.Lines.Where(l => l.Component == AccumulateCore.Component && l.Action == AccumulateCore.MacAction).Sum(l => l.Count);
        Assert.That(macs, Is.EqualTo(Enumerable.Range(0, r.Samples).Sum(s => Count(r.ChipSpikes[s]).Features) * r.Classes));
        return (readouts, silent);
    }

    [Test]
    public void A_small_LSMs_readout_takes_the_closed_form_and_is_in_its_latency_and_busy_time()
    {
        var r = Run(PowerGating.Idle);
        var run = r.ChipRun!;
        var (readouts, _) = CheckClosedForm(r);
        var sumReadout = readouts.Sum();

        // Latency per inference = the steps' cycles + the readout's; the per-timestep figure is the steps' alone.
        var stepCycles = run.SampleCycles.Sum();
        Assert.That(r.LatencyPerInferenceCycles, Is.EqualTo((stepCycles + sumReadout) / (double)r.Samples));
        Assert.That(r.ReadoutLatencyCycles, Is.EqualTo(sumReadout / (double)r.Samples));
        Assert.That(r.LatencyPerTimestepCycles, Is.EqualTo(run.LatencyPerTimestepCycles));
        // The busy time the chip leaks over (idle gating) is the same latency.
        Assert.That(r.Power!.BusySeconds, Is.EqualTo((stepCycles + sumReadout) / r.BaseClockHz).Within(1e-18));
        var leakageW = r.Account.LeakagePowerW;
        Assert.That(r.Account.LeakagePj * 1e-12, Is.EqualTo(leakageW * (stepCycles + sumReadout) / r.BaseClockHz).Within(1e-9 * r.Account.LeakagePj * 1e-12));

        // Back to back (full throughput) a readout overlaps the next inference's steps: only an overhang counts, and the last.
        long backToBack = stepCycles + readouts[^1];
        for (var s = 0; s + 1 < r.Samples; s++) backToBack += Math.Max(0, readouts[s] - run.SampleCycles[s + 1]);
        var expectedJ = r.Account.DynamicPj * 1e-12 + leakageW * backToBack / r.BaseClockHz;
        Assert.That(r.Power.FullThroughputJ, Is.EqualTo(expectedJ).Within(1e-9 * expectedJ));
        Assert.That(r.Power.FullThroughputJ, Is.LessThan(r.Power.RealTimeJ), "idle: the real-time account leaks over every readout");
    }

    [Test]
    public void Back_to_back_only_a_readout_overhanging_the_next_steps_counts()
    {
        var timing = new ReadoutTiming([30, 50, 20], 0);
        Assert.That(timing.BackToBackCycles([100, 40, 100]), Is.EqualTo(20), "each readout within the next inference's steps: the last one's");
        Assert.That(timing.BackToBackCycles([100, 10, 30]), Is.EqualTo(20 + 20 + 20), "30 over 10 and 50 over 30 overhang by 20 each");
        Assert.Throws<ArgumentException>(() => timing.BackToBackCycles([1, 2]));
    }

    [Test]
    public void A_readout_after_a_silent_last_step_is_its_multiply_accumulates_alone()
    {
        // No membrane memory (decay 0) and the input silent over the last 8 steps: the reservoir falls silent, so the
        // last step has no counter to increment and the MACs start at its end (on the next edge).
        var samples = LsmTestData.PoissonSamples(2, 4, 64, 28, 5);
        foreach (var sample in samples)
            for (var t = 20; t < 28; t++) sample.Input.MutableRow(t).Clear();
        var r = LsmExperiment.Run(LsmTestData.Preset.Architecture, LsmTestData.Preset.Lsm with { Decay = 0 }, LsmTestData.Preset.Readout, samples, 0.25, 3);
        var (readouts, silent) = CheckClosedForm(r);
        Assert.That(silent, Is.EqualTo(r.Samples), "every last step is silent");
        Assert.That(r.LatencyPerInferenceCycles, Is.EqualTo((r.ChipRun!.SampleCycles.Sum() + readouts.Sum()) / (double)r.Samples));
    }

    [Test]
    public void Per_unit_gating_powers_the_accumulate_core_for_its_timed_readout_and_the_rest_for_the_steps()
    {
        var r = Run(PowerGating.PerUnit);
        var run = r.ChipRun!;
        var steps = r.Timesteps;
        // The accumulate core's busy cycles by hand: each step's increments from its end (plus the wait for an edge) when
        // the core is idle then (checked), the last step's followed at once by the MACs (on an edge already).
        long busy = 0;
        for (var s = 0; s < r.Samples; s++)
        {
            long free = 0;
            for (var t = 0; t < steps; t++)
            {
                var k = s * steps + t;
                long spikes = 0;
                foreach (var x in r.ChipSpikes[s].Row(t)) if (x != 0) spikes++;
                if (spikes == 0) continue;
                Assert.That(free, Is.LessThanOrEqualTo(run.StepEndCycles[k]), "the core is idle when a step ends");
                free = run.StepEndCycles[k] + WaitForEdge(run.StepEndCycles[k]) + Edge * Ceil(spikes, Lanes);
                busy += free - run.StepEndCycles[k];
            }
            var lastEnd = run.StepEndCycles[(s + 1) * steps - 1];
            var macCycles = Edge * Ceil(Count(r.ChipSpikes[s]).Features * r.Classes, Lanes);
            if (macCycles > 0) busy += free > lastEnd ? macCycles : WaitForEdge(lastEnd) + macCycles;
        }
        var clock = r.BaseClockHz;
        // One tile: one accumulate core, which works for the readout only (an LSM has no digital layer; partial sums of row
        // blocks would be the neuron core's, digital_neuron.add).
        Assert.That(r.Tiles, Is.EqualTo(1));
        Assert.That(r.Account.Lines.Where(l => l.Component == AccumulateCore.Component && l.Layer != "readout" && l.Action != "leakage").Sum(l => l.Count), Is.Zero);
        var powered = r.Power!.Account.PoweredSeconds;
        Assert.That(powered[AccumulateCore.Component], Is.EqualTo(busy / clock).Within(1e-9 * busy / clock));
        Assert.That(powered[AccumulateCore.Component], Is.GreaterThan(r.Readout!.TotalCyclesAfterSteps / clock), "it holds the readout");
        // The busy time holds the readout; the I/O buffer, which works for the macros and the core, stays within the steps.
        var stepSeconds = run.SampleCycles.Sum() / clock;
        Assert.That(r.Power.BusySeconds, Is.EqualTo(stepSeconds + r.Readout.TotalCyclesAfterSteps / clock).Within(1e-18));
        Assert.That(powered[TileIoBuffer.Component], Is.LessThanOrEqualTo(stepSeconds));
    }

    [Test]
    public void Work_after_the_steps_is_in_the_busy_time_but_the_units_sums_stay_capped_at_the_steps()
    {
        // A tile whose macro and core were busy 800 + 600 ns in steps of 700 ns, then 300 ns of readout: the I/O buffer's
        // sum (1400 ns) is capped at the steps' 700 ns, not the 1000 ns busy time; the accumulate core takes its measure.
        var chip = new ChipModel(LsmTestData.Preset.Architecture with { Power = PowerGating.PerUnit });
        var macro = new UnitStatistics("tile0.macro0", "macro");
        macro.Busy(800);
        var core = new UnitStatistics("tile0.neuron_core", "neuron_core");
        core.Busy(600);
        var instances = new Dictionary<string, long> { [TileIoBuffer.Component] = 1, [AccumulateCore.Component] = 1 };
        var window = new PowerWindow(1e-3, 1000e-9);
        var after = new WorkAfterSteps(700e-9, new Dictionary<string, double> { [AccumulateCore.Component] = 300e-9 }, 900e-9);
        var powered = PowerAccounting.Price(chip, new Ledger(), instances, window, [macro, core], after).Account.PoweredSeconds;
        Assert.That(powered[TileIoBuffer.Component], Is.EqualTo(700e-9).Within(1e-21));
        Assert.That(powered[AccumulateCore.Component], Is.EqualTo(300e-9).Within(1e-21));
        // Without the work after the steps, the cap is the busy time, as for every other run.
        var plain = PowerAccounting.Price(chip, new Ledger(), instances, window, [macro, core]).Account.PoweredSeconds;
        Assert.That(plain[TileIoBuffer.Component], Is.EqualTo(1000e-9).Within(1e-21));

        // Under idle gating the real-time account leaks over the busy time, the full-throughput one over the 900 ns back to back.
        var idle = PowerAccounting.Price(new ChipModel(LsmTestData.Preset.Architecture), new Ledger(), instances, window, [macro, core], after);
        var leakageW = idle.Account.LeakagePowerW;
        Assert.That(idle.RealTimeJ, Is.EqualTo(leakageW * 1000e-9).Within(1e-9 * leakageW * 1000e-9));
        Assert.That(idle.FullThroughputJ, Is.EqualTo(leakageW * 900e-9).Within(1e-9 * leakageW * 900e-9));
    }
}
