using Neuromorphic.Hw.Macro;

namespace Neuromorphic.Arch.Execution;

/// <summary>Observes an LSM chip: its samples, timesteps, spikes and macro operations.</summary>
public interface ILsmChipProbe
{
    /// <summary>Macro <paramref name="macro"/> (chip-wide index) performed <paramref name="operation"/> (its kernel start and end).</summary>
    void MacroOperated(int macro, in MacroOperation operation);

    /// <summary>The chip's macros (chip-wide index order) and which projection each serves.</summary>
    void Describe(IReadOnlyList<string> macroProjection, int inputs, int neurons);

    /// <summary>Sample <paramref name="sample"/> is about to run.</summary>
    void SampleStarted(int sample);

    /// <summary>A timestep starts at <paramref name="cycle"/> with these input spikes (indices) queued.</summary>
    void StepStarted(int step, long cycle, ReadOnlySpan<int> inputSpikes, int recurrentSpikes);

    /// <summary>The neurons updated at <paramref name="cycle"/>; <paramref name="spikes"/> is non-zero where one fired.</summary>
    void StepEnded(long cycle, ReadOnlySpan<float> spikes);

    /// <summary>
    /// After every sample ran and the readout was trained: the readout's batches on the accumulate core (base cycles, in
    /// the steps' time) and the class the headline readout decided for every sample.
    /// </summary>
    void Classified(Lsm.ReadoutTiming readout, IReadOnlyList<int> classes);
}

/// <summary>
/// Observes a <see cref="ChipExecutor"/> run: its macros, timesteps and macro operations, at kernel
/// times. Calls arrive in kernel order; a run without a probe pays one null check per event.
/// </summary>
public interface IChipRunProbe
{
    /// <summary>The chip's macros (executor order) and the node each serves.</summary>
    void Describe(IReadOnlyList<string> macroNodes);

    /// <summary>Timestep <paramref name="step"/> of the sample starts at <paramref name="cycle"/> (its outputs are computed).</summary>
    void StepStarted(int step, long cycle);

    /// <summary>
    /// Macro <paramref name="macro"/> served an operation: queued at <paramref name="start"/> (its spikes
    /// had arrived), its last row-group read done at <paramref name="end"/>.
    /// </summary>
    void MacroOperated(int macro, long start, long end, int reads, long conversions);

    /// <summary>Timestep <paramref name="step"/> of the sample ended (its work drained) at <paramref name="cycle"/>.</summary>
    void StepEnded(int step, long cycle);
}
