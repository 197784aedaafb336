using System.Numerics;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Draws a <see cref="CubaNetwork"/> in parallel and deterministically: sources are cut into fixed
/// chunks, each drawn from its own random stream and placed after the chunk before it, so neither
/// the thread count nor the order in which chunks finish changes a single synapse.
/// </summary>
internal static class CubaNetworkBuilder
{
    /// <summary>Sources per chunk (one random stream each); fixed, so the synapses never depend on threads.</summary>
    internal const int ChunkSources = 4096;

    /// <summary>Standard deviations of the synapse count allowed for when the synapse array is allocated (exceeded about once in 3.5 million networks).</summary>
    internal const double SlackDeviations = 5;

    public static CubaNetwork Build(CubaParameters parameters, ulong seed, int threads, int maxBlockNeurons, double slackDeviations = SlackDeviations)
    {
        parameters.Validate();
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be >= 1");
        if (maxBlockNeurons is < 1 or > CubaNetwork.MaxBlockNeurons)
            throw new ArgumentOutOfRangeException(nameof(maxBlockNeurons), maxBlockNeurons, $"a destination block holds 1 to {CubaNetwork.MaxBlockNeurons} neurons");
        var n = parameters.Neurons;
        var expected = (double)n * n * parameters.ConnectionProbability; // Validate refused counts one array cannot hold

        var blocks = DestinationBlocks(n, maxBlockNeurons);
        var blockNeurons = (n + blocks - 1) / blocks;
        CheckBlockEnds(n, blocks);
        var shape = new Shape(parameters, seed, blocks, blockNeurons, threads);

        // The narrowest block-end type that holds every out-degree; a wider one is tried only if a
        // degree overflows (the same streams give the same synapses on the retry).
        var offsets = CubaLargeArrays.Allocate<ushort>(Capacity(expected, parameters.ConnectionProbability, slackDeviations), zeroed: false);
        return TryBuild<byte>(shape, offsets) ?? TryBuild<ushort>(shape, offsets) ?? TryBuild<int>(shape, offsets)
            ?? throw new InvalidOperationException("out-degree exceeds the range of int");
    }

    /// <summary>
    /// Destination blocks of at most <paramref name="maxBlockNeurons"/> neurons for <paramref name="n"/> neurons;
    /// several are rounded up to a multiple of 8, so 2, 4 or 8 threads get equal shares, then cut evenly.
    /// </summary>
    internal static int DestinationBlocks(int n, int maxBlockNeurons)
    {
        var blocks = (n + maxBlockNeurons - 1) / maxBlockNeurons;
        if (blocks > 1) blocks = (blocks + 7) / 8 * 8;
        var blockNeurons = (n + blocks - 1) / blocks;
        return (n + blockNeurons - 1) / blockNeurons;
    }

    /// <summary>Block ends are one array of (blocks - 1) entries per source: refuses a size it cannot hold, before anything is drawn.</summary>
    /// <exception cref="ArgumentException">More block ends than one array holds.</exception>
    internal static void CheckBlockEnds(int n, int blocks)
    {
        var blockEnds = (long)n * (blocks - 1);
        if (blockEnds > Array.MaxLength)
            throw new ArgumentException($"{n} neurons in {blocks} destination blocks need {blockEnds:E2} block ends, more than one array holds ({Array.MaxLength})");
    }

    /// <summary>
    /// Length of the synapse array, allocated before anything is drawn: the expected synapse count plus
    /// <paramref name="slackDeviations"/> standard deviations of it (binomial) and the read padding.
    /// The slack is small (0.03 % of the array at 4 M neurons); a network that draws more is copied once more.
    /// </summary>
    private static int Capacity(double expected, double p, double slackDeviations)
    {
        var capacity = expected + slackDeviations * Math.Sqrt(expected * (1 - p)) + CubaNetwork.ReadPadding;
        return (int)Math.Clamp(Math.Ceiling(capacity), CubaNetwork.ReadPadding, Array.MaxLength);
    }

    private sealed record Shape(CubaParameters Parameters, ulong Seed, int Blocks, int BlockNeurons, int Threads)
    {
        public int Neurons => Parameters.Neurons;
        public int Chunks => (Neurons + ChunkSources - 1) / ChunkSources;
    }

