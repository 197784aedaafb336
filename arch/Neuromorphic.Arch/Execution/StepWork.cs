using Neuromorphic.Arch.Mapping;

namespace Neuromorphic.Arch.Execution;

/// <summary>One macro's work of one step, as the timing pass consumes it.</summary>
internal sealed class MacroWork(MacroRuntime macro)
{
    /// <summary>The macro.</summary>
    public MacroRuntime Macro { get; } = macro;

    /// <summary>Row-group reads.</summary>
    public int Reads;

    /// <summary>Spikes it needs from each of <see cref="MacroRuntime.SourceTiles"/>.</summary>
    public readonly int[] SpikesFrom = new int[macro.SourceTiles.Length];

    /// <summary>Partial sums it sends to each of <see cref="MacroRuntime.TargetTiles"/>.</summary>
    public readonly int[] ValuesTo = new int[macro.TargetTiles.Length];
}

/// <summary>One node's work of one step, as the timing pass consumes it.</summary>
internal sealed class NodeWork(int slices)
{
    /// <summary>Crossbar: the neuron core's additions (row blocks' partial sums, biases); digital node: its operations.</summary>
    public long Operations;

    /// <summary>Crossbar: the macros that worked.</summary>
    public readonly List<MacroWork> Macros = [];

    /// <summary>Population: neurons its core updates, per slice (<see cref="ChipNode.Slices"/>).</summary>
    public readonly int[] SliceUpdates = new int[slices];
}

/// <summary>
/// The work the function pass leaves for the timing pass, node by node and step by step. With
/// pipelined execution the function pass of step t+1 runs when the step's input is admitted, while
/// the units are still busy with step t and earlier; so the timing never reads the function's live
/// state (a crossbar's worked macros, a population's update flags): each node takes its captured
/// work of a step when it starts the step (<see cref="Start"/>) and hands it back when done
/// (<see cref="Finish"/>). Each node works on one step at a time, so a node and its macros have one
/// current work each. Records are pooled: a run allocates them once per node and step in flight.
/// </summary>
internal sealed class StepWorkQueue
{
    private readonly ChipNode[] _nodes;
    private readonly CoreSlice[][] _slices;
    private readonly CrossbarRuntime?[] _crossbars;
    private readonly byte[][] _updated;
    private readonly bool[] _allUpdated;
    private readonly long[] _digitalWork;
    private readonly Queue<NodeWork>[] _pending;
    private readonly NodeWork?[] _current;
    private readonly Stack<NodeWork>[] _freeNodes;
    private readonly Stack<MacroWork>[] _freeMacros;
    private readonly MacroWork?[] _currentMacro;

    /// <summary>Reads the function pass's results from these (per node; updated in place every step).</summary>
    public StepWorkQueue(IReadOnlyList<ChipNode> nodes, int macros, CrossbarRuntime?[] crossbars, byte[][] updated, bool[] allUpdated, long[] digitalWork)
    {
        (_crossbars, _updated, _allUpdated, _digitalWork) = (crossbars, updated, allUpdated, digitalWork);
        // Arrays, not the program's read-only lists: the capture runs every step (no enumerator, no interface calls).
        _nodes = nodes.ToArray();
        _slices = _nodes.Select(x => x.Slices.ToArray()).ToArray();
        var n = nodes.Count;
        _pending = Enumerable.Range(0, n).Select(_ => new Queue<NodeWork>()).ToArray();
        _current = new NodeWork?[n];
        _freeNodes = Enumerable.Range(0, n).Select(_ => new Stack<NodeWork>()).ToArray();
        _freeMacros = Enumerable.Range(0, macros).Select(_ => new Stack<MacroWork>()).ToArray();
        _currentMacro = new MacroWork?[macros];
    }

    /// <summary>Records every node's work of the step the function pass has just computed.</summary>
    public void Capture()
    {
        foreach (var node in _nodes)
        {
            var i = node.Index;
            var w = _freeNodes[i].Count > 0 ? _freeNodes[i].Pop() : new NodeWork(node.Slices.Count);
            w.Operations = 0;
            switch (node.Kind)
            {
                case ChipNodeKind.Crossbar:
                    var crossbar = _crossbars[i]!;
                    foreach (var m in crossbar.Worked)
                    {
                        var mw = _freeMacros[m.Index].Count > 0 ? _freeMacros[m.Index].Pop() : new MacroWork(m);
                        mw.Reads = m.Reads;
                        // A macro has a few source and target tiles: element copies beat a call to Array.Copy.
                        var (spikes, values) = (m.SpikesFrom, m.ValuesTo);
                        var (toSpikes, toValues) = (mw.SpikesFrom, mw.ValuesTo);
                        for (var k = 0; k < spikes.Length; k++) toSpikes[k] = spikes[k];
                        for (var k = 0; k < values.Length; k++) toValues[k] = values[k];
                        w.Macros.Add(mw);
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
            _pending[i].Enqueue(w);
        }
    }

    /// <summary>Node <paramref name="node"/> starts its oldest captured step: that work becomes its current one (and its macros').</summary>
    public NodeWork Start(int node)
    {
        if (_current[node] is not null) throw new InvalidOperationException($"node {node} started a step before finishing the last");
        if (!_pending[node].TryDequeue(out var w)) throw new InvalidOperationException($"node {node} started a step the function pass has not computed");
        foreach (var mw in w.Macros) _currentMacro[mw.Macro.Index] = mw;
        return _current[node] = w;
    }

    /// <summary>The work of the step node <paramref name="node"/> is on.</summary>
    public NodeWork Current(int node) => _current[node]!;

    /// <summary>The work of the step macro <paramref name="macro"/> is on.</summary>
    public MacroWork OfMacro(int macro) => _currentMacro[macro]!;

    /// <summary>Node <paramref name="node"/> has finished its current step: its records go back to the pools.</summary>
    public void Finish(int node)
    {
        var w = _current[node] ?? throw new InvalidOperationException($"node {node} finished without a step");
        foreach (var mw in w.Macros)
        {
            _currentMacro[mw.Macro.Index] = null;
            _freeMacros[mw.Macro.Index].Push(mw);
        }
        w.Macros.Clear();
        _freeNodes[node].Push(w);
        _current[node] = null;
    }
}
