using Neuromorphic.Arch.Mapping;

namespace Neuromorphic.Arch.Execution;

/// <summary>One macro's work of one step, as the timing pass consumes it.</summary>
internal sealed class MacroWork(MacroRuntime macro, MacroGroup group, int member)
{
    /// <summary>The macro.</summary>
    public MacroRuntime Macro { get; } = macro;

    /// <summary>Its group (the macros of its node on its tile), whose packets carry its spikes and sums.</summary>
    public MacroGroup Group { get; } = group;

    /// <summary>Per source tile of the macro, its slot in the group's <see cref="MacroGroup.SourceTiles"/>.</summary>
    public readonly int[] SourceSlots = group.SourceSlots(member);

    /// <summary>Per target tile of the macro, its slot in the group's <see cref="MacroGroup.TargetTiles"/>.</summary>
    public readonly int[] TargetSlots = group.TargetSlots(member);

    /// <summary>Row-group reads.</summary>
    public int Reads;

    /// <summary>Spikes it needs from each of <see cref="MacroRuntime.SourceTiles"/>.</summary>
    public readonly int[] SpikesFrom = new int[macro.SourceTiles.Length];

    /// <summary>Partial sums it sends to each of <see cref="MacroRuntime.TargetTiles"/>.</summary>
    public readonly int[] ValuesTo = new int[macro.TargetTiles.Length];
}

/// <summary>One node's work of one step, as the timing pass consumes it.</summary>
internal sealed class NodeWork(int slices, int macros, int groups)
{
    /// <summary>Crossbar: the neuron core's additions (row blocks' partial sums, biases); digital node: its operations.</summary>
    public long Operations;

    /// <summary>Crossbar: how many of its macros worked (<see cref="Macro"/>).</summary>
    public int MacroCount;

    /// <summary>Crossbar: per macro of the node (in the node's order), its work, made the first time it works in this record.</summary>
    public readonly MacroWork?[] ByMacro = new MacroWork?[macros];

    /// <summary>Crossbar: the macros that worked, in the order they did, as places in <see cref="ByMacro"/>.</summary>
    public readonly int[] Worked = new int[macros];

    /// <summary>Population: neurons its core updates, per slice (<see cref="ChipNode.Slices"/>).</summary>
    public readonly int[] SliceUpdates = new int[slices];

    /// <summary>The <paramref name="k"/>-th macro that worked.</summary>
    public MacroWork Macro(int k) => ByMacro[Worked[k]]!;

    /// <summary>Crossbar: per group of the node (in the node's order), its work, made the first time it works in this record.</summary>
    public readonly GroupWork?[] ByGroup = new GroupWork?[groups];

    /// <summary>Crossbar: the groups with reads, in the order their first macro worked (<see cref="StepTraffic.Assemble"/>).</summary>
    public readonly GroupWork[] Groups = new GroupWork[groups];

    /// <summary>Crossbar: how many of <see cref="Groups"/> are this step's.</summary>
    public int GroupCount;
}

