using System.Runtime;
using NUnit.Framework;

namespace Neuromorphic.Tests;

/// <summary>
/// Bytes the current thread allocates while a piece of work runs, for the tests that assert a hot path allocates
/// nothing. GC.GetAllocatedBytesForCurrentThread is exact for the thread's own allocations, but while a background
/// (concurrent) gen-2 collection runs, the counter can jump by the unused rest of the thread's allocation context
/// (measured: 8 B to 8,112 B, including the 6,064 B once reported by CrossbarReadTests) even across a loop of pure
/// arithmetic, with no collection counted, no JIT on the thread and no exception. Another fixture allocating in
/// parallel starts such collections at any time, so the test project turns concurrent GC off
/// (ConcurrentGarbageCollection in the .csproj) and this meter refuses to measure if it is on again.
/// </summary>
internal static class ThreadAllocation
{
    /// <summary>Bytes allocated on the current thread by <paramref name="work"/> (build the delegate before calling).</summary>
    public static long During(Action work)
    {
        Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch),
            "allocation counts need blocking GC: a background collection moves the per-thread counter (see ThreadAllocation)");
        var before = GC.GetAllocatedBytesForCurrentThread();
        work();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
