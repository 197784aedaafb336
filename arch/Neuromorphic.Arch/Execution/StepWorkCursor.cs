namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One timing engine's place in the <see cref="StepWorkQueue"/> (<see cref="TimingEngine"/>): per node, the steps it has
/// finished, so the record of its oldest unfinished step is its current work. Each node works on one step at a time: it
/// takes its captured work of a step when it starts the step (<see cref="Start"/>) and hands it back when done
/// (<see cref="Finish"/>). The main engine's cursor runs through every step; a second engine's is set to each step it
/// times (<see cref="Seek"/>), and the main engine's skips a step the second one timed (<see cref="Skip"/>). Only the
/// engine's thread uses it.
/// </summary>
internal sealed class StepWorkCursor
{
    private readonly StepWorkQueue _queue;
    private readonly int _nodes;
    private readonly bool _prefetch;
    private readonly long[] _taken;                    // per node: steps it has finished
    private readonly bool[] _started;                  // per node: its oldest unfinished step is its current one
    private long _seen;                                // Captured as last read (a read of it is a line from the other core)

    /// <summary>A cursor at step 0 of <paramref name="queue"/>, for <paramref name="nodes"/> nodes.</summary>
    /// <param name="queue">The records.</param>
    /// <param name="nodes">Nodes of the program.</param>
    /// <param name="prefetch">Ask for a node's next record when it starts a step (the kernel's thread, reading records the other core wrote).</param>
    public StepWorkCursor(StepWorkQueue queue, int nodes, bool prefetch)
    {
        (_queue, _nodes, _prefetch) = (queue, nodes, prefetch);
        // Padded past the end: written every step, next to records the producer writes.
        (_taken, _started) = (new long[nodes + 8], new bool[nodes + 64]);
    }

    private bool IsCaptured(long step) => step < _seen || step < (_seen = _queue.Captured.Value);

    /// <summary>Node <paramref name="node"/> starts its oldest unfinished step: that work becomes its current one.</summary>
    public NodeWork Start(int node)
    {
        if (_started[node]) throw new InvalidOperationException($"node {node} started a step before finishing the last");
        if (!IsCaptured(_taken[node]))
            throw new InvalidOperationException($"node {node} started a step the function pass has not computed");
        _started[node] = true;
        // Two threads: the record of the node's next step, if captured, is asked for now (a step of the timing before
        // it is read), so its lines, written on the other core, are on their way instead of fetched one by one when read.
        var next = _taken[node] + 1;
        if (_prefetch && next < _seen) _queue.Prefetch(node, next);
        return Current(node);
    }

    /// <summary>The work of the step node <paramref name="node"/> is on.</summary>
    public NodeWork Current(int node) => _queue.Record(node, _taken[node]);

    /// <summary>Node <paramref name="node"/> has finished its current step (its record is free once every node has: <see cref="StepWorkQueue.Complete"/>).</summary>
    public void Finish(int node)
    {
        if (!_started[node]) throw new InvalidOperationException($"node {node} finished without a step");
        _started[node] = false;
        _taken[node]++;
    }

    /// <summary>Every node at rest before step <paramref name="step"/> (a second engine about to time it).</summary>
    public void Seek(long step)
    {
        for (var i = 0; i < _nodes; i++)
        {
            if (_started[i]) throw new InvalidOperationException($"node {i} is on a step");
            _taken[i] = step;
        }
    }

    /// <summary>Every node at rest passes over its next step (timed by another engine).</summary>
    public void Skip()
    {
        for (var i = 0; i < _nodes; i++)
        {
            if (_started[i]) throw new InvalidOperationException($"node {i} is on a step");
            _taken[i]++;
        }
    }
}
