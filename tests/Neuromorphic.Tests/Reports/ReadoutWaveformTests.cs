using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Reports.Waveforms;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Learning;
using Neuromorphic.Tests.Lsm;
using Neuromorphic.Tests.Traces.Vcd;
using Neuromorphic.Traces.Vcd;
using NUnit.Framework;
using static Neuromorphic.Tests.Lsm.PresetAccumulateCore;

namespace Neuromorphic.Tests.Reports;

/// <summary>
/// The LSM waveform draws the readout on the accumulate core: <c>readout.busy</c> high over the batches timed here by
/// hand from the run's spike rasters (each step's counter increments from its end, on the core's next edge, ceil(n / 16)
/// core cycles of 5 base cycles; then the non-zero features x classes multiply-accumulates), the batches' operations on
/// <c>readout.counter_increments</c> and <c>readout.macs</c>, and <c>readout.class</c> the readout's prediction, set where
/// the inference's latency ends: the last change of a sample's waveform.
/// </summary>
public sealed class ReadoutWaveformTests
{
    /// <summary>Forwards one run's activity to several waveforms (one sample each, and all samples).</summary>
    private sealed class Fan(IReadOnlyList<LsmWaveform> waveforms) : ILsmChipProbe
    {
        public void MacroOperated(int macro, in MacroOperation operation)
        {
            foreach (var w in waveforms) w.MacroOperated(macro, operation);
        }

        public void Describe(IReadOnlyList<string> macroProjection, int inputs, int neurons)
        {
            foreach (var w in waveforms) w.Describe(macroProjection, inputs, neurons);
        }

        public void SampleStarted(int sample)
        {
            foreach (var w in waveforms) w.SampleStarted(sample);
        }

        public void StepStarted(int step, long cycle, ReadOnlySpan<int> inputSpikes, int recurrentSpikes)
        {
            foreach (var w in waveforms) w.StepStarted(step, cycle, inputSpikes, recurrentSpikes);
        }

        public void StepEnded(long cycle, ReadOnlySpan<float> spikes)
        {
            foreach (var w in waveforms) w.StepEnded(cycle, spikes);
        }

        public void Classified(ReadoutTiming readout, IReadOnlyList<int> classes)
        {
            foreach (var w in waveforms) w.Classified(readout, classes);
        }
    }

    private sealed record Recorded(LsmResult Result, List<LsmSample> Samples, VcdText[] PerSample, VcdText All, long TicksPerCycle);

    private static Recorded? _recorded;

    /// <summary>One small LSM run (8 samples of 20 steps), dumped sample by sample and whole.</summary>
    private static Recorded Record()
    {
        if (_recorded is not null) return _recorded;
        var samples = LsmTestData.PoissonSamples(2, 4, 64, 20, 5);
        var clock = LsmTestData.Preset.Architecture.BaseClockHz;
        var timescale = LsmWaveform.Timescale(clock);
        var texts = Enumerable.Range(0, samples.Count + 1).Select(_ => new StringWriter()).ToArray();
        var writers = texts.Select(t => new VcdWriter(t, timescale)).ToArray();
        var waveforms = writers.Select((w, k) => k < samples.Count
            ? new LsmWaveform(w, clock, null, k, k)
            : new LsmWaveform(w, clock, null, 0, samples.Count - 1)).ToList();
        var r = LsmExperiment.Run(LsmTestData.Preset.Architecture, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout, samples, 0.25, 3,
            probe: new Fan(waveforms));
        Assert.That(waveforms.All(w => w.Complete), "every waveform got its readout");
        foreach (var w in writers) w.Close();
        var parsed = texts.Select(t => VcdText.Parse(t.ToString())).ToArray();
        var ticks = LsmWaveform.ParseTime("1 cycles", clock);
        return _recorded = new Recorded(r, samples, parsed[..^1], parsed[^1], ticks);
    }

    /// <summary>Per sample, its readout's batches timed by hand: (taken, end, increments, multiply-accumulates), base cycles.</summary>
    private static List<(long Taken, long End, long Increments, long Macs)> HandBatches(LsmResult r, int s)
    {
        var steps = r.Timesteps;
        var ends = r.ChipRun!.StepEndCycles;
        var batches = new List<(long, long, long, long)>();
        long free = ends[s * steps];
        for (var t = 0; t < steps; t++)
        {
            long spikes = 0;
            foreach (var x in r.ChipSpikes[s].Row(t)) if (x != 0) spikes++;
            if (spikes == 0) continue;
            var taken = Math.Max(ends[s * steps + t], free);
            free = NextEdge(taken) + Edge * Ceil(spikes, Lanes);
            batches.Add((taken, free, spikes, 0));
        }
        var features = Features.BinnedCounts(r.ChipSpikes[s], LsmTestData.Preset.Readout.FeatureBins).Count(x => x != 0);
        var macs = (long)features * r.Classes;
        Assert.That(macs, Is.GreaterThan(0), "the reservoir fired");
        var last = Math.Max(ends[(s + 1) * steps - 1], free);
        batches.Add((last, NextEdge(last) + Edge * Ceil(macs, Lanes), 0, macs));
        return batches;
    }

