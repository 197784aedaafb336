using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Routes one sender's spikes (an ascending list of sources, excitatory ones first) towards every
/// destination group, and later adds them into ge/gi group by group. A group is a run of
/// a few consecutive destination blocks (<see cref="ChooseGroupBlocks"/>), integrated each step by the
/// one participant that claims it.
/// <para>Routing reads each spiking source's synapses once, front to back, and appends the global
/// index of every target to its group's bucket (one bucket per group for excitatory inputs, one for
/// inhibitory). Grouping blocks keeps routing cheap when a source has only a synapse or two per
/// block (80 synapses spread over 64 blocks at 4 M neurons): a source costs one append per group,
/// each widening up to sixteen 16-bit offsets to neuron indices in one vector operation. A step's
/// list may be routed in pieces (<see cref="Begin"/>, then <see cref="Route"/> up to a growing end), and
/// any group flushed between the pieces: the sender adds its spikes into a group of its own right after
/// integrating it, while that group's ge/gi are still in cache.</para>
/// <para>Flushing a group adds the weight at every index in its buckets: the writes stay inside
/// the group's slice of ge/gi. A bucket that cannot take a source's run stops there (its cut); the
/// sources routed from the cut on are delivered straight from their synapses when the group is
/// flushed. Every input a neuron receives in a step adds the same weight (the step's excitatory or
/// inhibitory one) to the same variable, so the result depends only on how many arrive, not on their
/// order: results are bit-identical whatever the threads, groups, pieces or bucket sizes. Nothing is
/// allocated after construction.</para>
/// </summary>
internal sealed class CubaSpikeRouter
{
    /// <summary>Entries past a bucket's capacity that take the overshoot of whole-vector stores.</summary>
    private const int Slack = 16;

    /// <summary>Spikes whose rows are touched before any of them is routed.</summary>
    private const int TouchAhead = 16;

    /// <summary>Marks a bucket that took every spike routed to it.</summary>
    private const int NoCut = int.MaxValue;

    /// <summary>Ints in a cache line: the padding after each small array a router writes.</summary>
    private const int LinePadding = 16;

    private const int Routed = 0, Touched = 1;

    private readonly CubaNetwork _network;
    private readonly float[] _ge, _gi;
    private readonly int _groupBlocks, _groups, _capacity, _stride;
    private readonly int[] _buckets;  // [group * 2 + kind][capacity + Slack]: target neuron indices
    // The small arrays a router writes while it routes end with a cache line of padding: the routers of
    // two threads are allocated one after the other, and a line shared between them would bounce
    // between the cores at every append.
    private readonly int[] _lengths;  // [group * 2 + kind], then padding
    private readonly int[] _cuts;     // [group * 2 + kind]: first spike (index into the step's list) not in the bucket; then padding
    private readonly int[] _progress; // [Routed]: spikes of the list routed so far; [Touched]: keeps Touch's loads alive; then padding
    private int[] _spikes = [];       // this step's list, for the cut spikes
    private readonly int _excitatoryNeurons; // sources below this are excitatory

