using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Memory;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One node's work of one step, as the timing pass consumes it. A record and its groups' records are made together,
/// record after record of a step (<see cref="StepWorkQueue"/>), so a step's records lie in one stretch of memory; a
/// crossbar's groups with reads take its group records in order, and their reads and packets fill <see cref="Active"/>
/// and <see cref="Packets"/> from the start (<see cref="GroupWork"/>).
/// </summary>
internal sealed class NodeWork
{
    /// <summary>A record of a node with <paramref name="slices"/> core slices and these macro groups (crossbar).</summary>
    /// <param name="slices">Core slices of the node.</param>
    /// <param name="groups">Macro groups of the node.</param>
    /// <param name="rowTable">The node's spikes go through a row-address table (compacted word lines): each spike packet's spikes are kept.</param>
    public NodeWork(int slices, IReadOnlyList<MacroGroup> groups, bool rowTable)
    {
        SliceUpdates = new int[slices];
        Groups = new GroupWork[groups.Count];
        Active = new GroupWork.Read[groups.Sum(g => g.Macros.Length)];
        Packets = new GroupWork.Packet[groups.Sum(g => g.SourceTiles.Length + g.TargetTiles.Length)];
        Spikes = rowTable ? new int[Packets.Length] : [];
    }

    /// <summary>Crossbar: the neuron core's additions (row blocks' partial sums, biases); digital node: its operations.</summary>
    public long Operations;

    /// <summary>Crossbar: how many of <see cref="Groups"/> are this step's.</summary>
    public int GroupCount;

    /// <summary>Population: neurons its core updates, per slice (<see cref="ChipNode.Slices"/>).</summary>
    public readonly int[] SliceUpdates;

    /// <summary>Crossbar: the records of the groups with reads, in the order their first macro worked (<see cref="StepTraffic.Assemble"/>); the first <see cref="GroupCount"/> are this step's.</summary>
    public readonly GroupWork[] Groups;

    /// <summary>Crossbar: the step's reads, group after group.</summary>
    public readonly GroupWork.Read[] Active;

    /// <summary>Crossbar: the step's packets, group after group (each group's inbound, then its outbound).</summary>
    public readonly GroupWork.Packet[] Packets;

    /// <summary>Crossbar with a row-address table: the spikes of each inbound packet of <see cref="Packets"/>, at its index; else empty.</summary>
    public readonly int[] Spikes;
}

