using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Prefetch hints for CUBA's delivery, whose loops wait on random lines of arrays far larger than the
/// caches. A hint never changes a value: it only asks the core to start loading a line, and unlike a
/// load it does not hold up the instructions after it, so many lines can be on their way at once. Where
/// the processor has no such instruction (<see cref="Sse.IsSupported"/> false) the hints do nothing.
/// </summary>
/// <remarks>
/// One of the two places of unsafe code written by hand (the other is the chip executor's read-record
/// hints, <c>Neuromorphic.Arch.Execution.CachePrefetch</c>; the remaining use of unsafe blocks is the code
/// <c>[LibraryImport]</c> generates for <see cref="CubaLargeArrays"/>' madvise call):
/// <see cref="Sse.Prefetch1"/> takes a pointer. It is taken from a
/// reference and used at once; should the array move in between, a prefetch of a stale address cannot
/// fault, only miss.
/// </remarks>
internal static class CubaPrefetch
{
    /// <summary>Whether the hints do anything on this processor.</summary>
    public static bool Available => Sse.IsSupported;

    /// <summary>
    /// Asks for the line holding <paramref name="place"/> in the L2 cache (<c>prefetcht1</c>): the L2 tracks
    /// more outstanding misses than the L1, which bounds loads and <c>prefetcht0</c> alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void IntoL2<T>(ref T place) where T : unmanaged
    {
        if (Sse.IsSupported) Sse.Prefetch1(Unsafe.AsPointer(ref place));
    }
}
