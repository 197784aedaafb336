using System.Runtime.InteropServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A <see cref="long"/> with a cache line (64 bytes) of padding on each side: a field of this type shares no line
/// with any other field of its object, nor with a neighbouring object. With two threads (<see cref="ChipExecutor"/>)
/// a value one thread writes every step and the other reads or writes is kept this way (the step counts of
/// <see cref="StepProgress"/>, the <see cref="StepWorkQueue"/>'s cursors, the passes' scalars): a line both cores
/// write moves between them at each write, and slows every other access to the line on both.
/// </summary>
/// <remarks>
/// The value sits 64 bytes into a struct of 128: whatever lies before the struct ends at least 64 bytes before the
/// value begins, and whatever follows begins 64 bytes after it (tested with <c>Unsafe.ByteOffset</c>). Generic types
/// cannot have an explicit layout, hence one type of one size, wide enough for every value that needs it.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    /// <summary>The value.</summary>
    [FieldOffset(64)] public long Value;
}
