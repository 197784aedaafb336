using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>Runs the nodes a <see cref="StepScheduler"/> starts and hears about steps.</summary>
internal interface IStepClient
{
    /// <summary>Node <paramref name="node"/> begins its work of <paramref name="step"/> now; it reports the end through <see cref="StepScheduler.Finished"/>.</summary>
    void StartNode(int node, int step, Scheduler scheduler);

    /// <summary>Pipelined: the chip can take the next step's input now (the driver's next tick).</summary>
    void AdmitNext(Scheduler scheduler);

    /// <summary>Every node has finished <paramref name="step"/> (the step's last output is out).</summary>
    void StepCompleted(int step, Scheduler scheduler);
}

/// <summary>
/// When each node of the chip program starts each timestep. A node is a pipeline stage on its own
/// hardware (its macros, its core batches): it works on one step at a time, in step order. It may
/// start step t when
/// <list type="bullet">
/// <item>its hardware is free: it has finished step t-1;</item>
/// <item>its same-step sources have finished step t (a layer's spikes of the step are out);</item>
/// <item>its previous-step sources have finished step t-1 (recurrent edges, and a deferred
/// crossbar's source: they carry step t-1's result into step t);</item>
/// <item>its consumers have taken its step t-1 output, i.e. started step t-1 (each node buffers
/// one step's output: back-pressure, so no stage runs unboundedly ahead of a slower one);</item>
/// <item>step t has been admitted (its input is on the chip; pipelined, the input enters once the
/// stages it feeds are free for it).</item>
/// </list>
/// <para>
/// <see cref="ExecutionMode.Barrier"/> admits step t when every unit has drained step t-1 (the
/// driver's idle kernel), so only the same-step condition ever binds. <see cref="ExecutionMode.Pipelined"/>
/// admits step t+1 as soon as the input nodes can take it, and a node starts the moment the
/// conditions hold, so layers of successive steps overlap: a chain of L stages of c cycles runs T
/// steps in (L + T - 1) c instead of T L c, one step completing every max-stage-time cycles. The
/// units stay shared resources: two stages on one core or link still queue there.
/// </para>
/// </summary>
internal sealed class StepScheduler
{
    private readonly ExecutionMode _mode;
    private readonly IStepClient _client;
    private readonly int[] _order, _entry;
    private readonly int[][] _sameSources, _previousSources, _sameTargets, _previousTargets;
    private readonly int[] _started, _finished;
    private int[] _remaining = [];
    private int _steps, _admitted = -1;
    private bool _admitting;

    /// <summary>Builds the dependency graph.</summary>
    /// <param name="mode">Barrier or pipelined.</param>
    /// <param name="order">Nodes in the order they are tried when a step is admitted.</param>
    /// <param name="sameStepSources">Per node, the sources whose output of the same step it needs (may repeat a source per edge).</param>
    /// <param name="previousStepSources">Per node, the sources whose output of the step before it needs.</param>
    /// <param name="client">Starts the nodes.</param>
    public StepScheduler(ExecutionMode mode, int[] order, int[][] sameStepSources, int[][] previousStepSources, IStepClient client)
    {
        var n = sameStepSources.Length;
        (_mode, _order, _sameSources, _previousSources, _client) = (mode, order, sameStepSources, previousStepSources, client);
        _sameTargets = Targets(sameStepSources, n);
        _previousTargets = Targets(previousStepSources, n);
        // The step's input enters through the nodes that need nothing else; without such nodes
        // (a graph of recurrences only), through those that need nothing of the same step.
        _entry = Enumerable.Range(0, n).Where(i => sameStepSources[i].Length == 0 && previousStepSources[i].Length == 0).ToArray();
        if (_entry.Length == 0) _entry = Enumerable.Range(0, n).Where(i => sameStepSources[i].Length == 0).ToArray();
        _started = new int[n];
        _finished = new int[n];
    }