/// <summary>
/// The work the function pass leaves for the timing pass, node by node and step by step. With
/// pipelined execution the function pass of step t+1 runs when the step's input is admitted, while
/// the units are still busy with step t and earlier; with a producer thread (<see cref="ChipExecutor"/>
/// at two threads) the function pass runs up to <see cref="Capacity"/> steps ahead of the timing. So the
/// timing never reads the function's live state (a crossbar's worked macros, a population's update
/// flags): each node takes its captured work of a step when it starts the step (<see cref="StepWorkCursor.Start"/>)
/// and hands it back when done (<see cref="StepWorkCursor.Finish"/>). Each node works on one step at a time: the
/// record of its oldest unfinished step is its current work (<see cref="StepWorkCursor.Current"/>; each timing engine has its cursor), its groups' work
/// of that step included (the engine keeps each group's work of the step at hand).
/// <para>
/// Records live in per-node rings indexed by the step's number since construction (steps run on from
/// sample to sample). A record of step s is free again once every node has finished step s
/// (<see cref="Completed"/>, which the executor advances as steps complete, in order). Between two
/// threads this is a single-producer / single-consumer ring: only the producer writes records of
/// steps not yet <see cref="Captured"/> and advances <see cref="Captured"/> (a release: the records
/// are complete before the count says so); only the kernel thread reads records of captured steps
/// and advances <see cref="Completed"/>; the producer captures step s only when
/// s - <see cref="Completed"/> &lt; <see cref="Capacity"/> (it waits for room before computing the step), so it never
/// writes a record the timing still reads. The rings are preallocated and never grow while two threads run; a
/// single-threaded run may grow them (more steps in flight in a pipelined run than ever before), as
/// nothing else reads them then. Nothing is allocated per step.
/// </para>
/// <para>
/// What crosses between the cores is kept small (measured, docs/performance.md: a ring of scattered, lazily made
/// records cost the producer twice its one-thread capture time): a record holds only what the timing reads (the
/// groups' reads and packets, a population's slice updates, an operation count), every record of a step is made
/// with the others of its step, in one stretch of memory, and the producer reads nothing the kernel writes while
/// it captures (<see cref="StepTraffic"/> keeps its own copies of the groups' shape and the routes' hops).
/// </para>
/// </summary>
internal sealed class StepWorkQueue
{
    private readonly ChipNode[] _nodes;
    private readonly CoreSlice[][] _slices;
    private readonly CrossbarRuntime?[] _crossbars;
    private readonly byte[][] _updated;
    private readonly bool[] _allUpdated;
    private readonly long[] _digitalWork;
    private readonly MacroGroup[][] _groupsOf;         // per node: its macro groups, in the node's order
    private readonly NodeWork[][] _ring;               // per node: the record of step s at s & (Capacity - 1)
    private readonly bool _growable;
    private readonly StepTraffic _traffic;
    // Kernel thread, two threads: per node, per slot, where the record's parts are (read-only after construction, so
    // reading it costs no line from the other core, unlike the record's own fields).
    private readonly RecordParts[][]? _parts;
    // The two threads' last reads of the other's count (the kernel's of Captured, the producer's of Completed), each on a
    // line of its own: each thread writes its cursor every step, next to fields the other reads.
    private PaddedLong _kernelSeen, _producerSeen;
    // Per node: the step whose crossbar work TakeCrossbar has taken (-1: none).
    private readonly long[] _taken;

