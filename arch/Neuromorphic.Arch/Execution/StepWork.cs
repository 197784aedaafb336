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
internal sealed class NodeWork(int slices, int macros)
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
}

/// <summary>
/// The work the function pass leaves for the timing pass, node by node and step by step. With
/// pipelined execution the function pass of step t+1 runs when the step's input is admitted, while
/// the units are still busy with step t and earlier; so the timing never reads the function's live
/// state (a crossbar's worked macros, a population's update flags): each node takes its captured
/// work of a step when it starts the step (<see cref="Start"/>) and hands it back when done
/// (<see cref="Finish"/>). Each node works on one step at a time: the record at the head of its ring
/// is its current work (<see cref="Current"/>), its macros' work of that step included (a group of
/// macros also keeps its active macros' work at hand, <see cref="MacroGroup.Active"/>). The ring
/// holds one record per step in flight, and records are reused step after step: it grows only when
/// more steps are in flight than ever before, so nothing is allocated per step.
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
    private readonly NodeWork?[][] _ring;              // per node: captured steps, oldest at the head
    private readonly int[] _head, _pending;
    private readonly bool[] _started;                  // per node: its oldest captured step is its current one

    /// <summary>Reads the function pass's results from these (per node; updated in place every step).</summary>
    /// <param name="nodes">The program's nodes.</param>
    /// <param name="macros">Every macro, indexed by <see cref="MacroRuntime.Index"/>; each node's macros are consecutive.</param>
    /// <param name="groupOf">Per macro, its group.</param>
    /// <param name="memberOf">Per macro, its place in its group.</param>
    /// <param name="crossbars">Per node, its crossbar runtime (crossbar nodes).</param>
    /// <param name="updated">Per population, its neurons' update flags.</param>
    /// <param name="allUpdated">Per population, whether every neuron was updated.</param>
    /// <param name="digitalWork">Per digital node, its operations.</param>
    public StepWorkQueue(IReadOnlyList<ChipNode> nodes, MacroRuntime[] macros, MacroGroup[] groupOf, int[] memberOf, CrossbarRuntime?[] crossbars,
        byte[][] updated, bool[] allUpdated, long[] digitalWork)
    {
        (_crossbars, _updated, _allUpdated, _digitalWork, _groupOf, _memberOf) = (crossbars, updated, allUpdated, digitalWork, groupOf, memberOf);
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
        _ring = Enumerable.Range(0, n).Select(_ => new NodeWork?[1]).ToArray();
        (_head, _pending, _started) = (new int[n], new int[n], new bool[n]);
    }

    /// <summary>Records every node's work of the step the function pass has just computed.</summary>
    public void Capture()
    {
        foreach (var node in _nodes)
        {
            var i = node.Index;
            var ring = _ring[i];
            if (_pending[i] == ring.Length) ring = Grow(i);
            var w = ring[(_head[i] + _pending[i]++) & (ring.Length - 1)] ??= new NodeWork(node.Slices.Count, _macroCount[i]);
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
    }

    /// <summary>Node <paramref name="i"/>'s ring, twice as long, its captured steps in order from the start.</summary>
    private NodeWork?[] Grow(int i)
    {
        var ring = _ring[i];
        var grown = new NodeWork?[ring.Length * 2];
        for (var k = 0; k < ring.Length; k++) grown[k] = ring[(_head[i] + k) & (ring.Length - 1)];
        _head[i] = 0;
        return _ring[i] = grown;
    }

    /// <summary>Node <paramref name="node"/> starts its oldest captured step: that work becomes its current one.</summary>
    public NodeWork Start(int node)
    {
        if (_started[node]) throw new InvalidOperationException($"node {node} started a step before finishing the last");
        if (_pending[node] == 0) throw new InvalidOperationException($"node {node} started a step the function pass has not computed");
        _started[node] = true;
        return _ring[node][_head[node]]!;
    }

    /// <summary>The work of the step node <paramref name="node"/> is on.</summary>
    public NodeWork Current(int node) => _ring[node][_head[node]]!;

    /// <summary>Node <paramref name="node"/> has finished its current step: its record is free for a later step.</summary>
    public void Finish(int node)
    {
        if (!_started[node]) throw new InvalidOperationException($"node {node} finished without a step");
        _started[node] = false;
        _head[node] = (_head[node] + 1) & (_ring[node].Length - 1);
        _pending[node]--;
    }
}