/// <summary>
/// The work the function pass leaves for the timing pass, node by node and step by step. With
/// pipelined execution the function pass of step t+1 runs when the step's input is admitted, while
/// the units are still busy with step t and earlier; with a producer thread (<see cref="ChipExecutor"/>
/// at two threads) the function pass runs up to <see cref="Capacity"/> steps ahead of the timing. So the
/// timing never reads the function's live state (a crossbar's worked macros, a population's update
/// flags): each node takes its captured work of a step when it starts the step (<see cref="Start"/>)
/// and hands it back when done (<see cref="Finish"/>). Each node works on one step at a time: the
/// record of its oldest unfinished step is its current work (<see cref="Current"/>), its macros' work
/// of that step included (a group of macros keeps its work of the step at hand,
/// <see cref="MacroGroup.Work"/>).
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
/// nothing else reads them then. Records' macro work is made the first time a slot needs it and reused
/// after, so nothing is allocated per step.
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
    private readonly int[] _firstMacro, _macroCount;   // per node: its macros' indices are first .. first + count - 1
    private readonly MacroGroup[] _groupOf;            // per macro: its group
    private readonly int[] _memberOf;                  // per macro: its place in its group
    private readonly NodeWork?[][] _ring;              // per node: the record of step s at s & (Capacity - 1)
    private readonly long[] _taken;                    // per node: steps it has finished (kernel thread only)
    private readonly bool[] _started;                  // per node: its oldest unfinished step is its current one
    private readonly bool _growable;
    private long _capturedSeen;                        // kernel thread: Captured as last read (it only grows)
    private long _completedSeen;                       // producer thread: Completed as last read (it only grows)
    private readonly StepTraffic _traffic;

    /// <summary>Reads the function pass's results from these (per node; updated in place every step).</summary>
    /// <param name="nodes">The program's nodes.</param>
    /// <param name="macros">Every macro, indexed by <see cref="MacroRuntime.Index"/>; each node's macros are consecutive.</param>
    /// <param name="groupOf">Per macro, its group.</param>
    /// <param name="memberOf">Per macro, its place in its group.</param>
    /// <param name="crossbars">Per node, its crossbar runtime (crossbar nodes).</param>
    /// <param name="updated">Per population, its neurons' update flags.</param>
    /// <param name="allUpdated">Per population, whether every neuron was updated.</param>
    /// <param name="digitalWork">Per digital node, its operations.</param>
    /// <param name="capacity">Steps a ring holds (rounded up to a power of two).</param>
    /// <param name="growable">Grow a full ring instead of failing (one thread only).</param>
    /// <param name="traffic">Assembles each crossbar step's groups and packets.</param>
    public StepWorkQueue(IReadOnlyList<ChipNode> nodes, MacroRuntime[] macros, MacroGroup[] groupOf, int[] memberOf, CrossbarRuntime?[] crossbars,
        byte[][] updated, bool[] allUpdated, long[] digitalWork, int capacity, bool growable, StepTraffic traffic)
    {
        (_crossbars, _updated, _allUpdated, _digitalWork, _groupOf, _memberOf) = (crossbars, updated, allUpdated, digitalWork, groupOf, memberOf);
        _traffic = traffic;
        // Arrays, not the program's read-only lists: the capture runs every step (no enumerator, no interface calls).
        _nodes = nodes.ToArray();
        _slices = _nodes.Select(x => x.Slices.ToArray()).ToArray();
        var n = nodes.Count;
        (_firstMacro, _macroCount) = (new int[n], new int[n]);
        foreach (var m in macros)
        {
            if (_macroCount[m.Node]++ == 0) _firstMacro[m.Node] = m.Index;
            else if (m.Index != _firstMacro[m.Node] + _macroCount[m.Node] - 1) throw new ArgumentException($"node {m.Node}'s macros are not consecutive", nameof(macros));
        }
        Capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity));
        _growable = growable;
        // Every node's records are made now: the producer and the kernel never race on a ring's slots array.
        _ring = _nodes.Select(x => Enumerable.Range(0, Capacity).Select(_ => (NodeWork?)new NodeWork(x.Slices.Count, _macroCount[x.Index], _traffic.GroupsOf(x.Index))).ToArray()).ToArray();
        // Padded past the end: the kernel writes them every step, next to records the producer writes.
        (_taken, _started) = (new long[n + 8], new bool[n + 64]);
    }

    /// <summary>
    /// An upper bound of the bytes one step's records take (every node's record, and every macro's work made, as when every
    /// macro works, its group's packets included): what a ring of many steps costs.
    /// </summary>
    public static long BytesPerStep(IReadOnlyList<ChipNode> nodes, int macros) =>
        nodes.Sum(x => 64L + 4L * x.Slices.Count) + 12L * macros + 256L * macros;

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
            return captured - _completedSeen < Capacity || captured - (_completedSeen = Completed.Value) < Capacity;
        }
    }

    /// <summary>Kernel thread: true when step <paramref name="step"/> (counted from construction) has been captured.</summary>
    public bool IsCaptured(long step) => step < _capturedSeen || step < (_capturedSeen = Captured.Value);

    /// <summary>Every node has finished the oldest step not completed: its records are free for a later step.</summary>
    public void Complete() => Completed.Advance(Completed.Value + 1);

    /// <summary>Records every node's work of the step the function pass has just computed.</summary>
    public void Capture()
    {
        var step = Captured.Value;
        if (!HasRoom)
        {
            if (!_growable) throw new InvalidOperationException($"step {step} captured while {Capacity} steps are in flight: the ring is full");
            Grow();
        }
        var slot = (int)(step & (Capacity - 1));
        foreach (var node in _nodes)
        {
            var i = node.Index;
            var w = _ring[i][slot]!;
            w.Operations = 0;
            w.MacroCount = 0;
            switch (node.Kind)
            {
                case ChipNodeKind.Crossbar:
                    var crossbar = _crossbars[i]!;
                    var first = _firstMacro[i];
                    foreach (var m in crossbar.Worked)
                    {
                        var place = m.Index - first;
                        var mw = w.ByMacro[place] ??= new MacroWork(m, _groupOf[m.Index], _memberOf[m.Index]);
                        mw.Reads = m.Reads;
                        // A macro has a few source and target tiles: element copies beat a call to Array.Copy.
                        var (spikes, values) = (m.SpikesFrom, m.ValuesTo);
                        var (toSpikes, toValues) = (mw.SpikesFrom, mw.ValuesTo);
                        for (var k = 0; k < spikes.Length; k++) toSpikes[k] = spikes[k];
                        for (var k = 0; k < values.Length; k++) toValues[k] = values[k];
                        w.Worked[w.MacroCount++] = place;
                    }
                    w.Operations = crossbar.Additions + crossbar.BiasAdditions;
                    // What of the step does not depend on time: its groups' packets and the counts they imply.
                    _traffic.Assemble(i, w);
                    break;
                case ChipNodeKind.Population:
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
            }
        }
        Captured.Advance(step + 1);
    }

    /// <summary>Every ring twice as long, each record kept at its step's place (one thread only: nothing reads them meanwhile).</summary>
    private void Grow()
    {
        var (old, captured) = (Capacity, Captured.Value);
        Capacity *= 2;
        for (var i = 0; i < _ring.Length; i++)
        {
            var grown = new NodeWork?[Capacity];
            for (var s = captured - old; s < captured; s++) grown[s & (Capacity - 1)] = _ring[i][s & (old - 1)];
            for (var k = 0; k < Capacity; k++) grown[k] ??= new NodeWork(_nodes[i].Slices.Count, _macroCount[i], _traffic.GroupsOf(i));
            _ring[i] = grown;
        }
    }

    /// <summary>Node <paramref name="node"/> starts its oldest unfinished step: that work becomes its current one.</summary>
    public NodeWork Start(int node)
    {
        if (_started[node]) throw new InvalidOperationException($"node {node} started a step before finishing the last");
        // The count the producer writes every step is read again only when the last one read does not cover the step
        // (each read of it is a cache line fetched from the other core).
        if (_taken[node] >= _capturedSeen && _taken[node] >= (_capturedSeen = Captured.Value))
            throw new InvalidOperationException($"node {node} started a step the function pass has not computed");
        _started[node] = true;
        return Current(node);
    }

    /// <summary>The work of the step node <paramref name="node"/> is on.</summary>
    public NodeWork Current(int node) => _ring[node][_taken[node] & (Capacity - 1)]!;

    /// <summary>Node <paramref name="node"/> has finished its current step (its record is free once every node has: <see cref="Complete"/>).</summary>
    public void Finish(int node)
    {
        if (!_started[node]) throw new InvalidOperationException($"node {node} finished without a step");
        _started[node] = false;
        _taken[node]++;
    }
}
