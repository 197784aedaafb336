using Neuromorphic.Hw.Macro;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Observes a chip's activity while it runs (waveform dumps, debugging). Calls arrive in program
/// order, not time order: a step's macro operations overlap. A chip without a probe pays one null
/// check per macro operation.
/// </summary>
public interface IChipProbe
{
    /// <summary>Macro <paramref name="macro"/> (chip-wide index) performed <paramref name="operation"/>.</summary>
    void MacroOperated(int macro, in MacroOperation operation);
}

/// <summary>Observes an LSM chip: its samples, timesteps, spikes and macro operations.</summary>
public interface ILsmChipProbe : IChipProbe
{
    /// <summary>The chip's macros (chip-wide index order) and which projection each serves.</summary>
    void Describe(IReadOnlyList<string> macroProjection, int inputs, int neurons);

    /// <summary>Sample <paramref name="sample"/> is about to run.</summary>
    void SampleStarted(int sample);

    /// <summary>A timestep starts at <paramref name="cycle"/> with these input spikes (indices) queued.</summary>
    void StepStarted(int step, long cycle, ReadOnlySpan<int> inputSpikes, int recurrentSpikes);

    /// <summary>The neurons updated at <paramref name="cycle"/>; <paramref name="spikes"/> is non-zero where one fired.</summary>
    void StepEnded(long cycle, ReadOnlySpan<float> spikes);
}
