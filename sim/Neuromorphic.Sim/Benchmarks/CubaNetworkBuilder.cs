using System.Numerics;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Draws a <see cref="CubaNetwork"/> in parallel and deterministically: sources are cut into fixed
/// chunks, each drawn from its own random stream into its own buffer, so neither the thread count
/// nor the order in which chunks finish changes a single synapse.
/// </summary>
internal static class CubaNetworkBuilder
{
    /// <summary>Sources per chunk (one random stream each); fixed, so the synapses never depend on threads.</summary>
    internal const int ChunkSources = 4096;

    public static CubaNetwork Build(CubaParameters parameters, ulong seed, int threads, int maxBlockNeurons)
    {
        parameters.Validate();
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be >= 1");
        if (maxBlockNeurons is < 1 or > CubaNetwork.MaxBlockNeurons)
            throw new ArgumentOutOfRangeException(nameof(maxBlockNeurons), maxBlockNeurons, $"a destination block holds 1 to {CubaNetwork.MaxBlockNeurons} neurons");
        var n = parameters.Neurons;
        var expected = (double)n * n * parameters.ConnectionProbability;
        if (expected > Array.MaxLength * 0.95)
            throw new ArgumentException($"{n} neurons would draw about {expected:E2} synapses, more than one array holds ({Array.MaxLength})");

        var blocks = (n + maxBlockNeurons - 1) / maxBlockNeurons;
        // Several blocks: round their number up to a multiple of 8, so 2, 4 or 8 threads get equal shares.
        if (blocks > 1) blocks = (blocks + 7) / 8 * 8;
        var blockNeurons = (n + blocks - 1) / blocks;
        blocks = (n + blockNeurons - 1) / blockNeurons;
        var shape = new Shape(parameters, seed, blocks, blockNeurons, threads);

        // The narrowest block-end type that holds every out-degree; a wider one is tried only if a
        // degree overflows (the same streams give the same synapses on the retry).
        return TryBuild<byte>(shape) ?? TryBuild<ushort>(shape) ?? TryBuild<int>(shape)
            ?? throw new InvalidOperationException("out-degree exceeds the range of int");
    }

    private sealed record Shape(CubaParameters Parameters, ulong Seed, int Blocks, int BlockNeurons, int Threads)
    {
        public int Neurons => Parameters.Neurons;
        public int Chunks => (Neurons + ChunkSources - 1) / ChunkSources;
    }

    private static CubaNetwork? TryBuild<TEnd>(Shape shape) where TEnd : unmanaged, IBinaryInteger<TEnd>, IMinMaxValue<TEnd>
    {
        var n = shape.Neurons;
        var start = CubaLargeArrays.Allocate<int>(n + 1, zeroed: true); // out-degrees first (at pre + 1), prefix sums later
        var ends = shape.Blocks > 1 ? CubaLargeArrays.Allocate<TEnd>(checked(n * (shape.Blocks - 1)), zeroed: false) : null; // every entry is drawn
        var chunkTargets = new ushort[shape.Chunks][];
        var overflow = 0;
        var meanDegree = n * shape.Parameters.ConnectionProbability;
        var scratchLength = (int)Math.Min(Array.MaxLength, 64 + ChunkSources * (meanDegree + 6 * Math.Sqrt(meanDegree) + 8));
        var options = new ParallelOptions { MaxDegreeOfParallelism = shape.Threads };

        Parallel.For(0, shape.Chunks, options, () => new ushort[scratchLength], (chunk, state, scratch) =>
        {
            var (drawn, count) = DrawChunk(shape, chunk, start, ends, scratch);
            if (count < 0) { Volatile.Write(ref overflow, 1); state.Stop(); }
            else chunkTargets[chunk] = drawn.AsSpan(0, count).ToArray();
            return drawn; // the (possibly grown) scratch, reused for the thread's next chunk
        }, _ => { });
        if (overflow != 0) return null;

        long total = 0;
        for (var pre = 0; pre < n; pre++)
        {
            total += start[pre + 1];
            start[pre + 1] = (int)Math.Min(total, int.MaxValue);
        }
        if (total > Array.MaxLength - CubaNetwork.ReadPadding) throw new ArgumentException($"{n} neurons drew {total} synapses, more than one array holds ({Array.MaxLength})");

        var offsets = CubaLargeArrays.Allocate<ushort>((int)total + CubaNetwork.ReadPadding, zeroed: false);
        offsets.AsSpan((int)total).Clear();
        Parallel.For(0, shape.Chunks, options, chunk =>
            chunkTargets[chunk].CopyTo(offsets.AsSpan(start[chunk * ChunkSources])));
        return new CubaNetwork(shape.Parameters, shape.BlockNeurons, shape.Blocks, start, offsets, ends);
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
        for (var pre = chunk * ChunkSources; pre < last; pre++)
        {
            var first = count;
            var block = 0;
            var blockStart = 0;
            var row = (long)pre * stride;
            if (p > 0)
            {
                for (var post = gaps.Next(); post < n; post += 1 + gaps.Next())
                {
                    while (post >= blockStart + blockNeurons)
                    {
                        ends![row + block++] = TEnd.CreateTruncating(Math.Min(count - first, maxDegree));
                        blockStart += blockNeurons;
                    }
                    if (count == scratch.Length) Array.Resize(ref scratch, (int)Math.Min(Array.MaxLength, 2L * scratch.Length));
                    scratch[count++] = (ushort)(post - blockStart);
                }
            }
            var degree = count - first;
            if (degree > maxDegree) return (scratch, -1);
            for (; block < stride; block++) ends![row + block] = TEnd.CreateTruncating(degree);
            degrees[pre + 1] = degree;
        }
        return (scratch, count);
    }

}
