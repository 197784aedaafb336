using Neuromorphic.Arch.Architecture;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// The LSM readout timed on the accumulate core, inference by inference, by the core's own model
/// (<see cref="Hw.Digital.AccumulateCore"/>): a batch of n operations (counter increments or multiply-accumulates) takes
/// <c>ceil(n / lanes)</c> core cycles, started on the core's next clock edge (edges every base clock / core clock base
/// cycles from cycle 0, as the neuron cores'), batches first come first served; the core is busy from taking a batch to
/// its end (the wait for the edge counts as busy, as a neuron core's).
/// Assumed, as the core's model and its occupancy rule have it: a weight port of lanes x weight bits a cycle (16 x 8 =
/// 128 bits), each weight read in the cycle of its multiply-accumulate, so no pipeline fill. The weight SRAM's 64-bit
/// word is only the basis of its energy per bit, and the core's area counts its 16 adders, no multipliers. A 64-bit
/// port (8 weights a cycle) would double the multiply-accumulates' time: on the default run 1,333 cycles instead of 668,
/// the latency per inference +2.8 %.
/// <list type="bullet">
/// <item>Each timestep's spikes increment their neurons' counters (one accumulate each) once the step has ended and its
/// spikes are known. The core does nothing else during the steps, so these overlap the next step's work and add no
/// latency, except the last step's: no step follows it, and the multiply-accumulates need its counts.</item>
/// <item>After the last step's increments, the non-zero features x classes multiply-accumulates (each with its weight
/// read) run as one batch. The class is known when it ends.</item>
/// </list>
/// An inference's readout time is from its last step's end to the end of that batch (on an idle core at that step's
/// end: the edge wait, <c>ceil(s / lanes)</c> core cycles for the last step's s spikes, then
/// <c>ceil(features x classes / lanes)</c>). Every inference starts with an idle core, as inferences arriving in real
/// time do (the executor runs the samples back to back; there the readout would overlap the next inference's first
/// steps on other units, and the step throughput is not affected).
/// </summary>
/// <param name="CyclesAfterSteps">Per inference, base cycles from its last step's end until its class is known.</param>
/// <param name="CoreBusyCycles">Base cycles the accumulate core was busy over the run (increments and batches).</param>
public sealed record ReadoutTiming(long[] CyclesAfterSteps, long CoreBusyCycles)
{
    /// <summary>
    /// Every batch the core ran, inference by inference and in each in the order taken (from <see cref="Of"/>; empty when the
    /// timing was built from its totals alone, or without <c>keepBatches</c>). The waveform draws them (<see cref="Reports.Waveforms.LsmWaveform"/>).
    /// </summary>
    public IReadOnlyList<ReadoutBatch> Batches { get; init; } = [];

    /// <summary>The readout's cycles after the steps, summed over inferences.</summary>
    public long TotalCyclesAfterSteps => CyclesAfterSteps.Sum();

    /// <summary>
    /// The readout's cycles beyond the steps when the inferences run back to back (full throughput): one inference's
    /// readout runs on the accumulate core while the next one's steps run on the macros and the neuron core, so only
    /// what overhangs the next inference's steps counts, and the last inference's readout whole. (Back to back the next
    /// inference's counter increments may queue behind a readout on the core; they are off its steps' critical path, and
    /// left out.)
    /// </summary>
    /// <param name="sampleCycles">Each inference's steps, base cycles (<see cref="Execution.ChipRunResult.SampleCycles"/>).</param>
    /// <returns>Base cycles to add to the steps' for the run's busy time back to back.</returns>
    /// <exception cref="ArgumentException">Not one entry per inference.</exception>
    public long BackToBackCycles(IReadOnlyList<long> sampleCycles)
    {
        ArgumentNullException.ThrowIfNull(sampleCycles);
        if (sampleCycles.Count != CyclesAfterSteps.Length)
            throw new ArgumentException($"{sampleCycles.Count} inferences' steps for {CyclesAfterSteps.Length} readouts", nameof(sampleCycles));
        long cycles = 0;
        for (var s = 0; s < CyclesAfterSteps.Length; s++)
            cycles += s + 1 < CyclesAfterSteps.Length ? Math.Max(0, CyclesAfterSteps[s] - sampleCycles[s + 1]) : CyclesAfterSteps[s];
        return cycles;
    }