    /// <summary>Reads the function pass's results from these (per node; updated in place every step).</summary>
    /// <param name="nodes">The program's nodes.</param>
    /// <param name="crossbars">Per node, its crossbar runtime (crossbar nodes).</param>
    /// <param name="updated">Per population, its neurons' update flags.</param>
    /// <param name="allUpdated">Per population, whether every neuron was updated.</param>
    /// <param name="digitalWork">Per digital node, its operations.</param>
    /// <param name="capacity">Steps a ring holds (rounded up to a power of two).</param>
    /// <param name="growable">Grow a full ring instead of failing (one thread only).</param>
    /// <param name="traffic">Assembles each crossbar step's groups and packets.</param>
    public StepWorkQueue(IReadOnlyList<ChipNode> nodes, CrossbarRuntime?[] crossbars, byte[][] updated, bool[] allUpdated, long[] digitalWork,
        int capacity, bool growable, StepTraffic traffic)
    {
        (_crossbars, _updated, _allUpdated, _digitalWork) = (crossbars, updated, allUpdated, digitalWork);
        _traffic = traffic;
        // Arrays, not the program's read-only lists: the capture runs every step (no enumerator, no interface calls).
        _nodes = nodes.ToArray();
        _slices = _nodes.Select(x => x.Slices.ToArray()).ToArray();
        _groupsOf = _nodes.Select(x => traffic.GroupsOf(x.Index)).ToArray();
        var n = nodes.Count;
        Capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity));
        _growable = growable;
        // Every record is made now (the producer and the kernel never race on a ring's slots array), step by step: a
        // step's records, all nodes' and their groups', lie together.
        _ring = _nodes.Select(_ => new NodeWork[Capacity]).ToArray();
        for (var slot = 0; slot < Capacity; slot++)
            for (var i = 0; i < n; i++) _ring[i][slot] = NewRecord(i);
        if (!growable) _parts = _ring.Select(r => r.Select(w => new RecordParts(w)).ToArray()).ToArray();
        _taken = Enumerable.Repeat(-1L, n).ToArray();
    }

    private NodeWork NewRecord(int node) => new(_slices[node].Length, _groupsOf[node], _traffic.HasRowTable(node));

    /// <summary>
    /// An upper bound of the bytes one step's records take (every node's record with its groups', as when every group
    /// works): what a ring of many steps costs.
    /// </summary>
    public static long BytesPerStep(IReadOnlyList<ChipNode> nodes, IReadOnlyList<MacroGroup> groups) =>
        nodes.Sum(x => 96L + 3 * 24L + 4L * x.Slices.Count + 8L * groups.Count(g => g.Node == x.Index)) + GroupWork.Bytes(groups);

    /// <summary>Steps a ring holds: how far the function pass may run ahead of the oldest step not completed.</summary>
    public int Capacity { get; private set; }

    /// <summary>Steps captured so far (written by the function pass's thread, after their records).</summary>
    public StepProgress Captured { get; } = new();

    /// <summary>Steps every node has finished so far (written by the kernel's thread, in step order).</summary>
    public StepProgress Completed { get; } = new();

    /// <summary>
    /// True when the function pass may capture its next step now (a record is free in every ring). The count the kernel
    /// writes every step is read again only when the last one read leaves no room (a read is a line from the other core).
    /// </summary>
    public bool HasRoom
    {
        get
        {
            var captured = Captured.Value;
            return captured - _producerSeen.Value < Capacity || captured - (_producerSeen.Value = Completed.Value) < Capacity;
        }
    }

    /// <summary>Kernel thread: true when step <paramref name="step"/> (counted from construction) has been captured.</summary>
    public bool IsCaptured(long step) => step < _kernelSeen.Value || step < (_kernelSeen.Value = Captured.Value);

    /// <summary>Every node has finished the oldest step not completed: its records are free for a later step.</summary>
    public void Complete() => Completed.Advance(Completed.Value + 1);

    /// <summary>
    /// Takes crossbar node <paramref name="node"/>'s work of the step the function pass is computing, as soon as the node
    /// has computed it (its macros' counts were just written: still in this core's cache, which the population's integration
    /// of 48 KB and more evicts before <see cref="Capture"/>); <see cref="Capture"/> then leaves the node's record as it is.
    /// The record is written before the step is published, as <see cref="Capture"/> writes it: nothing reads it until then.
    /// </summary>
    public void TakeCrossbar(int node)
    {
        var step = Captured.Value;
        MakeRoom(step);
        TakeCrossbar(node, _ring[node][(int)(step & (Capacity - 1))]);
        _taken[node] = step;
    }

    private void TakeCrossbar(int i, NodeWork w)
    {
        var crossbar = _crossbars[i]!;
        w.Operations = crossbar.Additions + crossbar.BiasAdditions;
        // What of the step does not depend on time: its groups' reads and packets and the counts they imply.
        _traffic.Assemble(i, w, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(crossbar.Worked));
        // Taken: the macros' counts are cleared now, while Assemble has just brought their lines in.
        crossbar.ClearWorked();
    }

    /// <summary>A free record for step <paramref name="step"/> in every ring: grown if need be (one thread), else it must be free.</summary>
    private void MakeRoom(long step)
    {
        if (HasRoom) return;
        if (!_growable) throw new InvalidOperationException($"step {step} captured while {Capacity} steps are in flight: the ring is full");
        Grow();
    }

    /// <summary>Records every node's work of the step the function pass has just computed.</summary>
    public void Capture()
    {
        var step = Captured.Value;
        MakeRoom(step);
        var slot = (int)(step & (Capacity - 1));
        foreach (var node in _nodes)
        {
            var i = node.Index;
            var w = _ring[i][slot];
            switch (node.Kind)
            {
                case ChipNodeKind.Crossbar:
                    if (_taken[i] != step) TakeCrossbar(i, w);
                    break;
                case ChipNodeKind.Population:
                    w.Operations = 0;
                    var flags = _updated[i];
                    var slices = _slices[i];
                    for (var k = 0; k < slices.Length; k++)
                    {
                        var sl = slices[k];
                        // The flags are 0 or 1: counting the ones is a vectorised scan.
                        w.SliceUpdates[k] = _allUpdated[i] ? sl.Count : flags.AsSpan(sl.First, sl.Count).Count((byte)1);
                    }
                    break;
                case ChipNodeKind.Digital:
                    w.Operations = _digitalWork[i];
                    break;
                default:
                    w.Operations = 0;
                    break;
            }
        }
        Captured.Advance(step + 1);
    }

    /// <summary>Every ring twice as long, each record kept at its step's place (one thread only: nothing reads them meanwhile).</summary>
    private void Grow()
    {
        var (old, captured) = (Capacity, Captured.Value);
        Capacity *= 2;
        var grown = _ring.Select(_ => new NodeWork?[Capacity]).ToArray();
        for (var i = 0; i < _ring.Length; i++)
            for (var s = captured - old; s < captured; s++) grown[i][s & (Capacity - 1)] = _ring[i][s & (old - 1)];
        for (var k = 0; k < Capacity; k++)
            for (var i = 0; i < _ring.Length; i++) grown[i][k] ??= NewRecord(i);
        for (var i = 0; i < _ring.Length; i++) _ring[i] = grown[i]!;
    }

    /// <summary>The record of node <paramref name="node"/>'s work of step <paramref name="step"/> (a step in flight).</summary>
    public NodeWork Record(int node, long step) => _ring[node][step & (Capacity - 1)];

    /// <summary>Two threads: asks for the lines of node <paramref name="node"/>'s record of step <paramref name="step"/> (hints only).</summary>
    public void Prefetch(int node, long step)
    {
        if (_parts is not null) _parts[node][step & (Capacity - 1)].Prefetch();
    }

    /// <summary>
    /// Where a record's parts are, for prefetching them: the record and its arrays' first lines, and its first group
    /// records (the step's groups take them in order, so the first lines hold what a typical step uses).
    /// </summary>
    private readonly struct RecordParts(NodeWork w)
    {
        // Lines asked for at most, per part: a step of a big node reads more, and the rest comes as it is read.
        private const int Lines = 8;
        // The parts and their sizes, copied: reading the record's own fields, or an array's length, would wait for
        // the very lines the hints are for.
        private readonly NodeWork _w = w;
        private readonly GroupWork.Read[] _active = w.Active;
        private readonly GroupWork.Packet[] _packets = w.Packets;
        private readonly int[] _slices = w.SliceUpdates;
        private readonly GroupWork[] _groups = w.Groups;
        private readonly int[] _spikes = w.Spikes;
        private readonly int _activeBytes = w.Active.Length * Unsafe.SizeOf<GroupWork.Read>(), _packetBytes = w.Packets.Length * Unsafe.SizeOf<GroupWork.Packet>(),
            _sliceBytes = w.SliceUpdates.Length * sizeof(int), _groupBytes = w.Groups.Length * Unsafe.SizeOf<GroupWork>(),
            _spikeBytes = w.Spikes.Length * sizeof(int);

        /// <summary>Asks for the record's lines in the L2 cache (hints: nothing is read, nothing waits).</summary>
        public void Prefetch()
        {
            CachePrefetch.IntoL2(ref _w.Operations);
            if (_activeBytes > 0) Ask(ref Unsafe.As<GroupWork.Read, byte>(ref MemoryMarshal.GetArrayDataReference(_active)), _activeBytes);
            if (_packetBytes > 0) Ask(ref Unsafe.As<GroupWork.Packet, byte>(ref MemoryMarshal.GetArrayDataReference(_packets)), _packetBytes);
            if (_sliceBytes > 0) Ask(ref Unsafe.As<int, byte>(ref MemoryMarshal.GetArrayDataReference(_slices)), _sliceBytes);
            if (_groupBytes > 0) Ask(ref Unsafe.As<GroupWork, byte>(ref MemoryMarshal.GetArrayDataReference(_groups)), _groupBytes);
            // A row-address table's node: its spike packets' counts, read as the packets are sent.
            if (_spikeBytes > 0) Ask(ref Unsafe.As<int, byte>(ref MemoryMarshal.GetArrayDataReference(_spikes)), _spikeBytes);
        }

        private static void Ask(ref byte first, int bytes)
        {
            for (var k = 0; k < Lines && k * 64 < bytes; k++) CachePrefetch.IntoL2(ref Unsafe.AddByteOffset(ref first, k * 64));
        }
    }
}