    private static CubaNetwork? TryBuild<TEnd>(Shape shape, ushort[] offsets) where TEnd : unmanaged, IBinaryInteger<TEnd>, IMinMaxValue<TEnd>
    {
        var n = shape.Neurons;
        var start = CubaLargeArrays.Allocate<int>(n + 1, zeroed: false); // out-degrees first (at pre + 1), then prefix sums per chunk
        start[0] = 0;
        var ends = shape.Blocks > 1 ? CubaLargeArrays.Allocate<TEnd>(checked(n * (shape.Blocks - 1)), zeroed: false) : null; // every entry is drawn
        var placement = new CubaChunkPlacement(shape.Chunks);
        var spills = new ushort[shape.Chunks][];
        var leftovers = new List<DrawnChunk>();
        var meanDegree = n * shape.Parameters.ConnectionProbability;
        var scratchLength = (int)Math.Min(Array.MaxLength, 64 + ChunkSources * (meanDegree + 6 * Math.Sqrt(meanDegree) + 8));
        var next = -1;
        var overflow = 0;

        // Each thread takes the next chunk in order, draws it into a scratch buffer of its own and
        // copies it to its place in the synapse array as soon as the chunks before it are drawn: the
        // synapse array is the only large memory written, and written once.
        Parallel.For(0, Math.Min(shape.Threads, shape.Chunks), new ParallelOptions { MaxDegreeOfParallelism = shape.Threads }, _ =>
        {
            var free = new Stack<ushort[]>();
            var pending = new List<DrawnChunk>();
            int chunk;
            while (Volatile.Read(ref overflow) == 0 && (chunk = Interlocked.Increment(ref next)) < shape.Chunks)
            {
                var (buffer, count) = DrawChunk(shape, chunk, start, ends, free.Count > 0 ? free.Pop() : new ushort[scratchLength]);
                if (count < 0) { Volatile.Write(ref overflow, 1); return; }
                pending.Add(new DrawnChunk(chunk, buffer, count));
                var placed = placement.Report(chunk, count);
                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    if (pending[i].Chunk >= placed) continue;
                    Place(shape, pending[i], placement, start, offsets, spills);
                    free.Push(pending[i].Buffer);
                    pending.RemoveAt(i);
                }
            }
            lock (leftovers) leftovers.AddRange(pending);
        });
        if (overflow != 0) return null;
        // Chunks whose predecessors were still being drawn when their thread ran out of work.
        foreach (var drawn in leftovers) Place(shape, drawn, placement, start, offsets, spills);

