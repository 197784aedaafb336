using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>What a <see cref="TimingEngine"/> tells the executor that owns the run's steps (the main engine's only).</summary>
internal interface ITimingHost
{
    /// <summary>Pipelined: the chip can take the next step's input now.</summary>
    void AdmitNext();

    /// <summary>Every node has finished the oldest step not completed.</summary>
    void StepCompleted();
}

/// <summary>A macro's timing parameters, base cycles (<see cref="MacroUnit"/>; <c>Synchronous</c>: NeuroSim's synchronous read), and its statistics' name.</summary>
internal readonly record struct MacroTiming(string Name, long DriveSettle, long Convert, long ShiftAdd, long Edge, bool Synchronous = false)
{
    /// <summary>
    /// The timing of the functional macro <paramref name="function"/> of knobs <paramref name="p"/> with
    /// <paramref name="rounds"/> conversion rounds a read, <paramref name="edge"/> base cycles a macro cycle: the
    /// timeline <see cref="Hw.Macro.RramMacro"/> keeps (what inspect reports; MacroTimelineAgreementTests). Pipelined:
    /// drive + settle whole macro cycles, then the rounds' conversions. Synchronous (NeuroSim's clock): one stage, array
    /// and ADCs together, of a synchronous cycle per round, nothing to convert after it.
    /// </summary>
    public static MacroTiming Of(string name, Hw.Macro.RramMacro function, Hw.Macro.MacroParameters p, int rounds, long edge) =>
        function.SynchronousCycles > 0
            ? new MacroTiming(name, function.SynchronousCycles * rounds, 0, p.ShiftAddCycles * edge, edge, Synchronous: true)
            : new MacroTiming(name, (p.DriveCycles + p.SettleCycles) * edge, function.ConversionCycles * rounds, p.ShiftAddCycles * edge, edge);

    /// <summary>A kernel unit of this timing on <paramref name="scheduler"/>, telling <paramref name="client"/> when operations end.</summary>
    public MacroUnit CreateUnit(Scheduler scheduler, IUnitClient client) =>
        new(scheduler, new UnitStatistics(Name, "macro"), DriveSettle, Convert, ShiftAdd, Edge, client, Synchronous);
}

/// <summary>Everything a <see cref="TimingEngine"/> reads of the program and the ring of step records (read-only; one for all engines).</summary>
internal sealed record TimingShape(
    ArchitectureSpec Spec, long CoreEdge, ChipNode[] Nodes, MacroRuntime[] Macros, MacroTiming[] MacroTimings, MacroGroup[] Groups,
    ExecutionMode Mode, int[] Order, int[][] SameStep, int[][] PreviousStep, int[] RowTable, long RowTableCycles);

/// <summary>
/// The timing pass of a chip program: a kernel (its own <see cref="Scheduler"/>) with the chip's hardware units (the NoC,
/// the neuron cores, the macros' timing, an alarm), the <see cref="StepScheduler"/>, and what the timing keeps per node
/// and group. It times each node's captured work of a step (<see cref="StepWorkQueue"/>, read through a cursor of its
/// own) as kernel events between the units. The executor has one (the main engine, which its driver ticks); with two
/// threads in barrier execution a second one, over the same program and records, times steps on the producer's thread
/// (<see cref="TimeShared"/>) for the main engine to take over (<see cref="Merge"/>): in barrier execution a step starts
/// on an idle chip, so its timing depends only on its records and its start's phase against the units' clocks (an idle
/// start that assumes a hop of at least one NoC cycle: MeshNocParameters and the architecture loader refuse 0).
/// </summary>
internal sealed partial class TimingEngine : IUnitClient, IStepClient
{
    private readonly ITimingHost? _host;
    private readonly ChipNode[] _nodes;
    private readonly MacroRuntime[] _macros;
    private readonly MacroGroup[] _groups;
    private readonly int[][] _sliceTiles;
    private readonly int[] _hRowTable;
    private readonly long _rowTableCycles;
    private StepWorkQueue _work = null!;
    private StepWorkCursor _cursor = null!;
    private readonly bool _prefetch;
    private readonly AlarmUnit _alarm;
    private readonly CoreBatch _coreBatch;
    // Per group: the place of its record of the step at hand among its node's (NodeWork.Groups), and the packets still to
    // arrive; per crossbar node, its record of the step at hand (set once per node and step: a reference store per group
    // costs a GC write barrier each).
    private readonly int[] _groupAt;
    private readonly int[] _pendingPackets;
    private readonly NodeWork?[] _nodeWork;
    // Per node: its units' batches still out, and when it started its step.
    private readonly int[] _pendingWork;
    private readonly long[] _nodeStart;

