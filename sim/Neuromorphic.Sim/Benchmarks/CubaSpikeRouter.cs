using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Delivers spikes into a contiguous run of destination blocks [first, end) in two passes, so each
/// part of memory is touched in its best order. Routing reads every spiking source's synapses once,
/// front to back, and appends each block's 16-bit target offsets to that block's bucket (one for
/// excitatory, one for inhibitory inputs). Flushing a block then adds the weight at every offset in
/// its bucket: the writes stay inside one block's slice of ge/gi, which fits the core's cache.
/// Buckets have a fixed size; a full bucket is flushed early, which keeps every target's inputs in
/// ascending source order, so results are bit-identical whatever the blocks or threads.
/// Single-block networks skip the buckets. Nothing is allocated after construction.
/// </summary>
internal sealed class CubaSpikeRouter
{
    /// <summary>Default offsets per bucket: two buckets per block stay well inside a core's L2 cache.</summary>
    internal const int DefaultCapacity = 2048;

    private readonly CubaNetwork _network;
    private readonly float[] _ge, _gi;
    private readonly int _first, _end, _capacity;
    private readonly ushort[] _buckets;  // [(block - first) * 2 + kind][capacity]
    private readonly int[] _lengths;

    public CubaSpikeRouter(CubaNetwork network, float[] ge, float[] gi, int firstBlock, int endBlock, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _network = network;
        _ge = ge;
        _gi = gi;
        _first = firstBlock;
        _end = endBlock;
        var slots = network.Blocks > 1 ? 2 * (endBlock - firstBlock) : 0;
        _buckets = new ushort[slots * capacity];
        _lengths = new int[slots];
    }

    /// <summary>Bytes held by the buckets.</summary>
    public long Bytes => _buckets.LongLength * sizeof(ushort) + _lengths.LongLength * sizeof(int);

    /// <summary>
    /// Routes ascending <paramref name="spikes"/>, all excitatory or all inhibitory, towards this
    /// router's blocks (single-block networks: delivers them at once). Returns the synaptic events.
    /// </summary>
    public long Route(ReadOnlySpan<int> spikes, bool excitatory, float weight)
    {
        if (spikes.IsEmpty) return 0;
        var g = excitatory ? _ge : _gi;
        if (_network.Blocks == 1) return CubaDelivery.Whole(_network, spikes, g, weight);
        var kind = excitatory ? 0 : 1;
        return _network.BlockEnds switch
        {
            byte[] ends => Route(ends, spikes, kind, g, weight),
            ushort[] ends => Route(ends, spikes, kind, g, weight),
            int[] ends => Route(ends, spikes, kind, g, weight),
            _ => throw new InvalidOperationException("unknown block-end type"),
        };
    }

    /// <summary>Adds the buckets of <paramref name="block"/> (one of this router's) into ge and gi.</summary>
    public void Flush(int block, float weightE, float weightI)
    {
        if (_network.Blocks == 1) return;
        var slot = (block - _first) * 2;
        Apply(slot, _ge, weightE);
        Apply(slot + 1, _gi, weightI);
    }

    private long Route<TEnd>(TEnd[] ends, ReadOnlySpan<int> spikes, int kind, float[] g, float weight)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        ref var o0 = ref MemoryMarshal.GetArrayDataReference(_network.TargetOffsets);
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(_network.FanOutStart);
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(ends);
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(_buckets);
        var lengths = _lengths;
        var stride = (nint)(_network.Blocks - 1);
        var lastBlock = _network.Blocks - 1;
        long events = 0;
        foreach (var pre in spikes)
        {
            var start = Unsafe.Add(ref s0, pre);
            ref var row = ref Unsafe.Add(ref e0, pre * stride);
            var previous = _first == 0 ? 0 : int.CreateTruncating(Unsafe.Add(ref row, _first - 1));
            var slot = kind;
            for (var block = _first; block < _end; block++, slot += 2)
            {
                var end = block == lastBlock ? Unsafe.Add(ref s0, pre + 1) - start : int.CreateTruncating(Unsafe.Add(ref row, block));
                var count = end - previous;
                if (count == 0) continue;
                var length = lengths[slot];
                if (length + count > _capacity)
                {
                    Apply(slot, g, weight);
                    length = 0;
                }
                ref var source = ref Unsafe.Add(ref o0, start + previous);
                ref var bucket = ref Unsafe.Add(ref b0, slot * _capacity + length);
                if (count <= _capacity)
                {
                    for (var k = 0; k < count; k++) Unsafe.Add(ref bucket, k) = Unsafe.Add(ref source, k);
                    lengths[slot] = length + count;
                }
                else
                {
                    // More synapses into one block than a bucket holds: add them directly (still in order).
                    CubaDelivery.AddAll(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g), _network.BlockStart(block)), ref source, count, weight);
                }
                events += count;
                previous = end;
            }
        }
        return events;
    }

    private void Apply(int slot, float[] g, float weight)
    {
        var length = _lengths[slot];
        if (length == 0) return;
        var block = _first + slot / 2;
        ref var g0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g), _network.BlockStart(block));
        CubaDelivery.AddAll(ref g0, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), slot * _capacity), length, weight);
        _lengths[slot] = 0;
    }
}
