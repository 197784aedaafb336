using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Prefetch hints for the function pass's read records, which a spike needs long after the last spike of the
/// same input brought them in (so they have left the caches). A hint never changes a value: it asks the core to
/// start loading a line and, unlike a load, does not hold up the instructions after it, so the lines of a
/// step's spikes are on their way while other work runs. Where the processor has no such instruction
/// (<see cref="Sse.IsSupported"/> false) the hints do nothing.
/// </summary>
/// <remarks>
/// Unsafe code, as in the simulator's CUBA delivery (<c>CubaPrefetch</c>): <see cref="Sse.Prefetch1"/> takes a
/// pointer. It is taken from a reference and used at once; should the array move in between, a prefetch of a
/// stale address cannot fault, only miss.
/// </remarks>
internal static class CachePrefetch
{
    /// <summary>
    /// Asks for the line holding <paramref name="place"/>: into the L1 cache (<c>prefetcht0</c>) when it is needed
    /// next (<paramref name="near"/>), else into the L2 cache (<c>prefetcht1</c>), which keeps it while other work runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T place, bool near) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        if (near) Sse.Prefetch0(Unsafe.AsPointer(ref place));
        else Sse.Prefetch1(Unsafe.AsPointer(ref place));
    }
}