    /// <summary>A router with buckets of <paramref name="capacity"/> entries for every group of <paramref name="groupBlocks"/> blocks.</summary>
    public CubaSpikeRouter(CubaNetwork network, float[] ge, float[] gi, int groupBlocks, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupBlocks, 1);
        _network = network;
        _ge = ge;
        _gi = gi;
        _groupBlocks = groupBlocks;
        _excitatoryNeurons = network.Parameters.Excitatory;
        _groups = (network.Blocks + groupBlocks - 1) / groupBlocks;
        _capacity = capacity;
        _stride = capacity + Slack;
        _buckets = GC.AllocateUninitializedArray<int>(2 * _groups * _stride);
        _lengths = new int[2 * _groups + LinePadding];
        _cuts = new int[2 * _groups + LinePadding];
        _progress = new int[2 + LinePadding];
        _cuts.AsSpan().Fill(NoCut);
    }

    /// <summary>Number of groups.</summary>
    public int Groups => _groups;

    /// <summary>Bytes held by the buckets and their bookkeeping.</summary>
    public long Bytes => (_buckets.LongLength + _lengths.LongLength + _cuts.LongLength + _progress.LongLength) * sizeof(int);

    /// <summary>Bytes a router over <paramref name="network"/> with these groups and capacity holds.</summary>
    public static long BytesFor(CubaNetwork network, int groupBlocks, int capacity)
    {
        long groups = (network.Blocks + groupBlocks - 1) / groupBlocks;
        return (2 * groups * (capacity + Slack + 2) + 2 + 3 * LinePadding) * sizeof(int);
    }

    /// <summary>
    /// Blocks per group for a network whose threads own block ranges starting at <paramref name="firstBlocks"/>: enough blocks that a source's run into a group
    /// fills about one vector of sixteen (at most 8 blocks, a power of two), and no group spanning two
    /// threads' ranges.
    /// </summary>
    public static int ChooseGroupBlocks(CubaNetwork network, ReadOnlySpan<int> firstBlocks)
    {
        var meanPerBlock = network.Synapses / (double)Math.Max(1, network.Parameters.Neurons) / network.Blocks;
        var wanted = meanPerBlock <= 0 ? 8 : (int)Math.Clamp(16 / meanPerBlock, 1, 8);
        var group = (int)BitOperations.RoundUpToPowerOf2((uint)wanted + 1) / 2; // largest power of two <= wanted
        foreach (var first in firstBlocks)
            while (first % group != 0) group /= 2;
        return group;
    }

    /// <summary>
    /// Bucket capacity for routing the spikes of <paramref name="senders"/> sources: a step of 1 in 500
    /// of them spiking (20 Hz at dt = 0.1 ms, several times CUBA's rate) fits; busier steps use the cut.
    /// </summary>
    public static int ChooseCapacity(CubaNetwork network, int senders, int groupBlocks)
    {
        var meanDegree = network.Synapses / (double)Math.Max(1, network.Parameters.Neurons);
        var perGroup = senders / 500.0 * meanDegree * groupBlocks / network.Blocks;
        return (int)Math.Clamp(Math.Ceiling(perGroup), 1024, 1 << 24);
    }

    /// <summary>
    /// Starts a step: <paramref name="spikes"/> will hold its ascending spikes, routed piece by piece
    /// with <see cref="Route"/>; it must stay unchanged until every group is flushed. The buckets must be
    /// empty (every group flushed since the last step).
    /// </summary>
    public void Begin(int[] spikes)
    {
        _spikes = spikes;
        _progress[Routed] = 0;
    }

    /// <summary>
    /// Routes the spikes of the list from where the last call stopped up to (not including)
    /// <paramref name="end"/> into the buckets. Returns the synaptic events.
    /// </summary>
    public long Route(int end)
    {
        var routed = _progress[Routed];
        if (end <= routed) return 0;
        var events = _network.BlockEnds switch
        {
            byte[] ends => Route(ends, routed, end),
            ushort[] ends => Route(ends, routed, end),
            int[] ends => Route(ends, routed, end),
            _ => throw new InvalidOperationException("a router needs more than one block (block ends of a known width)"),
        };
        _progress[Routed] = end;
        return events;
    }

    /// <summary>
    /// Adds the entries routed to group <paramref name="group"/> since its last flush into ge (weight
    /// <paramref name="weightE"/>) and gi (<paramref name="weightI"/>), then the routed spikes past each
    /// bucket's cut, and empties its buckets.
    /// </summary>
    public void Flush(int group, float weightE, float weightI)
    {
        Flush(group * 2, _ge, weightE, excitatory: true);
        Flush(group * 2 + 1, _gi, weightI, excitatory: false);
    }

    private void Flush(int slot, float[] g, float weight, bool excitatory)
    {
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(g);
        var length = _lengths[slot];
        if (length > 0) CubaDelivery.AddAll(ref g0, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), slot * _stride), length, weight);
        _lengths[slot] = 0;
        var cut = _cuts[slot];
        if (cut == NoCut) return;
        _cuts[slot] = NoCut;
        var group = slot / 2;
        var firstBlock = group * _groupBlocks;
        var endBlock = Math.Min(_network.Blocks, firstBlock + _groupBlocks);
        for (int k = cut, routed = _progress[Routed]; k < routed; k++)
        {
            var pre = _spikes[k];
            if (pre < _excitatoryNeurons != excitatory) continue;
            var start = _network.FanOutStart[pre];
            for (var block = firstBlock; block < endBlock; block++)
            {
                int from = block == 0 ? 0 : _network.BlockEnd(pre, block - 1), to = _network.BlockEnd(pre, block);
                ref var blockStart = ref Unsafe.Add(ref g0, _network.BlockStart(block));
                for (var s = start + from; s < start + to; s++) Unsafe.Add(ref blockStart, _network.TargetOffsets[s]) += weight;
            }
        }
    }

    private long Route<TEnd>(TEnd[] ends, int first, int end) where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        ref var o0 = ref MemoryMarshal.GetArrayDataReference(_network.TargetOffsets);
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(_network.FanOutStart);
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(ends);
        var stride = (nint)(_network.Blocks - 1);
        long events = 0;
        for (var chunk = first; chunk < end; chunk += TouchAhead)
        {
            var group = Math.Min(TouchAhead, end - chunk);
            Touch(chunk, group, ref s0, ref o0, ref e0, stride);
            for (var k = chunk; k < chunk + group; k++)
            {
                var pre = _spikes[k];
                events += RouteOne(pre, pre < _excitatoryNeurons ? 0 : 1, k, ref s0, ref o0, ref e0, stride);
            }
        }
        return events;
    }

    /// <summary>
    /// Loads one word of every cache line of the rows of spikes [<paramref name="first"/>,
    /// <paramref name="first"/> + <paramref name="count"/>) in a loop with no dependence between its
    /// iterations, so the processor has many of these cache misses in flight at once; routing them
    /// then finds their rows in cache. (A large network's rows lie far apart in memory: visited one
    /// by one, each miss would wait for the last.)
    /// </summary>
    private void Touch<TEnd>(int first, int count, ref int s0, ref ushort o0, ref TEnd e0, nint stride)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        var sink = 0;
        for (var k = first; k < first + count; k++)
        {
            var pre = _spikes[k];
            int from = Unsafe.Add(ref s0, pre), to = Unsafe.Add(ref s0, pre + 1);
            if (stride > 0)
            {
                ref var row = ref Unsafe.Add(ref e0, pre * stride);
                sink += int.CreateTruncating(row) + int.CreateTruncating(Unsafe.Add(ref row, stride - 1));
            }
            // Every 64 bytes, and the last entry: a row that does not start on a line boundary ends one line further.
            for (var s = from; s < to; s += 32) sink += Unsafe.Add(ref o0, s);
            if (to > from) sink += Unsafe.Add(ref o0, to - 1);
        }
        _progress[Touched] = sink;
    }

    /// <summary>Appends the synapses of <paramref name="pre"/> (the <paramref name="index"/>-th spike of the list) to every group's bucket of its kind; returns how many.</summary>
    private int RouteOne<TEnd>(int pre, int kind, int index, ref int s0, ref ushort o0, ref TEnd e0, nint stride)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        var start = Unsafe.Add(ref s0, pre);
        var degree = Unsafe.Add(ref s0, pre + 1) - start;
        ref var row = ref Unsafe.Add(ref e0, pre * stride);
        ref var source = ref Unsafe.Add(ref o0, start);
        ref var lengths = ref MemoryMarshal.GetArrayDataReference(_lengths);
        ref var cuts = ref MemoryMarshal.GetArrayDataReference(_cuts);
        ref var buckets = ref MemoryMarshal.GetArrayDataReference(_buckets);
        var blocks = _network.Blocks;
        var blockNeurons = _network.BlockNeurons;
        var from = 0;
        for (int group = 0, slot = kind, firstBlock = 0; group < _groups; group++, slot += 2, firstBlock += _groupBlocks)
        {
            var endBlock = Math.Min(blocks, firstBlock + _groupBlocks);
            var to = endBlock == blocks ? degree : int.CreateTruncating(Unsafe.Add(ref row, endBlock - 1));
            var count = to - from;
            ref var length = ref Unsafe.Add(ref lengths, slot);
            if (length + count > _capacity || Unsafe.Add(ref cuts, slot) != NoCut)
            {
                // This bucket is full: it and the rest of this kind's spikes wait for the flush.
                if (Unsafe.Add(ref cuts, slot) == NoCut) Unsafe.Add(ref cuts, slot) = index;
            }
            else
            {
                ref var bucket = ref Unsafe.Add(ref buckets, slot * _stride + length);
                Widen(ref source, from, count, ref row, firstBlock, endBlock, blockNeurons, ref bucket);
                length += count;
            }
            from = to;
        }
        return degree;
    }

    /// <summary>
    /// Writes the neuron index of entries [<paramref name="from"/>, + <paramref name="count"/>) of a
    /// source's row, which fall in blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>),
    /// to <paramref name="bucket"/>. The vector path writes whole vectors of sixteen (the excess lands
    /// in the bucket's slack and is overwritten later) and reads up to fifteen entries past the run
    /// (the synapse array carries padding for that).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen<TEnd>(ref ushort source, int from, int count, ref TEnd row, int firstBlock, int endBlock, int blockNeurons, ref int bucket)
        where TEnd : unmanaged, IBinaryInteger<TEnd>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var step = Vector512.Create(Vector512<int>.Count);
            var position = Vector512.Create(from) + Vector512<int>.Indices;
            var firstBase = Vector512.Create(firstBlock * blockNeurons);
            var size = Vector512.Create(blockNeurons);
            for (var k = 0; k < count; k += Vector512<int>.Count)
            {
                var offsets = Vector512.WidenLower(Vector512.Create(Vector256.LoadUnsafe(ref source, (nuint)(from + k)), Vector256<ushort>.Zero)).AsInt32();
                // A lane's block: the first block plus the number of block ends at or before its position.
                var baseIndex = firstBase;
                for (var block = firstBlock; block < endBlock - 1; block++)
                {
                    var end = Vector512.Create(int.CreateTruncating(Unsafe.Add(ref row, block)));
                    baseIndex += size & Vector512.GreaterThanOrEqual(position, end);
                }
                (baseIndex + offsets).StoreUnsafe(ref bucket, (nuint)k);
                position += step;
            }
            return;
        }
        var at = 0;
        for (var block = firstBlock; block < endBlock; block++)
        {
            var end = block == endBlock - 1 ? from + count : int.CreateTruncating(Unsafe.Add(ref row, block));
            var blockBase = block * blockNeurons;
            for (var k = at + from; k < end; k++) Unsafe.Add(ref bucket, at++) = blockBase + Unsafe.Add(ref source, k);
        }
    }
}