        var total = placement.Total;
        if (total > Array.MaxLength - CubaNetwork.ReadPadding) throw new ArgumentException($"{n} neurons drew {total} synapses, more than one array holds ({Array.MaxLength})");
        offsets = Finish(offsets, (int)total, placement, spills);
        return new CubaNetwork(shape.Parameters, shape.BlockNeurons, shape.Blocks, start, offsets, ends);
    }

    /// <summary>A chunk drawn into a thread's buffer, waiting for its place.</summary>
    private readonly record struct DrawnChunk(int Chunk, ushort[] Buffer, int Count);

    /// <summary>
    /// Copies a drawn chunk to its place and turns its sources' out-degrees into fan-out starts. A
    /// chunk that would run past the array (more synapses than its size allowed for) is kept aside.
    /// </summary>
    private static void Place(Shape shape, DrawnChunk drawn, CubaChunkPlacement placement, int[] start, ushort[] offsets, ushort[]?[] spills)
    {
        var at = placement.StartOf(drawn.Chunk);
        var synapses = drawn.Buffer.AsSpan(0, drawn.Count);
        if (at + drawn.Count <= offsets.Length - CubaNetwork.ReadPadding) synapses.CopyTo(offsets.AsSpan((int)at));
        else spills[drawn.Chunk] = synapses.ToArray();
        var running = at;
        var last = Math.Min(shape.Neurons, (drawn.Chunk + 1) * ChunkSources);
        for (var pre = drawn.Chunk * ChunkSources; pre < last; pre++)
        {
            running += start[pre + 1];
            start[pre + 1] = (int)Math.Min(running, int.MaxValue);
        }
    }

    /// <summary>
    /// The synapse array in its final form: the synapses, then zeros (the read padding and the unused
    /// rest of the size allowed for). Chunks kept aside, if any, go with the others into a new array of
    /// exactly the right length; so does a small network's, so that a small array carries no slack.
    /// </summary>
    private static ushort[] Finish(ushort[] offsets, int total, CubaChunkPlacement placement, ushort[]?[] spills)
    {
        var firstSpill = Array.FindIndex(spills, s => s is not null);
        var length = total + CubaNetwork.ReadPadding;
        if (firstSpill < 0 && (offsets.Length == length || (long)offsets.Length * sizeof(ushort) >= CubaLargeArrays.Threshold))
        {
            offsets.AsSpan(total).Clear();
            return offsets;
        }
        var exact = CubaLargeArrays.Allocate<ushort>(length, zeroed: false);
        var placed = firstSpill < 0 ? total : (int)placement.StartOf(firstSpill);
        offsets.AsSpan(0, placed).CopyTo(exact);
        for (var chunk = Math.Max(firstSpill, 0); firstSpill >= 0 && chunk < spills.Length; chunk++)
            spills[chunk]!.CopyTo(exact.AsSpan((int)placement.StartOf(chunk)));
        exact.AsSpan(total).Clear();
        return exact;
    }

    /// <summary>
    /// Draws the synapses of one chunk's sources into <paramref name="scratch"/> (grown if needed):
    /// targets skip ahead by geometric gaps, so they come out sorted and grouped by block. Returns the
    /// buffer and the number of synapses, or -1 if an out-degree does not fit <typeparamref name="TEnd"/>.
    /// </summary>
    private static (ushort[] Buffer, int Count) DrawChunk<TEnd>(Shape shape, int chunk, int[] degrees, TEnd[]? ends, ushort[] scratch)
        where TEnd : unmanaged, IBinaryInteger<TEnd>, IMinMaxValue<TEnd>
    {
        var n = shape.Neurons;
        var p = shape.Parameters.ConnectionProbability;
        var gaps = new GeometricGaps(DeterministicRandom.ForComponent(shape.Seed, $"cuba.connectivity/{chunk}"), p);
        var maxDegree = int.CreateSaturating(TEnd.MaxValue);
        var stride = shape.Blocks - 1;
        var blockNeurons = shape.BlockNeurons;
        var count = 0;
        var last = Math.Min(n, (chunk + 1) * ChunkSources);
        // Targets spread over every block of a large network (64 blocks at 4 M neurons, about one block
        // boundary per synapse), so a target's block is found by division, not by a branch per boundary,
        // and a row's block ends are summed from a count per block once the row is drawn.
        var divider = new ExactDivisor(blockNeurons);
        var perBlock = new int[shape.Blocks];
        // The gaps run on from one source to the next: a source's row starts where the previous one ended in the batch.
        ReadOnlySpan<long> batch = default;
        var at = 0;
        for (var pre = chunk * ChunkSources; pre < last; pre++)
        {
            var first = count;
            if (p > 0)
            {
                var post = -1L;
                while (true)
                {
                    if (at == batch.Length)
                    {
                        batch = gaps.NextBatch();
                        at = 0;
                        // Room for the whole batch, so that no synapse needs to check (one gap gives at most one synapse).
                        if (scratch.Length - count < batch.Length) Array.Resize(ref scratch, (int)Math.Min(Array.MaxLength, 2L * scratch.Length + batch.Length));
                    }
                    post += 1 + batch[at++];
                    if (post >= n) break;
                    var block = (int)divider.Floor(post);
                    perBlock[block]++;
                    scratch[count++] = (ushort)((int)post - block * blockNeurons);
                }
            }
            var degree = count - first;
            if (degree > maxDegree) return (scratch, -1);
            if (stride > 0)
            {
                var row = ends.AsSpan(pre * stride, stride); // n * stride fits an int (the array was allocated so)
                var running = 0;
                for (var b = 0; b < row.Length; b++)
                {
                    running += perBlock[b];
                    row[b] = TEnd.CreateTruncating(running);
                }
                Array.Clear(perBlock);
            }
            degrees[pre + 1] = degree;
        }
        return (scratch, count);
    }

}