    /// <summary>The level of <paramref name="name"/> at <paramref name="time"/> (its last change at or before it).</summary>
    private static string At(VcdText vcd, string name, long time) => vcd.Values[name].Last(v => v.Time <= time).Value;

    /// <summary>A waveform of three hand-made inferences of three steps (ends as given), and their readout timed.</summary>
    private static VcdText HandMade(int first, int last)
    {
        var chip = new Neuromorphic.Arch.Architecture.ChipModel(LsmTestData.Preset.Architecture);
        Assert.That(chip.Spec.BaseClockHz, Is.EqualTo(1e9), "1 ns ticks, one a base cycle");
        long[] ends = [100, 203, 301, 400, 404, 405, 500, 600, 700];
        var timing = ReadoutTiming.Of(chip, ends, [20, 0, 33, 64, 16, 0, 0, 0, 0], [40, 16, 0], keepBatches: true);
        var text = new StringWriter();
        var writer = new VcdWriter(text, LsmWaveform.Timescale(chip.Spec.BaseClockHz));
        var waveform = new LsmWaveform(writer, chip.Spec.BaseClockHz, null, first, last);
        waveform.Describe(["w_in"], 2, 2);
        for (var k = 0; k < ends.Length; k++)
        {
            if (k % 3 == 0) waveform.SampleStarted(k / 3);
            waveform.StepStarted(k % 3, k == 0 ? 0 : ends[k - 1], [], 0);
            waveform.StepEnded(ends[k], [0f, 0f]);
        }
        Assert.That(waveform.Complete, Is.False);
        waveform.Classified(timing, [2, 1, 1]);
        writer.Close();
        return VcdText.Parse(text.ToString());
    }

    [Test]
    public void Hand_timed_batches_with_an_edge_wait_and_a_queue()
    {
        // As ReadoutTimingTests times them on the 16-lane core with 5-cycle edges. Inference 0: 20 increments 100-110;
        // 33 taken at 301 (busy while waiting for the edge at 305) to 320; 40 MACs 320-335. Inference 1: 64 increments
        // 400-420; 16 released at 404, queued, taken at 420 to 425; 16 MACs 425-430. Inference 2: silent, classified at
        // its last step's end, 700.
        var vcd = HandMade(0, 2);
        Assert.That(vcd.Values["readout.busy"], Is.EqualTo(new (long, string)[] { (0, "0"), (100, "1"), (110, "0"), (301, "1"), (335, "0"), (400, "1"), (430, "0") }));
        Assert.That(vcd.Values["readout.counter_increments"], Is.EqualTo(new (long, string)[]
            { (0, "0"), (100, "20"), (110, "0"), (301, "33"), (320, "0"), (400, "64"), (420, "16"), (425, "0") }));
        Assert.That(vcd.Values["readout.macs"], Is.EqualTo(new (long, string)[] { (0, "0"), (320, "40"), (335, "0"), (425, "16"), (430, "0") }));
        Assert.That(vcd.Values["readout.class"], Is.EqualTo(new (long, string)[] { (0, "0"), (335, "2"), (430, "1") }));
        Assert.That(vcd.Values["readout.classified"], Is.EqualTo(new (long, string)[] { (0, "0"), (335, "1"), (430, "2"), (700, "3") }));
        // Only the dumped samples' readouts.
        var one = HandMade(1, 1);
        Assert.That(one.Values["readout.busy"], Is.EqualTo(new (long, string)[] { (0, "0"), (400, "1"), (430, "0") }));
        Assert.That(one.Values["readout.classified"], Is.EqualTo(new (long, string)[] { (0, "0"), (430, "1") }));
        Assert.That(one.Values.Values.Max(v => v[^1].Time), Is.EqualTo(430), "inference 1's last change: its class");
    }

