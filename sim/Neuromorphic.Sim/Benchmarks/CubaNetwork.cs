namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// The CUBA connectivity: every ordered pair (pre, post) is connected with probability p,
/// self-connections allowed, as Brian2's <c>connect(p=...)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Laid out for delivery that keeps its speed as the network grows. The neurons are cut into
/// <see cref="Blocks"/> destination blocks of at most 65,536 neurons; a synapse stores its target as
/// a 16-bit offset within the target's block, so it costs 2 bytes. Each presynaptic neuron's
/// targets are sorted, hence grouped by block, and a small per-source row of block ends
/// (<see cref="BlockEnds"/>, one byte per block while out-degrees stay below 256) says where each
/// block's group starts. Delivery then walks one destination block at a time, so its writes land in
/// a slice of ge/gi that stays in the core's cache, and each block is integrated and added to by one
/// thread per step (no atomic adds; results independent of the thread count).
/// </para>
/// <para>
/// Every synapse of a population carries the same weight, so no weight is stored.
/// </para>
/// </remarks>
public sealed class CubaNetwork
{
    /// <summary>Largest destination block: its offsets must fit 16 bits.</summary>
    public const int MaxBlockNeurons = 1 << 16;

    internal CubaNetwork(CubaParameters parameters, int blockNeurons, int blocks, int[] fanOutStart, ushort[] targetOffsets, Array? blockEnds)
    {
        Parameters = parameters;
        BlockNeurons = blockNeurons;
        Blocks = blocks;
        FanOutStart = fanOutStart;
        TargetOffsets = targetOffsets;
        BlockEnds = blockEnds;
    }

    /// <summary>The parameters the network was built with.</summary>
    public CubaParameters Parameters { get; }

    /// <summary>Neurons per destination block (the last block may hold fewer).</summary>
    public int BlockNeurons { get; }

    /// <summary>Number of destination blocks.</summary>
    public int Blocks { get; }

    /// <summary>Start of each presynaptic neuron's synapses (length N + 1); its out-degree is the difference of neighbours.</summary>
    public int[] FanOutStart { get; }

    /// <summary>Entries after the last synapse's offset, so delivery may read whole vectors of sixteen past any row's end.</summary>
    internal const int ReadPadding = 16;

    /// <summary>Target of every synapse as an offset within its destination block, grouped by presynaptic neuron, ascending; then zeros: at least <see cref="ReadPadding"/> (the read padding), more on a large network whose array kept the slack it was allocated with.</summary>
    internal ushort[] TargetOffsets { get; }

    /// <summary>
    /// Per presynaptic neuron, <see cref="Blocks"/> - 1 entries: entry b is the number of its synapses whose
    /// target lies in blocks 0..b, the last block's end being the out-degree (<c>byte[]</c>, <c>ushort[]</c> or <c>int[]</c>, the narrowest that
    /// holds the largest out-degree); null with a single block.
    /// </summary>
    internal Array? BlockEnds { get; }

    /// <summary>Number of synapses.</summary>
    public long Synapses => FanOutStart[^1];

    /// <summary>Bytes held by the connectivity arrays.</summary>
    public long ConnectivityBytes =>
        TargetOffsets.LongLength * sizeof(ushort) + FanOutStart.LongLength * sizeof(int) + (BlockEnds is null ? 0 : (long)Buffer.ByteLength(BlockEnds));

    /// <summary>Out-degree of <paramref name="pre"/>.</summary>
    public int OutDegree(int pre) => FanOutStart[pre + 1] - FanOutStart[pre];

    /// <summary>First neuron of destination block <paramref name="block"/>.</summary>
    public int BlockStart(int block) => block * BlockNeurons;

    /// <summary>Writes the postsynaptic neurons of <paramref name="pre"/>, ascending, into <paramref name="destination"/> (at least <see cref="OutDegree"/> long).</summary>
    public void CopyTargets(int pre, Span<int> destination)
    {
        var from = FanOutStart[pre];
        var degree = FanOutStart[pre + 1] - from;
        if (destination.Length < degree) throw new ArgumentException($"the destination holds {destination.Length} targets, neuron {pre} has {degree}", nameof(destination));
        var block = 0;
        var end = BlockEnd(pre, 0);
        for (var k = 0; k < degree; k++)
        {
            while (k >= end) end = BlockEnd(pre, ++block);
            destination[k] = block * BlockNeurons + TargetOffsets[from + k];
        }
    }

    /// <summary>The postsynaptic neurons of <paramref name="pre"/>, ascending (allocates; for set-up and tests).</summary>
    public int[] TargetsOf(int pre)
    {
        var targets = new int[OutDegree(pre)];
        CopyTargets(pre, targets);
        return targets;
    }

    /// <summary>Number of synapses of <paramref name="pre"/> whose target lies in blocks 0..<paramref name="block"/>.</summary>
    internal int BlockEnd(int pre, int block)
    {
        if (block >= Blocks - 1) return OutDegree(pre);
        var index = (long)pre * (Blocks - 1) + block;
        return BlockEnds switch
        {
            byte[] b => b[index],
            ushort[] s => s[index],
            int[] i => i[index],
            _ => throw new InvalidOperationException("block ends missing for a network of several blocks"),
        };
    }

    /// <summary>
    /// Draws the connectivity from the run seed. Sources are drawn in fixed chunks, each from its own
    /// stream ("cuba.connectivity" and the chunk index), on up to <paramref name="threads"/> threads:
    /// the synapses are the same whatever the thread count.
    /// </summary>
    /// <param name="parameters">Network parameters.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="threads">Threads drawing chunks (at least 1).</param>
    /// <param name="maxBlockNeurons">Largest destination block (at most <see cref="MaxBlockNeurons"/>); smaller blocks let tests exercise several blocks on small networks.</param>
    public static CubaNetwork Build(CubaParameters parameters, ulong seed, int threads = 1, int maxBlockNeurons = MaxBlockNeurons) =>
        CubaNetworkBuilder.Build(parameters, seed, threads, maxBlockNeurons);
}