    // A second engine: the tick that starts a step it times, and the cores a step used (listed for Harvest).
    private readonly int _tick = -1;
    private readonly bool[]? _coreUsed;
    private readonly int[] _usedCores = [];
    private int _usedCoreCount;

    /// <summary>Builds the units on a fresh kernel.</summary>
    /// <param name="shape">The program and the records.</param>
    /// <param name="ledger">Where the NoC counts what it counts itself (nothing on the executor's paths: the capture counts packets).</param>
    /// <param name="host">The main engine's executor; null for a second engine, which times single steps (<see cref="TimeShared"/>).</param>
    /// <param name="prefetch">Ask for each node's next record as it starts a step (records written on the other core).</param>
    public TimingEngine(TimingShape shape, Ledger ledger, ITimingHost? host, bool prefetch)
    {
        (_host, _prefetch) = (host, prefetch);
        var spec = shape.Spec;
        var n = shape.Nodes.Length;
        (_nodes, _macros, _groups, _hRowTable, _rowTableCycles) = (shape.Nodes, shape.Macros, shape.Groups, shape.RowTable, shape.RowTableCycles);
        _sliceTiles = _nodes.Select(x => x.Slices.Select(sl => sl.Tile).ToArray()).ToArray();
        // Registered in the order the executor always did: the NoC, the cores, the macros, the alarm, the cores' batches (the driver next).
        Noc = new NocUnit(Scheduler, spec.Noc, spec.BaseClockHz, ledger);
        Cores = Enumerable.Range(0, spec.Chip.Tiles).Select(t => new NeuronCoreUnit(Scheduler, new UnitStatistics($"tile{t}.neuron_core", "neuron_core"),
            spec.NeuronCore.Lanes, spec.NeuronCore.PipelineLatencyCycles, shape.CoreEdge, this)).ToArray();
        Macros = shape.MacroTimings.Select(m => m.CreateUnit(Scheduler, this)).ToArray();
        _alarm = new AlarmUnit(Scheduler, this);
        _coreBatch = new CoreBatch(Scheduler);
        Steps = new StepScheduler(shape.Mode, shape.Order, shape.SameStep, shape.PreviousStep, this);
        (_groupAt, _nodeWork) = (new int[_groups.Length], new NodeWork?[n]);
        _pendingPackets = new int[_groups.Length];
        // Per-node statistics: written every step by this engine's thread, while the other thread writes its own per-node
        // arrays: each ends in a padding line (PerNode).
        _pendingWork = ChipExecutor.PerNode<int>(n);
        (_nodeStart, Busy, Reads) = (ChipExecutor.PerNode<long>(n), ChipExecutor.PerNode<long>(n), ChipExecutor.PerNode<long>(n));
        if (host is not null) return;
        _tick = Scheduler.Register(new Tick(this));
        Noc.TrackLinks();
        _coreUsed = new bool[Cores.Length];
        _usedCores = new int[Cores.Length];
    }

    /// <summary>
    /// The records the engine times (made after the main engine: their capture asks its NoC for routes and flits).
    /// Once, before the first step.
    /// </summary>
    public void Attach(StepWorkQueue work)
    {
        if (_cursor is not null) throw new InvalidOperationException("the engine already reads a ring of records");
        (_work, _cursor) = (work, new StepWorkCursor(work, _nodes.Length, _prefetch));
    }

    /// <summary>The engine's kernel.</summary>
    public Scheduler Scheduler { get; } = new();

    /// <summary>The mesh.</summary>
    public NocUnit Noc { get; }

    /// <summary>Per tile, its neuron core.</summary>
    public NeuronCoreUnit[] Cores { get; }

    /// <summary>Per macro (<see cref="MacroRuntime.Index"/>), its timing.</summary>
    public MacroUnit[] Macros { get; }

    /// <summary>When each node starts each step.</summary>
    public StepScheduler Steps { get; }

    /// <summary>Per node: cycles it was working, and its row-group reads (crossbars).</summary>
    public long[] Busy { get; }

    /// <inheritdoc cref="Busy"/>
    public long[] Reads { get; }

    /// <summary>Observer of the macro operations (the main engine of a run with a probe).</summary>
    public IChipRunProbe? Probe { get; set; }

    /// <inheritdoc />
    void IStepClient.StartNode(int node, int step, Scheduler scheduler) => Start(node, scheduler);

    /// <inheritdoc />
    void IStepClient.AdmitNext(Scheduler scheduler) => _host!.AdmitNext();

    /// <inheritdoc />
    void IStepClient.StepCompleted(int step, Scheduler scheduler) => _host?.StepCompleted();