    [Test]
    public void Busy_is_high_over_the_hand_timed_batches_with_their_operations()
    {
        var (r, _, perSample, _, ticks) = Record();
        for (var s = 0; s < r.Samples; s++)
        {
            var vcd = perSample[s];
            var batches = HandBatches(r, s);
            // The batches joined where one ends as the next is taken: busy's rises and falls.
            var expected = new List<(long Time, string Value)> { (0, "0") };
            foreach (var (taken, end, _, _) in batches)
            {
                if (expected[^1].Time == taken * ticks && expected[^1].Value == "0") expected.RemoveAt(expected.Count - 1);
                else expected.Add((taken * ticks, "1"));
                expected.Add((end * ticks, "0"));
            }
            Assert.That(vcd.Values["readout.busy"], Is.EqualTo(expected), $"sample {s}");
            foreach (var (taken, end, increments, macs) in batches)
            {
                Assert.That(At(vcd, "readout.counter_increments", taken * ticks), Is.EqualTo(increments.ToString()), $"sample {s} at {taken}");
                Assert.That(At(vcd, "readout.macs", taken * ticks), Is.EqualTo(macs.ToString()), $"sample {s} at {taken}");
            }
            Assert.That(vcd.Values["readout.counter_increments"][^1].Value + vcd.Values["readout.macs"][^1].Value, Is.EqualTo("00"));
            // The last batch is the multiply-accumulates: the readout's time after the steps is theirs.
            var lastEnd = r.ChipRun!.StepEndCycles[(s + 1) * r.Timesteps - 1];
            Assert.That(batches[^1].End - lastEnd, Is.EqualTo(r.Readout!.CyclesAfterSteps[s]), $"sample {s}");
        }
    }

    [Test]
    public void A_samples_last_change_is_at_its_latency_from_its_first_step()
    {
        var (r, _, perSample, all, ticks) = Record();
        var latencies = new long[r.Samples];
        for (var s = 0; s < r.Samples; s++)
        {
            var vcd = perSample[s];
            var start = vcd.Values["chip.step_start"].First(v => v.Value == "1").Time;
            var last = vcd.Values.Values.Where(v => v.Count > 0).Max(v => v[^1].Time);
            // The steps' latency (first step's start to last step's end) and the hand-timed readout after them.
            var lastStepEnd = r.ChipRun!.StepEndCycles[(s + 1) * r.Timesteps - 1];
            latencies[s] = r.ChipRun.SampleCycles[s] + HandBatches(r, s)[^1].End - lastStepEnd;
            Assert.That(last - start, Is.EqualTo(latencies[s] * ticks), $"sample {s}");
            Assert.That(vcd.Values["readout.classified"].Select(v => v.Value), Is.EqualTo(new[] { "0", "1" }));
            Assert.That(vcd.Values["readout.classified"][^1].Time, Is.EqualTo(last), "the class is the last change");
        }
        Assert.That(latencies.Average(), Is.EqualTo(r.LatencyPerInferenceCycles), "the run's latency per inference");
        // Dumped together, every sample is classified at its latency after its first step's start.
        var starts = all.Values["chip.step_start"].Where(v => v.Value == "1" && At(all, "chip.timestep", v.Time) == "0").Select(v => v.Time).ToArray();
        Assert.That(starts, Has.Length.EqualTo(r.Samples));
        var decided = all.Values["readout.classified"].Skip(1).Select(v => v.Time).ToArray();
        Assert.That(decided, Is.EqualTo(starts.Select((t, s) => t + latencies[s] * ticks)));
    }

    [Test]
    public void The_class_is_the_runs_prediction()
    {
        var (r, samples, _, all, _) = Record();
        var readout = LsmTestData.Preset.Readout;
        Assert.That(readout.Readouts[0], Is.EqualTo(ReadoutKind.Ridge));
        // The ridge readout refitted here on the chip's features, split as the run splits them.
        var features = r.ChipSpikes.Select(raster => Features.BinnedCounts(raster, readout.FeatureBins)).ToArray();
        var labels = samples.Select(x => x.Label).ToArray();
        var split = DatasetSplit.Make(samples, readout.TestFraction, readout.ValidationFraction, 3);
        var (model, _) = RidgeClassifier.FitWithValidation(split.Train.Select(i => features[i]).ToArray(), split.Train.Select(i => labels[i]).ToArray(),
            split.Validation.Select(i => features[i]).ToArray(), split.Validation.Select(i => labels[i]).ToArray(), r.Classes, readout.Lambdas);
        var decided = all.Values["readout.classified"].Skip(1).Select(v => v.Time).ToArray();
        var classes = decided.Select(t => int.Parse(At(all, "readout.class", t))).ToArray();
        Assert.That(classes, Is.EqualTo(features.Select(f => model.Predict(f))));
        Assert.That(split.Test.Count(i => classes[i] == labels[i]) / (double)split.Test.Length, Is.EqualTo(r.Accuracy), "the run's accuracy");
        Assert.That(classes.Distinct().Count(), Is.GreaterThan(1), "not one class throughout");
    }
}
