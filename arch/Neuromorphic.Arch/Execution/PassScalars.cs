namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The scalars the chip executor's two passes write while a sample runs, each on a cache line of its own
/// (<see cref="PaddedLong"/>). With two threads the function pass (producer) writes its step, its input stamp and its
/// busy time every step, and the kernel reads the executor's other fields (its units, the address width, the
/// row-table cycles, the sample's first step) at every event: in the executor's object they shared lines (measured:
/// offsets 544-616), so every write of one thread cost the other a line fetched from the other core.
/// </summary>
internal sealed class PassScalars
{
    private PaddedLong _step, _stamp, _functionTicks, _waitTicks, _sharedTicks, _timedSteps;
    private StepChains _chains;

    /// <summary>Producer: the step of the sample the function pass is on.</summary>
    public int Step
    {
        get => (int)_step.Value;
        set => _step.Value = value;
    }

    /// <summary>Producer: the function pass's last input stamp (<see cref="ChipExecutor"/>'s gathering).</summary>
    public int Stamp
    {
        get => (int)_stamp.Value;
        set => _stamp.Value = value;
    }

    /// <summary>Producer: the function pass's busy time so far, stopwatch ticks.</summary>
    public ref long FunctionTicks => ref _functionTicks.Value;

    /// <summary>Kernel: the time it has waited for the function pass so far, stopwatch ticks.</summary>
    public ref long WaitTicks => ref _waitTicks.Value;

    /// <summary>Producer: the time it has spent timing steps for the kernel so far, stopwatch ticks.</summary>
    public ref long SharedTicks => ref _sharedTicks.Value;

    /// <summary>Producer: the steps it has timed for the kernel so far (the kernel's thread reads the mean time per step, rarely).</summary>
    public ref long TimedSteps => ref _timedSteps.Value;

    /// <summary>Producer: which steps it claims, and from which start (<see cref="ChipExecutor"/>'s step sharing; padded itself).</summary>
    public ref StepChains Chains => ref _chains;
}