    /// <summary>Per node, the targets of its edges (in source-edge order: target index ascending, then edge order).</summary>
    private static int[][] Targets(int[][] sources, int n)
    {
        var targets = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var t = 0; t < n; t++)
            foreach (var s in sources[t]) targets[s].Add(t);
        return targets.Select(x => x.ToArray()).ToArray();
    }

    /// <summary>Barrier or pipelined.</summary>
    public ExecutionMode Mode => _mode;

    /// <summary>A new sample of <paramref name="steps"/> steps: every node at rest, nothing admitted.</summary>
    public void BeginSample(int steps)
    {
        _steps = steps;
        _admitted = -1;
        _admitting = false;
        Array.Fill(_started, -1);
        Array.Fill(_finished, -1);
        if (_remaining.Length < steps) _remaining = new int[steps];
        Array.Fill(_remaining, _started.Length, 0, steps);
    }

    /// <summary>
    /// Barrier: every node at rest having finished step <paramref name="step"/> - 1, nothing of step
    /// <paramref name="step"/> admitted (a second engine about to time that step of the sample: <see cref="TimingEngine"/>).
    /// </summary>
    public void ResumeAt(int step)
    {
        if (_mode == ExecutionMode.Pipelined || step < 0 || step >= _steps) throw new InvalidOperationException($"step {step} cannot be resumed at (of {_steps}, {_mode})");
        _admitted = step - 1;
        _admitting = false;
        Array.Fill(_started, step - 1);
        Array.Fill(_finished, step - 1);
        _remaining[step] = _started.Length;
    }

    /// <summary>
    /// Barrier: step <paramref name="step"/>, the next to admit, was timed elsewhere: every node has finished it (none is
    /// started, and <see cref="IStepClient.StepCompleted"/> is not called).
    /// </summary>
    public void Skip(int step)
    {
        if (_mode == ExecutionMode.Pipelined || step != _admitted + 1 || step >= _steps)
            throw new InvalidOperationException($"step {step} skipped after step {_admitted} of {_steps} ({_mode})");
        for (var i = 0; i < _finished.Length; i++)
            if (_finished[i] != step - 1) throw new InvalidOperationException($"node {i} has not finished step {step - 1}");
        _admitted = step;
        Array.Fill(_started, step);
        Array.Fill(_finished, step);
        _remaining[step] = 0;
    }

    /// <summary>Step <paramref name="step"/>'s input is on the chip (the driver's tick): the nodes that can, start it.</summary>
    public void Admit(int step, Scheduler scheduler)
    {
        if (step != _admitted + 1 || step >= _steps) throw new InvalidOperationException($"step {step} admitted after step {_admitted} of {_steps}");
        _admitted = step;
        _admitting = false;
        foreach (var i in _order) TryStart(i, scheduler);
        CheckAdmission(scheduler);
    }

    /// <summary>Node <paramref name="node"/> has finished the step it was working on.</summary>
    public void Finished(int node, Scheduler scheduler)
    {
        var t = _started[node];
        if (t < 0 || _finished[node] == t) throw new InvalidOperationException($"node {node} finished without working");
        _finished[node] = t;
        if (--_remaining[t] == 0) _client.StepCompleted(t, scheduler);
        foreach (var c in _sameTargets[node]) TryStart(c, scheduler);
        if (_mode != ExecutionMode.Pipelined) return;
        TryStart(node, scheduler);
        foreach (var c in _previousTargets[node]) TryStart(c, scheduler);
        CheckAdmission(scheduler);
    }

    /// <summary>True when node <paramref name="i"/> may start step <paramref name="t"/>, the admission aside.</summary>
    private bool Ready(int i, int t)
    {
        if (t >= _steps || !Free(i, t)) return false;
        foreach (var s in _sameSources[i]) if (_finished[s] < t) return false;
        return true;
    }

    /// <summary>
    /// True when node <paramref name="i"/> is free for step <paramref name="t"/>, whatever step t's inputs:
    /// done with step t-1, its previous-step sources done with step t-1, its output of step t-1 taken.
    /// </summary>
    private bool Free(int i, int t)
    {
        if (_started[i] != t - 1 || _finished[i] != t - 1) return false;
        foreach (var s in _previousSources[i]) if (_finished[s] < t - 1) return false;
        foreach (var c in _sameTargets[i]) if (_started[c] < t - 1) return false;
        return true;
    }

    private void TryStart(int i, Scheduler scheduler)
    {
        var t = _started[i] + 1;
        if (t > _admitted || !Ready(i, t)) return;
        _started[i] = t;
        _client.StartNode(i, t, scheduler);
        if (_mode != ExecutionMode.Pipelined) return;
        // Taking step t's input frees the sources' output buffers for their step t+1 (the older
        // step's work was handed to the units first, so it queues ahead of the newer one).
        foreach (var s in _sameSources[i]) TryStart(s, scheduler);
        CheckAdmission(scheduler);
    }

    /// <summary>
    /// Pipelined: asks (once) for the next step's admission as soon as the chip can start it: the entry
    /// nodes can take it and the stages they feed are free for it. So a step's input enters when its
    /// first stage can work on it, and a step's latency counts from its first work.
    /// </summary>
    private void CheckAdmission(Scheduler scheduler)
    {
        if (_mode != ExecutionMode.Pipelined || _admitting) return;
        var next = _admitted + 1;
        if (next >= _steps) return;
        foreach (var e in _entry)
        {
            if (!Ready(e, next)) return;
            foreach (var c in _sameTargets[e]) if (!Free(c, next)) return;
        }
        _admitting = true;
        _client.AdmitNext(scheduler);
    }
}

/// <summary>A run's step throughput from its steps' start and end cycles.</summary>
internal static class StepThroughput
{
    /// <summary>
    /// Per sample, the cycles from its first step's start to its last step's end; and the mean cycles
    /// between successive step completions within samples (a sample's first completion has no
    /// predecessor: samples start at rest). Without two steps in any sample, the mean step latency.
    /// </summary>
    /// <param name="starts">Start cycle of every step.</param>
    /// <param name="ends">End cycle of every step.</param>
    /// <param name="sampleFirstSteps">Index of every sample's first step, ascending.</param>
    public static (long[] SampleCycles, double IntervalCycles) Measure(IReadOnlyList<long> starts, IReadOnlyList<long> ends, IReadOnlyList<int> sampleFirstSteps)
    {
        var samples = new long[sampleFirstSteps.Count];
        long span = 0, gaps = 0;
        for (var k = 0; k < samples.Length; k++)
        {
            var first = sampleFirstSteps[k];
            var last = (k + 1 < samples.Length ? sampleFirstSteps[k + 1] : starts.Count) - 1;
            if (last < first) continue;
            samples[k] = ends[last] - starts[first];
            span += ends[last] - ends[first];
            gaps += last - first;
        }
        if (gaps > 0) return (samples, (double)span / gaps);
        var latency = starts.Count == 0 ? 0 : starts.Zip(ends, (a, b) => (double)(b - a)).Average();
        return (samples, latency);
    }
}
