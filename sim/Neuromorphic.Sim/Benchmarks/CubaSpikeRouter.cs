using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>Entries past a bucket's capacity that take the overshoot of whole-group copies.</summary>
    private const int Slack = 8;

    /// <summary>Entries a bucket of the default capacity holds, slack included.</summary>
    internal const int BucketEntries = DefaultCapacity + Slack;

    private readonly CubaNetwork _network;
    private readonly float[] _ge, _gi;
    private readonly int _first, _end, _capacity, _stride;
    private readonly ushort[] _buckets;  // [(block - first) * 2 + kind][capacity + Slack]
    private readonly int[] _lengths;
    private int _touched; // keeps Touch's loads alive

    /// <summary>Spikes whose rows are touched before any of them is routed.</summary>
    private const int TouchAhead = 16;

    public CubaSpikeRouter(CubaNetwork network, float[] ge, float[] gi, int firstBlock, int endBlock, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _stride = capacity + Slack;
        _network = network;
        _ge = ge;
        _gi = gi;
        _first = firstBlock;
        _end = endBlock;
        var slots = network.Blocks > 1 ? 2 * (endBlock - firstBlock) : 0;
        _buckets = new ushort[slots * _stride];
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
        var stride = (nint)(_network.Blocks - 1);
        // Blocks whose end is stored in the source's row; the network's last block ends at the out-degree.
        var rowEnd = Math.Min(_end, _network.Blocks - 1);
        var ownsLast = _end == _network.Blocks;
        long events = 0;
        for (var chunk = 0; chunk < spikes.Length; chunk += TouchAhead)
        {
            var group = spikes.Slice(chunk, Math.Min(TouchAhead, spikes.Length - chunk));
            Touch(group, ref s0, ref o0, ref e0, stride);
            foreach (var pre in group) events += RouteOne(pre, kind, ref s0, ref o0, ref e0, stride, rowEnd, ownsLast, g, weight);
        }
        return events;
    }

    /// <summary>
    /// Loads one word of every cache line of the group's rows (fan-out start, block ends, target
    /// offsets) in a loop with no dependence between its iterations, so the processor has many of
    /// these cache misses in flight at once; routing the group then finds its rows in cache. (Large
    /// networks' rows lie far apart in memory: visited one by one, each miss would wait for the last.)
    /// </summary>
    private void Touch<TEnd>(ReadOnlySpan<int> group, ref int s0, ref ushort o0, ref TEnd e0, nint stride)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        var sink = 0;
        var lastRowBlock = Math.Min(_end, _network.Blocks - 1) - 1;
        foreach (var pre in group)
        {
            int start = Unsafe.Add(ref s0, pre), from = start, to = Unsafe.Add(ref s0, pre + 1);
            if (stride > 0)
            {
                // Only this router's part of the rows: with several threads each touches its own blocks' synapses.
                ref var row = ref Unsafe.Add(ref e0, pre * stride);
                if (_first > 0) from = start + int.CreateTruncating(Unsafe.Add(ref row, _first - 1));
                if (_end < _network.Blocks) to = start + int.CreateTruncating(Unsafe.Add(ref row, _end - 1));
                sink += int.CreateTruncating(Unsafe.Add(ref row, Math.Max(0, _first - 1))) + int.CreateTruncating(Unsafe.Add(ref row, Math.Max(0, lastRowBlock)));
            }
            // Every 64 bytes, and the last entry: a row that does not start on a line boundary ends one line further.
            for (var k = from; k < to; k += 32) sink += Unsafe.Add(ref o0, k);
            if (to > from) sink += Unsafe.Add(ref o0, to - 1);
        }
        _touched = sink;
    }

    /// <summary>Appends the synapses of <paramref name="pre"/> into this router's blocks to their buckets; returns how many.</summary>
    private long RouteOne<TEnd>(int pre, int kind, ref int s0, ref ushort o0, ref TEnd e0, nint stride, int rowEnd, bool ownsLast, float[] g, float weight)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        var start = Unsafe.Add(ref s0, pre);
        ref var row = ref Unsafe.Add(ref e0, pre * stride);
        ref var source = ref Unsafe.Add(ref o0, start);
        var first = _first == 0 ? 0 : int.CreateTruncating(Unsafe.Add(ref row, _first - 1));
        var previous = first;
        var slot = kind;
        for (var block = _first; block < rowEnd; block++, slot += 2)
        {
            var end = int.CreateTruncating(Unsafe.Add(ref row, block));
            Append(slot, ref source, previous, end - previous, g, weight);
            previous = end;
        }
        if (ownsLast)
        {
            var end = Unsafe.Add(ref s0, pre + 1) - start;
            Append(slot, ref source, previous, end - previous, g, weight);
            previous = end;
        }
        return previous - first;
    }

    /// <summary>
    /// Appends <paramref name="count"/> offsets (from <paramref name="at"/> in a source's row) to bucket
    /// <paramref name="slot"/>. Copies whole groups of eight without looking at the count first (at a
    /// few synapses per block the count is unpredictable, and a mispredicted branch costs more than the
    /// copy); the excess lands in the bucket's slack, beyond its length, and is overwritten later.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int slot, ref ushort source, int at, int count, float[] g, float weight)
    {
        ref var length = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lengths), slot);
        if (length + count > _capacity)
        {
            Apply(slot, g, weight);
            if (count > _capacity)
            {
                // More synapses into one block than a bucket holds: add them directly (still in order).
                CubaDelivery.AddAll(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g), _network.BlockStart(_first + slot / 2)),
                    ref Unsafe.Add(ref source, at), count, weight);
                return;
            }
        }
        ref var bucket = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), slot * _stride + length);
        var k = 0;
        do
        {
            Vector128.LoadUnsafe(ref source, (nuint)(at + k)).StoreUnsafe(ref bucket, (nuint)k);
            k += Vector128<ushort>.Count;
        }
        while (k < count);
        length += count;
    }

    private void Apply(int slot, float[] g, float weight)
    {
        var length = _lengths[slot];
        if (length == 0) return;
        var block = _first + slot / 2;
        ref var g0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g), _network.BlockStart(block));
        CubaDelivery.AddAll(ref g0, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), slot * _stride), length, weight);
        _lengths[slot] = 0;
    }
}
