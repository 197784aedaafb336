using System.Runtime.InteropServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The scalars the chip executor's two passes write while a sample runs, each pass's on a cache line of its own. With
/// two threads the function pass (producer) writes its step, its input stamp and its busy time every step, and the
/// kernel reads the executor's other fields (its units, the address width, the row-table cycles, the sample's first
/// step) at every event: in the executor's object they shared lines (measured: offsets 544-616), so every write of
/// one thread cost the other a line fetched from the other core.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 224)]
internal sealed class PassScalars
{
    /// <summary>Producer: the step of the sample the function pass is on.</summary>
    [FieldOffset(64)] public int Step;

    /// <summary>Producer: the function pass's last input stamp (<see cref="ChipExecutor"/>'s gathering).</summary>
    [FieldOffset(68)] public int Stamp;

    /// <summary>Producer: the function pass's busy time so far, stopwatch ticks.</summary>
    [FieldOffset(72)] public long FunctionTicks;

    /// <summary>Kernel: the time it has waited for the function pass so far, stopwatch ticks (72 bytes past the producer's).</summary>
    [FieldOffset(152)] public long WaitTicks;
}