    /// <summary>Main engine, at step <paramref name="step"/>'s tick: another engine timed it; every node passes over it.</summary>
    public void Skip(int step)
    {
        Steps.Skip(step);
        _cursor.Skip();
    }

    /// <summary>
    /// A second engine: times step <paramref name="t"/> of the sample (record <paramref name="step"/> of the ring, captured)
    /// from an idle chip, starting at the first cycle from now whose residue modulo <paramref name="phase"/> (the units'
    /// clocks' common period: their edges repeat with it) is <paramref name="residue"/>, and leaves in <paramref name="pack"/>
    /// its latency, its events (the tick included) and the counters of every unit it used, which start from zero again.
    /// </summary>
    public void TimeShared(long step, int t, StepPack pack, long phase, long residue)
    {
        var s = Scheduler;
        if (_host is not null || s.Pending > 0) throw new InvalidOperationException("only an idle second engine times a shared step");
        if (residue < 0 || residue >= phase) throw new ArgumentOutOfRangeException(nameof(residue), residue, $"a residue modulo {phase}");
        var start = s.Now + ((residue - s.Now % phase) % phase + phase) % phase;
        var events = s.Dispatched;
        _cursor.Seek(step);
        Steps.ResumeAt(t);
        s.ScheduleAt(_tick, start, 0, t);
        s.RunUntilIdle();
        pack.Clear();
        pack.Latency = s.Now - start;
        pack.Events = s.Dispatched - events;
        Harvest(step, pack);
    }

    /// <summary>The units' numbering in a <see cref="StepPack"/>: macros, then cores, then NoC links, then nodes.</summary>
    private (int Cores, int Links, int Nodes) Firsts => (Macros.Length, Macros.Length + Cores.Length, Macros.Length + Cores.Length + Noc.LinkCount);

    /// <summary>Moves the counters of every unit step <paramref name="step"/> used into <paramref name="pack"/>, zeroing them.</summary>
    private void Harvest(long step, StepPack pack)
    {
        var (firstCore, firstLink, firstNode) = Firsts;
        // The macros with reads: the step's crossbar records list them (each group's reads follow the previous group's).
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i].Kind != ChipNodeKind.Crossbar) continue;
            var w = _work.Record(i, step);
            if (w.GroupCount == 0) continue;
            ref var last = ref w.Groups[w.GroupCount - 1];
            var reads = last.ActiveStart + last.ActiveCount;
            // Each unit's counters go straight into the pack's entry (no copy between).
            for (var a = 0; a < reads; a++)
            {
                var m = w.Active[a].Macro;
                ref var e = ref pack.Next(m);
                Macros[m].Harvest(out e.Counters, out e.Extra);
            }
        }
        for (var k = 0; k < _usedCoreCount; k++)
        {
            var tile = _usedCores[k];
            _coreUsed![tile] = false;
            ref var e = ref pack.Next(firstCore + tile);
            (e.Counters, e.Extra) = (Cores[tile].Statistics.Take(), 0);
        }
        _usedCoreCount = 0;
        Noc.Harvest(pack, firstLink);
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (Busy[i] == 0 && Reads[i] == 0) continue;
            ref var e = ref pack.Next(firstNode + i);
            (e.Counters, e.Extra) = (new QueueCounters { Busy = Busy[i] }, Reads[i]);
            (Busy[i], Reads[i]) = (0, 0);
        }
    }

    /// <summary>
    /// Main engine, after a sample: adds the counters of the steps a second engine timed (<see cref="TimeShared"/>) and
    /// this one took over, added up (<see cref="PackTotals"/>), to its units'.
    /// </summary>
    public void Merge(PackTotals totals)
    {
        var (firstCore, firstLink, firstNode) = Firsts;
        foreach (var u in totals.Units)
        {
            ref readonly var counters = ref totals.CountersOf(u);
            var extra = totals.ExtraOf(u);
            if (u < firstCore) Macros[u].Merge(in counters, extra);
            else if (u < firstLink) Cores[u - firstCore].Statistics.Merge(in counters);
            else if (u < firstNode) Noc.MergeLink(u - firstLink, in counters, extra);
            else
            {
                Busy[u - firstNode] += counters.Busy;
                Reads[u - firstNode] += extra;
            }
        }
        Noc.MergeSent(totals.Packets, totals.Flits);
    }

    /// <summary>A second engine's step tick: the step's input is on the chip.</summary>
    private sealed class Tick(TimingEngine engine) : IComponent
    {
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => engine.Steps.Admit((int)ev.Payload, scheduler);
    }
}
