using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// Adds <paramref name="weight"/> at <paramref name="count"/> places of <paramref name="g0"/> given by
    /// <paramref name="indices"/> (16-bit offsets within a block, or neuron indices), in their order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddAll<TIndex>(ref float g0, ref TIndex indices, int count, float weight)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        var k = 0;
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
