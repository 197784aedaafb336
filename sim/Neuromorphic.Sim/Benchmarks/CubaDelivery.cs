using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Neuromorphic.Sim.Memory;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// The hot loop of CUBA: adds one weight to ge or gi of every target of a list of spiking sources. Sources are taken in the order given (ascending), so every
/// target receives its inputs in the same order whatever block or thread delivers them: results
/// are bit-identical for any thread count. Reads are unchecked (the spike list comes from the
/// simulation itself, the layout from <see cref="CubaNetworkBuilder"/>); nothing is allocated.
/// </summary>
internal static class CubaDelivery
{
    /// <summary>Delivers <paramref name="spikes"/> of a single-block network straight into <paramref name="g"/>; returns the synaptic events.</summary>
    public static long Whole(CubaNetwork network, ReadOnlySpan<int> spikes, float[] g, float weight)
    {
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(g);
        ref var o0 = ref MemoryMarshal.GetArrayDataReference(network.TargetOffsets);
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(network.FanOutStart);
        long events = 0;
        foreach (var pre in spikes)
        {
            int from = Unsafe.Add(ref s0, pre), to = Unsafe.Add(ref s0, pre + 1);
            AddAll(ref g0, ref Unsafe.Add(ref o0, from), to - from, weight);
            events += to - from;
        }
        return events;
    }

    /// <summary>
    /// Entries ahead of the one being added whose target line is prefetched into the core's L2 cache
    /// (<see cref="AddAll"/>). 64 keeps about 50 target lines in flight; 128 measured the same.
    /// </summary>
    private const int PrefetchAhead = 64;

    /// <summary>
    /// Adds <paramref name="weight"/> at <paramref name="count"/> places of <paramref name="g0"/> given by
    /// <paramref name="indices"/> (16-bit offsets within a block, or neuron indices), in their order.
    /// </summary>
    /// <remarks>
    /// The places are random lines of a state far larger than the caches, so the loop waits on memory,
    /// and plain loads keep only as many misses in flight as the L1 cache tracks (about two dozen on this
    /// machine's cores). A prefetch into L2 (<c>prefetcht1</c>) of the entry <see cref="PrefetchAhead"/>
    /// places ahead does not hold up the loop and draws on the L2's larger set of outstanding misses: the
    /// adds then find their lines in L2. Measured in one process, alternating, 4 M neurons, 200-step runs:
    /// the adding took about half the CPU time (one and two threads); a prefetch into L1 (<c>prefetcht0</c>)
    /// gained nothing, being bound by the same L1 miss slots as the loads.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddAll<TIndex>(ref float g0, ref TIndex indices, int count, float weight)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        var k = 0;
        if (CachePrefetch.Available)
        {
            for (; k <= count - 4 - PrefetchAhead; k += 4)
            {
                CachePrefetch.IntoL2(ref Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + PrefetchAhead))));
                CachePrefetch.IntoL2(ref Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + PrefetchAhead + 1))));
                CachePrefetch.IntoL2(ref Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + PrefetchAhead + 2))));
                CachePrefetch.IntoL2(ref Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + PrefetchAhead + 3))));
                Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k))) += weight;
                Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 1))) += weight;
                Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 2))) += weight;
                Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 3))) += weight;
            }
        }
        // Four independent read-modify-writes per iteration: the loads of one can overlap the others'.
        for (; k <= count - 4; k += 4)
        {
            Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k))) += weight;
            Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 1))) += weight;
            Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 2))) += weight;
            Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k + 3))) += weight;
        }
        for (; k < count; k++) Unsafe.Add(ref g0, int.CreateTruncating(Unsafe.Add(ref indices, k))) += weight;
    }
}