    /// <summary>Times the readout of every inference on <paramref name="chip"/>'s accumulate core.</summary>
    /// <param name="chip">The chip (its accumulate core's lanes and clock, the base clock).</param>
    /// <param name="stepEndCycles">Every timestep's end, base cycles (<see cref="Execution.ChipRunResult.StepEndCycles"/>), inferences one after another.</param>
    /// <param name="spikesByStep">Reservoir spikes of every timestep, in the same order.</param>
    /// <param name="macs">Per inference, the multiply-accumulates of its readout (non-zero features x classes).</param>
    /// <param name="keepBatches">Whether to keep every batch in <see cref="Batches"/> (a waveform draws them): 32 bytes a
    /// step, so runs that draw nothing (the default) keep none.</param>
    /// <returns>The readout's time per inference and the core's busy cycles.</returns>
    /// <exception cref="ArgumentException">The steps are not as many as the spike counts, or do not divide among the inferences; or the core's clock does not divide the base clock.</exception>
    public static ReadoutTiming Of(ChipModel chip, IReadOnlyList<long> stepEndCycles, IReadOnlyList<int> spikesByStep, IReadOnlyList<long> macs,
        bool keepBatches = false)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(stepEndCycles);
        ArgumentNullException.ThrowIfNull(spikesByStep);
        ArgumentNullException.ThrowIfNull(macs);
        var n = macs.Count;
        if (stepEndCycles.Count != spikesByStep.Count || n == 0 || stepEndCycles.Count % n != 0 || stepEndCycles.Count == 0)
            throw new ArgumentException($"{stepEndCycles.Count} step ends and {spikesByStep.Count} spike counts do not divide into {n} inferences of equal length");
        var core = chip.AccumulateCore.Parameters;
        var ratio = chip.Spec.BaseClockHz / core.ClockHz;
        if (ratio < 1 || Math.Abs(ratio - Math.Round(ratio)) > 1e-9)
            throw new ArgumentException($"the accumulate core's clock {core.ClockHz} Hz must divide the base clock {chip.Spec.BaseClockHz} Hz");
        var edge = (long)Math.Round(ratio);
        var steps = stepEndCycles.Count / n;
        var after = new long[n];
        long busy = 0;
        var batches = keepBatches ? new List<ReadoutBatch>(stepEndCycles.Count + n) : null;
        for (var s = 0; s < n; s++)
        {
            var (cycles, coreBusy) = Inference(stepEndCycles, spikesByStep, s * steps, steps, macs[s], core.Lanes, edge, batches, s);
            after[s] = cycles;
            busy += coreBusy;
        }
        return new ReadoutTiming(after, busy) { Batches = batches ?? [] };
    }

    /// <summary>
    /// One inference's readout: its steps' increments, then its multiply-accumulates, on a core idle at its start.
    /// </summary>
    /// <param name="stepEnds">Every timestep's end, base cycles.</param>
    /// <param name="spikes">Reservoir spikes of every timestep.</param>
    /// <param name="first">The inference's first step (index into both).</param>
    /// <param name="steps">Its steps.</param>
    /// <param name="macs">Its multiply-accumulates.</param>
    /// <param name="lanes">The core's lanes (operations a core cycle).</param>
    /// <param name="edge">Base cycles a core cycle.</param>
    /// <param name="batches">Receives the inference's batches, or null.</param>
    /// <param name="inference">The inference's index, for its batches.</param>
    /// <returns>Base cycles from the last step's end to the class, and the core's busy cycles.</returns>
    internal static (long AfterSteps, long Busy) Inference(IReadOnlyList<long> stepEnds, IReadOnlyList<int> spikes, int first, int steps, long macs,
        int lanes, long edge, List<ReadoutBatch>? batches = null, int inference = 0)
    {
        // The core is idle at the inference's start: free from its first step's end on.
        long free = stepEnds[first], busy = 0;
        void Batch(ReadoutWork work, long release, long operations)
        {
            if (operations <= 0) return;
            var taken = Math.Max(release, free);
            var start = (taken + edge - 1) / edge * edge;
            free = start + (operations + lanes - 1) / lanes * edge;
            busy += free - taken;
            batches?.Add(new ReadoutBatch(inference, work, operations, taken, free));
        }
        for (var t = first; t < first + steps; t++) Batch(ReadoutWork.CounterIncrements, stepEnds[t], spikes[t]);
        var last = stepEnds[first + steps - 1];
        Batch(ReadoutWork.MultiplyAccumulates, last, macs);
        return (Math.Max(0, free - last), busy);
    }
}

/// <summary>What a batch of the readout does on the accumulate core.</summary>
public enum ReadoutWork
{
    /// <summary>A timestep's spikes increment their neurons' counters (one accumulate each).</summary>
    CounterIncrements,

    /// <summary>The inference's non-zero features x classes multiply-accumulates, each with its weight read; the class is known at their end.</summary>
    MultiplyAccumulates,
}

/// <summary>One batch of the readout on the accumulate core, as <see cref="ReadoutTiming"/> times it.</summary>
/// <param name="Inference">The inference (sample) it serves.</param>
/// <param name="Work">Counter increments of a step, or the inference's multiply-accumulates.</param>
/// <param name="Operations">Its operations (increments or multiply-accumulates).</param>
/// <param name="Taken">Base cycle the core took it (its release, or the end of the batch before it): busy from here.</param>
/// <param name="End">Base cycle its last core cycle ended (after the wait for the core's edge and ceil(operations / lanes) core cycles).</param>
public readonly record struct ReadoutBatch(int Inference, ReadoutWork Work, long Operations, long Taken, long End);
