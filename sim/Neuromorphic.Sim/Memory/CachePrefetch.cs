using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Neuromorphic.Sim.Memory;

/// <summary>
/// Prefetch hints, the project's one hand-written unsafe code (the other use of unsafe blocks is the code
/// <c>[LibraryImport]</c> generates for CUBA's madvise call). Its callers: CUBA's delivery, whose loops wait on
/// random lines of arrays far larger than the caches, and the chip executor's read records and step records,
/// which a spike or a step needs long after they left the caches. A hint never changes a value: it asks the core
/// to start loading a line and, unlike a load, does not hold up the instructions after it, so many lines can be
/// on their way at once. Where the processor has no such instruction (<see cref="Available"/> false) the hints do
/// nothing.
/// </summary>
/// <remarks>
/// <see cref="Sse.Prefetch0"/> and <see cref="Sse.Prefetch1"/> take a pointer. It is taken from a reference and
/// used at once; should the object move in between, a prefetch of a stale address cannot fault, only miss.
/// </remarks>
public static class CachePrefetch
{
    /// <summary>Whether the hints do anything on this processor.</summary>
    public static bool Available => Sse.IsSupported;

    /// <summary>
    /// Asks for the line holding <paramref name="place"/> in the L1 cache (<c>prefetcht0</c>): for data read soon,
    /// within the same piece of work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void IntoL1<T>(ref T place) where T : unmanaged
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref place));
    }

    /// <summary>
    /// Asks for the line holding <paramref name="place"/> in the L2 cache (<c>prefetcht1</c>): it keeps the line
    /// while other work runs, and tracks more outstanding misses than the L1, which bounds loads and
    /// <c>prefetcht0</c> alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void IntoL2<T>(ref T place) where T : unmanaged
    {
        if (Sse.IsSupported) Sse.Prefetch1(Unsafe.AsPointer(ref place));
    }
}
