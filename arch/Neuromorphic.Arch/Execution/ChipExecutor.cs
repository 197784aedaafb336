using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Runs a <see cref="ChipProgram"/> event by event on the kernel. Each timestep has two passes:
/// the function (nodes in evaluation order, on the chip's arithmetic: macros with their device,
/// ADC and bit slicing; the neuron core's fixed point) whose spikes drive the network, and the
/// timing, as kernel events between hardware units: a node starts when its inputs of the step are
/// there; a crossbar's spikes travel as NoC packets to its macros, each macro queues its row-group
/// reads, and its partial sums travel to the neuron cores, where row blocks are added; a
/// population's slices queue as batches on their cores. When a node starts a step is the
/// <see cref="StepScheduler"/>'s: with <c>execution: barrier</c> a step begins when the kernel is
/// idle; with <c>pipelined</c> layers of successive steps overlap. The timing reads each node's
/// work of a step from the <see cref="StepWorkQueue"/> the function pass fills, never from the
/// function's live state (it may be steps ahead). A software golden model (the functional
/// executor) runs in lock-step and the run reports, per population, how far the chip's outputs
/// diverge from it.
/// </summary>
public sealed partial class ChipExecutor : ITimestepListener, ITimingHost
{
    private readonly ChipProgram _program;
    private readonly Network _network;
    // The function pass counts into _ledger, the timing into _timingLedger: one ledger on one thread; on two, the
    // timing's own, merged into _ledger when a sample ends (counts are integer sums: the merge is exact).
    private readonly Ledger _ledger = new();
    private readonly Ledger _timingLedger;
    // The timing pass (the units on a kernel, the step scheduler, the timing's per-node statistics), which the driver
    // ticks; with two threads in barrier execution a second engine on the producer may time steps for it (_shared).
    private readonly TimingEngine _engine;
    private readonly TimingShape _shape;
    private readonly TimestepDriver _driver;
    private readonly MacroRuntime[] _macros;
    private readonly MacroGroup[] _groups;
    private readonly int _sumBits;
    private readonly CrossbarRuntime?[] _crossbars;
    private readonly FixedPointPopulation?[] _populations;
    private readonly DigitalRuntime?[] _digital;
    private readonly double[][] _outputs, _inputs;
    private readonly byte[][] _updated;
    private readonly int[] _order;
    private readonly bool[] _deferred;
    private readonly (int Source, bool Recurrent)[][] _sources;
    private readonly StepWorkQueue _work;
    private readonly List<int> _sampleFirstSteps = [];
    private readonly long[] _chipSpikes, _active, _outputElements, _updates;
    private readonly double[] _maxDiff;
    private readonly SpikeComparison[] _spikeComparison;
    private readonly List<double>[] _activityByStep;
    private readonly (int Router, int Link)[] _nocHandles;
    private readonly int[] _hUpdate, _hSpike, _hAdd;

    /// <summary>Per node: the tile I/O buffer's bit writes and reads (every packet a tile receives is buffered, then read out).</summary>
    private readonly int[] _hBufferWrite, _hBufferRead;

    /// <summary>Per node: its source tiles' row-address table reads (compacted word lines; -1 otherwise), and NoC-clock base cycles per entry read.</summary>
    private readonly int[] _hRowTable;
    private readonly long _rowTableCycles;
    private readonly long[] _digitalWork;
    private readonly NetworkExecutor<float>? _golden;
    private readonly DeterministicRandom _noise;
    private readonly int _addressBits;
    private readonly int[] _inputNodes, _inputOffsets;
    // Activity lists: per node, the output entries that may be non-zero (count -1: unknown, look at all),
    // and the input entries filled from them (deduplicated by a stamp), so a step's work follows its spikes.
    private readonly int[][] _activeOut, _activeIn, _inStamp;
    private readonly int[] _activeOutCount, _activeInCount;
    private readonly bool[] _allUpdated;
    // The function pass's step and input stamp (and each pass's busy time) live on cache lines of their own (PassScalars).
    private readonly PassScalars _scalars = new();
    private SpikeRaster? _stimulus;
    private int _firstStep, _samples;
    private readonly Dictionary<string, List<SpikeRaster>> _chipOut = [], _softOut = [];

    /// <summary>Prepares the chip (units registered on a fresh kernel, macros programmed by the mapping).</summary>
    /// <param name="program">The mapped network.</param>
    /// <param name="dt">The network's timestep, seconds.</param>
    /// <param name="seed">Seed of the read-noise stream.</param>
    /// <param name="golden">Run the software model in lock-step and compare.</param>
    /// <param name="idealNeuronCore">
    /// Run the neuron cores in IEEE single precision instead of the architecture's fixed-point format
    /// (CUBA's neuron only: the functional run's arithmetic, for bit-identical spikes).
    /// </param>
    /// <param name="threads">
    /// 1: both passes on the caller's thread, step by step. 2 or more: the function pass runs on a
    /// producer thread up to <paramref name="lookahead"/> steps ahead of the timing (the kernel, on the
    /// caller's thread); outputs are bit-identical either way.
    /// </param>
    /// <param name="lookahead">With two threads, how many steps the function pass may run ahead (rounded up to a power of two).</param>
    public ChipExecutor(ChipProgram program, double dt, ulong seed, bool golden = true, bool idealNeuronCore = false, int threads = 1,
        int lookahead = DefaultLookahead)
        : this(program, dt, seed, golden, idealNeuronCore, threads, lookahead, RingBudgetBytes)
    {
    }

    /// <summary>Tests: as the public constructor, with the ring's memory budget (<see cref="RingBudgetBytes"/>) given.</summary>
    internal ChipExecutor(ChipProgram program, double dt, ulong seed, bool golden, bool idealNeuronCore, int threads, int lookahead, long ringBudgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lookahead, 1);
        _program = program;
        Threads = Math.Min(threads, 2);
        _timingLedger = Threads > 1 ? new Ledger() : _ledger;
        _network = program.Network;
        var chip = program.Chip;
        var spec = chip.Spec;
        var n = _network.Nodes.Count;
        Dt = dt;
        _noise = DeterministicRandom.ForComponent(seed, "chip.read_noise");
        var coreEdge = Ratio(spec.BaseClockHz, spec.NeuronCore.ClockHz, "neuron core");
        var plan = program.Plan;
        _order = plan.Order.ToArray();
        _sources = plan.Sources;
        _outputs = _network.Nodes.Select(x => new double[Shape.Size(x.OutputShape!)]).ToArray();
        _inputs = _network.Nodes.Select(x => new double[Shape.Size(x.InputShape!)]).ToArray();
        // A crossbar that only feeds recurrent edges turns this step's spikes into the next step's input:
        // the chip does that work at the start of the next step, beside its forward work, and the
        // consumers wait for it there (its sources' outputs of the step before are still in place).
        _deferred = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var consumers = Enumerable.Range(0, n).SelectMany(t => _sources[t].Where(x => x.Source == i)).ToList();
            _deferred[i] = program.Nodes[i].Kind == ChipNodeKind.Crossbar && consumers.Count > 0 && consumers.All(x => x.Recurrent)
                && _sources[i].All(x => !x.Recurrent);
        }
        _order = _order.Where(i => _deferred[i]).Concat(_order.Where(i => !_deferred[i])).ToArray();
        // Which outputs a node needs of the same step and which of the step before (recurrent edges, a deferred crossbar's source).
        var sameStep = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var previousStep = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var t = 0; t < n; t++)
            foreach (var (s, recurrent) in _sources[t])
                (!recurrent && !_deferred[t] || recurrent && _deferred[s] ? sameStep : previousStep)[t].Add(s);
        // Per-node statistics: the timing's (in the engines) and the function's (here) are written every step by different
        // threads when there are two: each array ends in a padding line (PerNode).
        _chipSpikes = PerNode<long>(n);
        (_active, _outputElements, _updates, _digitalWork) = (PerNode<long>(n), PerNode<long>(n), PerNode<long>(n), PerNode<long>(n));
        _maxDiff = PerNode<double>(n);
        _spikeComparison = PerNode<SpikeComparison>(n);
        _activityByStep = Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
        // Counted when a step is captured (StepTraffic): in the function pass's ledger.
        _nocHandles = _network.Nodes.Select(x => NocUnit.HandlesIn(_ledger, x.Name)).ToArray();
        _hUpdate = new int[n];
        _hSpike = new int[n];
        _hAdd = new int[n];
        _hBufferWrite = new int[n];
        _hBufferRead = new int[n];
        _hRowTable = new int[n];
        Array.Fill(_hRowTable, -1);
        _rowTableCycles = Ratio(spec.BaseClockHz, spec.Noc.ClockHz, "NoC");
        _addressBits = RowAddressTable.BitsFor(spec.Macro.Crossbar.Rows);

        // Macros: function from the mapping, timing as kernel components.
        var macroEdge = Ratio(spec.BaseClockHz, spec.Macro.ClockHz, "macro");
        var macros = new List<MacroRuntime>();
        var macroTimings = new List<MacroTiming>();
        _crossbars = new CrossbarRuntime?[n];
        _populations = new FixedPointPopulation?[n];
        _digital = new DigitalRuntime?[n];
        _updated = new byte[n][];
        var format = spec.NeuronCore.Format;
        MacroScratch? scratch = null;
        foreach (var node in program.Nodes)
        {
            var i = node.Index;
            // A crossbar's adds (its row blocks' partial sums and its biases) run on the neuron core's lanes, timed as the core's
            // batches (TimingEngine.MacroDone): the core's class prices them. A digital layer's work is the accumulate core's.
            _hAdd[i] = node.Kind == ChipNodeKind.Crossbar
                ? _ledger.Register(DigitalNeuronUnit.Component, node.Name, DigitalNeuronUnit.AddAction)
                : _ledger.Register(AccumulateCore.Component, node.Name, AccumulateCore.AccumulateAction);
            _hBufferWrite[i] = _ledger.Register(TileIoBuffer.Component, node.Name, TileIoBuffer.WriteBitAction);
            _hBufferRead[i] = _ledger.Register(TileIoBuffer.Component, node.Name, TileIoBuffer.ReadBitAction);
            if (node.Kind == ChipNodeKind.Population)
            {
                var model = ((NeuronNode)node.Node).Model;
                _populations[i] = new FixedPointPopulation(model, dt, idealNeuronCore ? null : format);
                _updated[i] = new byte[model.Size];
                _hUpdate[i] = _ledger.Register(DigitalNeuronUnit.Component, node.Name,
                    model is Sim.Neurons.CubaLifModel ? DigitalNeuronUnit.CubaLifUpdateAction : DigitalNeuronUnit.LifUpdateAction);
                _hSpike[i] = _ledger.Register(DigitalNeuronUnit.Component, node.Name, DigitalNeuronUnit.SpikeAction);
            }
            if (node.Kind == ChipNodeKind.Digital) _digital[i] = new DigitalRuntime(node.Node, dt);
            if (node.Kind != ChipNodeKind.Crossbar) continue;
            if (node.Matrices.Count > 0 && node.Matrices[0].Matrix.Routes is not null)
                _hRowTable[i] = _ledger.Register(RowAddressTable.Component, node.Name, RowAddressTable.ReadEntryAction);
            var source = _sources[i].Select(s => s.Source).First();
            var sourceTiles = WordLineTiles(node, program.Nodes[source].OutputTile);
            var own = new List<MacroRuntime>();
            // The function pass runs one macro operation at a time: all macros share one set of buffers.
            scratch ??= chip.CreateMacroScratch();
            for (var c = 0; c < node.Matrices.Count; c++)
            {
                var mapped = node.Matrices[c].Matrix;
                foreach (var tile in mapped.Tiles)
                {
                    var function = chip.CreateMacro(tile.Array, _ledger, node.Name, mapped.Scale, scratch);
                    // Pipelined or synchronous, the functional macro's own timeline (what inspect reports).
                    macroTimings.Add(MacroTiming.Of($"tile{tile.Tile}.macro{tile.Macro % spec.Chip.MacrosPerTile}", function, spec.Macro,
                        chip.Mux.RoundsFor(tile.Array.PhysicalColumns), macroEdge));
                    var from = SourceTilesOf(node, tile, sourceTiles);
                    var to = TargetTilesOf(node, tile);
                    macros.Add(new MacroRuntime(macros.Count, i, c, tile, function, from, to));
                    own.Add(macros[^1]);
                }
            }
            _crossbars[i] = new CrossbarRuntime(node, own.ToArray(), _inputs[i].Length, chip.MaxLogicalColumnsPerMacro, spec.Macro.Crossbar.Rows);
        }
        _macros = macros.ToArray();
        // NoC traffic is aggregated per group: the macros of one node on one tile.
        _groups = _macros.GroupBy(m => (m.Node, m.Tile.Tile)).Select((g, k) => new MacroGroup(k, g.Key.Node, g.Key.Tile, g.ToArray())).ToArray();
        _sumBits = spec.Macro.AccumulatorBits + _addressBits;
        _shape = new TimingShape(spec, coreEdge, program.Nodes.ToArray(), _macros, macroTimings.ToArray(), _groups, spec.Chip.Execution, _order,
            sameStep.Select(x => x.ToArray()).ToArray(), previousStep.Select(x => x.ToArray()).ToArray(), _hRowTable, _rowTableCycles);
        _engine = new TimingEngine(_shape, _timingLedger, this, prefetch: Threads > 1);
        // Both threads may time steps (barrier execution): a step started on a multiple of every unit's clock ratio.
        _phase = Lcm(Lcm(macroEdge, coreEdge), _rowTableCycles);
        _driver = new TimestepDriver(_engine.Scheduler, this, cyclesPerStep: 0);
        if (golden) _golden = new NetworkExecutor<float>(_network, dt);
        _inputNodes = _network.Nodes.Select((x, k) => (x, k)).Where(p => p.x is InputNode).Select(p => p.k).ToArray();
        _inputOffsets = new int[_inputNodes.Length + 1];
        for (var k = 0; k < _inputNodes.Length; k++) _inputOffsets[k + 1] = _inputOffsets[k] + _outputs[_inputNodes[k]].Length;
        foreach (var o in _network.Outputs) { _chipOut[o.Name] = []; _softOut[o.Name] = []; }
        _activeOut = _outputs.Select(o => new int[o.Length]).ToArray();
        _activeIn = _inputs.Select(x => new int[x.Length]).ToArray();
        _inStamp = _inputs.Select(x => new int[x.Length]).ToArray();
        _activeOutCount = PerNode<int>(n);
        _activeInCount = PerNode<int>(n);
        _allUpdated = PerNode<bool>(n);
        Array.Fill(_activeOutCount, -1);
        Array.Fill(_activeInCount, -1);
        // One thread: a ring grows as steps in flight need (a pipelined run's depth). Two: it is preallocated and holds
        // the lookahead (fewer steps when a step's records are large: a big chip's steps are slow, and a few of them ahead
        // are plenty), but never fewer than the waits need. A barrier run has one step in flight: 2 records. A pipelined
        // run has fewer than 2n + 2 in flight (each node lags the admitted step by at most the graph's depth), and the
        // producer, finding the ring full, sleeps until half of it is free: the kernel must be able to complete that half
        // without a record the sleeping producer has not made, so the ring holds at least twice the lag, 4n + 4 records
        // (this minimum may exceed the memory budget).
        // The step's packets are assembled, and what they imply counted, when the step is captured: on the function pass's thread, into its ledger.
        var traffic = new StepTraffic(_groups, _macros.Length, n, _ledger, _engine.Noc, _addressBits, _sumBits, _hRowTable, _hBufferWrite, _hBufferRead, _nocHandles);
        var stepBytes = StepWorkQueue.BytesPerStep(program.Nodes, _groups);
        // Two threads in barrier execution may both time steps: the claims then hold a StepPack per slot (a pool: the claims
        // in flight use a few), each growing to the most units a step used (a step uses each macro, core, link and node once: 14 k units, 1 MB, on CUBA-40000).
        PackUnits = _macros.Length + spec.Chip.Tiles + _engine.Noc.LinkCount + n;
        if (Threads > 1 && spec.Chip.Execution == ExecutionMode.Barrier) stepBytes += StepPack.BytesFor(PackUnits);
        RecordBytesPerStep = StepWorkQueue.BytesPerStep(program.Nodes, _groups);
        // The ring holds a power of two of steps: where the budget limits it, rounded down (rounded up, it could take twice the budget).
        var affordable = 1 << System.Numerics.BitOperations.Log2((ulong)Math.Clamp(ringBudgetBytes / stepBytes, 2, int.MaxValue));
        _work = new StepWorkQueue(program.Nodes, _crossbars, _updated, _allUpdated, _digitalWork,
            Threads > 1 ? Math.Max(Math.Min(lookahead, affordable), spec.Chip.Execution == ExecutionMode.Pipelined ? 4 * n + 4 : 2) : 4, growable: Threads == 1, traffic);
        _engine.Attach(_work);
        _bySource = TakesInputsBySource();
        _sortsActive = SortsActive();
        FuseEvents();
    }

    /// <summary>Units of the chip a step's pack may list (macros, cores, NoC links, nodes: <see cref="StepPack"/>).</summary>
    internal int PackUnits { get; }

    /// <summary>Tests: steps the ring of step records holds.</summary>
    internal int RingCapacity => _work.Capacity;

    /// <summary>Tests: the bound of one step's records the ring's budget counts (<see cref="StepWorkQueue.BytesPerStep"/>).</summary>
    internal long RecordBytesPerStep { get; }

    /// <summary>Tests: bytes the step packs hold now (both threads time steps), 0 if none were made.</summary>
    internal long PackBytes => _claims?.PackBytes ?? 0;

    /// <summary>The network's timestep, seconds.</summary>
    public double Dt { get; }

    /// <summary>Input channels (all input nodes, concatenated).</summary>
    public int InputChannels => _inputOffsets[^1];

    /// <summary>Discrete events the kernel has dispatched so far (timestep ticks included): the simulator's event work.</summary>
    public long KernelEvents => _engine.Scheduler.Dispatched;

    /// <summary>NoC packets sent so far (those within a tile included).</summary>
    public long NocPackets => _engine.Noc.Packets;

    /// <summary>The action counts so far (complete between samples; with two threads, during a sample it lacks the sample's timing counts).</summary>
    public Ledger Ledger => _ledger;

    /// <summary>
    /// A per-node array with a cache line of padding past its last node: arrays allocated one after another then never
    /// share a line between their nodes' entries, so one thread's per-step writes do not evict the other thread's.
    /// </summary>
    internal static T[] PerNode<T>(int n) => new T[n + 64 / Math.Max(1, System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];

    private static long Lcm(long a, long b) => a / (long)System.Numerics.BigInteger.GreatestCommonDivisor(a, b) * b;

    private static long Ratio(double baseHz, double hz, string what)
    {
        var r = baseHz / hz;
        if (r < 1 || Math.Abs(r - Math.Round(r)) > 1e-9) throw new ArgumentException($"the {what} clock {hz} Hz must divide the base clock {baseHz} Hz");
        return (long)Math.Round(r);
    }

    /// <summary>The tile of the input on each word line of a node whose unconnected inputs take none (else the inputs' tiles).</summary>
    private static int[] WordLineTiles(ChipNode node, int[] sourceTiles) =>
        node.Matrices.Count > 0 && node.Matrices[0].Matrix.InputRows is { } rowOf
            ? CrossbarRuntime.WordLineInputs(rowOf).Select(e => sourceTiles[e]).ToArray()
            : sourceTiles;

    private static int[] SourceTilesOf(ChipNode node, MacroTile tile, int[] lineTiles)
    {
        if (tile.WordLineSources is { } sources) return sources.Select(e => lineTiles[e]).Distinct().Order().ToArray();
        if (node.Conv is null) return lineTiles.AsSpan(tile.RowStart, tile.RowCount).ToArray().Distinct().Order().ToArray();
        return lineTiles.Distinct().Order().ToArray();
    }

    private static int[] TargetTilesOf(ChipNode node, MacroTile tile)
    {
        if (node.Conv is null) return node.OutputTile.AsSpan(tile.ColumnStart, tile.ColumnCount).ToArray().Distinct().Order().ToArray();
        var positions = node.Conv.Positions;
        return node.OutputTile.AsSpan(tile.ColumnStart * positions, tile.ColumnCount * positions).ToArray().Distinct().Order().ToArray();
    }

    /// <summary>
    /// Runs one sample (the network starts at rest; the chip's time runs on from the previous
    /// sample). Returns the chip's output of every output node, [timesteps x size].
    /// </summary>
    public IReadOnlyDictionary<string, SpikeRaster> RunSample(SpikeRaster input) => RunSample(input, null);

    /// <summary>
    /// Runs one sample in which the nodes of <paramref name="recorded"/> (name -> [timesteps x size])
    /// take their recorded activity instead of computing it: cost-only replay of activity recorded
    /// elsewhere. The chip still does all their work (reads, packets, neuron updates, counted and
    /// timed), and the nodes not recorded are computed from it on the chip.
    /// </summary>
    /// <exception cref="InvalidOperationException">An earlier sample failed part-way on this executor.</exception>
    public IReadOnlyDictionary<string, SpikeRaster> RunSample(SpikeRaster input, IReadOnlyDictionary<string, SpikeRaster>? recorded)
    {
        ThrowIfFaulted();
        // Before anything of the sample is begun: a refused setting leaves the executor as it was.
        if (LockStep && ShareEvery != 1) throw new InvalidOperationException("LockStep needs ShareEvery 1: the producer must claim every step it captures");
        _recorded = new SpikeRaster?[_network.Nodes.Count];
        if (recorded is not null)
            foreach (var (name, raster) in recorded)
            {
                if (!_network.Contains(name))
                    throw new ChipExecutionException($"population '{name}' is not a node of the network (nodes: {string.Join(", ", _network.Nodes.Select(x => x.Name))})");
                var i = _network.IndexOf(name);
                if (raster.Channels != _outputs[i].Length)
                    throw new ChipExecutionException($"population '{name}' has {raster.Channels} neurons in the activity but {_outputs[i].Length} in the network");
                if (raster.Timesteps < input.Timesteps)
                    throw new ChipExecutionException($"population '{name}' has {raster.Timesteps} recorded timesteps, the run has {input.Timesteps}");
                _recorded[i] = raster;
            }
        if (input.Channels != InputChannels)
            throw new ChipExecutionException($"the input has {input.Channels} channels but the network's inputs take {InputChannels}");
        foreach (var p in _populations) p?.Reset();
        foreach (var c in _crossbars) c?.Reset();
        foreach (var d in _digital) d?.Reset();
        foreach (var o in _outputs) Array.Clear(o);
        foreach (var x in _inputs) Array.Clear(x);
        Array.Fill(_activeOutCount, -1);
        Array.Fill(_activeInCount, -1);
        // The graph starts at rest (step -1): a recurrent edge from a biased projection carries its bias into step 0.
        for (var i = 0; i < _crossbars.Length; i++) _crossbars[i]?.RestOutput(_outputs[i]);
        _golden?.Reset();
        _stimulus = input;
        _firstStep = _driver.StepStartCycles.Count;
        _sampleFirstSteps.Add(_firstStep);
        var sample = _network.Outputs.ToDictionary(o => o.Name, o => new SpikeRaster(input.Timesteps, _outputs[_network.IndexOf(o.Name)].Length));
        var software = _network.Outputs.ToDictionary(o => o.Name, o => new SpikeRaster(input.Timesteps, _outputs[_network.IndexOf(o.Name)].Length));
        _current = (sample, software);
        _engine.Steps.BeginSample(input.Timesteps);
        _sampleCaptured = _work.Captured.Value;
        RunSteps(input.Timesteps);
        foreach (var (name, r) in sample) _chipOut[name].Add(r);
        LastSoftwareOutputs = _golden is null ? new Dictionary<string, SpikeRaster>() : software;
        if (_golden is not null) foreach (var (name, r) in software) _softOut[name].Add(r);
        _samples++;
        _stimulus = null;
        return sample;
    }

    private (Dictionary<string, SpikeRaster> Chip, Dictionary<string, SpikeRaster> Software) _current;
    private SpikeRaster?[] _recorded = [];

    /// <summary>The software golden model's outputs of the last sample (empty without it).</summary>
    public IReadOnlyDictionary<string, SpikeRaster> LastSoftwareOutputs { get; private set; } = new Dictionary<string, SpikeRaster>();

    /// <summary>
    /// Observer of the run (waveform dumps): told the macros, every step's start and end and every
    /// macro operation with its kernel times. Setting it describes the chip to it.
    /// </summary>
    public IChipRunProbe? Probe
    {
        get => _probe;
        set
        {
            // The waveforms are written step by step (a step's changes, then the next's): overlapping steps would interleave them.
            if (value is not null && _engine.Steps.Mode == ExecutionMode.Pipelined)
                throw new ChipExecutionException("waveforms (--vcd) are written step by step and need chip.execution: barrier; this architecture pipelines its timesteps");
            _probe = value;
            _engine.Probe = value;
            value?.Describe(_macros.Select(m => _network.Nodes[m.Node].Name).ToList());
        }
    }

    private IChipRunProbe? _probe;

    /// <summary>
    /// The current output of node <paramref name="name"/> (between samples: the last step's). During a
    /// sample it is the step the function pass is on: with one thread (and always with a <see cref="Probe"/>)
    /// the step the kernel runs; with two, a producer's step ahead of it, so callers read it between samples.
    /// A crossbar that adds its events straight into its CUBA population (<see cref="FuseEvents"/>) holds zeros.
    /// </summary>
    public ReadOnlySpan<double> OutputOf(string name) => _outputs[_network.IndexOf(name)];

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        var t = step - _firstStep;
        if (_onProducer)
        {
            // The producer computed (or is computing) this step: wait for its record, then admit it.
            AwaitStep(t);
            // Both threads time steps: the producer may have timed this one (taken over if it started on this phase).
            if (_sharing && TakeShared(t, scheduler)) return;
            _engine.Steps.Admit(t, scheduler);
            return;
        }
        // Only barrier runs have a probe (the setter refuses pipelined ones), so the previous step has ended here.
        if (t > 0) _probe?.StepEnded(t - 1, scheduler.Now);
        var begin = System.Diagnostics.Stopwatch.GetTimestamp();
        var row = FunctionOf(t);
        // The probe's call (a waveform dump) is no part of the function pass: timed around, when there is one (two clock reads a step otherwise).
        if (_probe is { } probe)
        {
            var computed = System.Diagnostics.Stopwatch.GetTimestamp();
            probe.StepStarted(t, scheduler.Now);
            begin += System.Diagnostics.Stopwatch.GetTimestamp() - computed;
        }
        Record(row, t);
        _scalars.FunctionTicks += System.Diagnostics.Stopwatch.GetTimestamp() - begin;
        _engine.Steps.Admit(t, scheduler);
    }

    /// <inheritdoc />
    void ITimingHost.AdmitNext() => _driver.AdmitNext();

    /// <inheritdoc />
    void ITimingHost.StepCompleted()
    {
        // Every node is done with the step: its work records are free (a producer waiting for room may go on).
        _work.Complete();
        // Barrier steps end when the kernel is idle (the driver's); overlapped ones when their last node is done.
        if (_engine.Steps.Mode != ExecutionMode.Pipelined) return;
        _driver.EndStep();
    }

    /// <summary>Prices the ledger and gathers the run's figures.</summary>
    /// <exception cref="InvalidOperationException">A sample failed part-way on this executor.</exception>
    public ChipRunResult Finish()
    {
        ThrowIfFaulted();
        // The run is over: the producer need not park (a later sample would start a new one).
        _producer?.Stop();
        var chip = _program.Chip;
        var spec = chip.Spec;
        var starts = _driver.StepStartCycles;
        var ends = _driver.StepEndCycles;
        var latencies = starts.Zip(ends, (a, b) => b - a).ToArray();
        var total = ends.Count == 0 ? 0 : ends[^1] - starts[0];
        var (sampleCycles, interval) = StepThroughput.Measure(starts, ends, _sampleFirstSteps);
        var account = EnergyAccount.Compute(_ledger, chip.Costs, chip.Instances(_program),
            total / spec.BaseClockHz, ChipModel.BlockOf);
        var energyByLayer = account.Lines.Where(l => l.Layer != "").GroupBy(l => l.Layer).ToDictionary(g => g.Key, g => g.Sum(l => l.DynamicPj));
        var layers = _program.Nodes.Select(node =>
        {
            var i = node.Index;
            var compared = _spikeComparison[i];
            var golden = _golden is not null && compared.Cells > 0;
            // An output node passes its source's values on: its spikes are its non-zero outputs (compared with the software's, Compare).
            var chipSpikes = node.Node is OutputNode ? _active[i] : _chipSpikes[i];
            return new ChipLayerReport(node.Name, node.Kind.ToString().ToLowerInvariant(), node.Macros, _engine.Reads[i], chipSpikes,
                golden ? compared.SoftwareSpikes : -1, golden ? compared.CellAgreement : double.NaN, _maxDiff[i], _engine.Busy[i],
                energyByLayer.GetValueOrDefault(node.Name), _outputElements[i] == 0 ? 0 : (double)_active[i] / _outputElements[i], _updates[i],
                compared.Both, compared.Either);
        }).ToList();
        var units = new List<UnitStatistics>();
        foreach (var m in _engine.Macros) { m.Close(total); units.Add(m.Statistics); }
        foreach (var c in _engine.Cores) { c.Statistics.Close(total); if (c.Statistics.Arrivals > 0) units.Add(c.Statistics); }
        foreach (var l in _engine.Noc.Links) { l.Close(total); if (l.Arrivals > 0) units.Add(l); }
        SpikeRaster Join(List<SpikeRaster> list) => list.Count == 1 ? list[0] : SpikeRaster.Concatenate(list);
        return new ChipRunResult(_samples, starts.Count,
            _chipOut.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => Join(p.Value)),
            _softOut.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => Join(p.Value)),
            latencies, total, layers, account, chip.Costs, units, spec.Chip.Execution.ToString().ToLowerInvariant(), spec.BaseClockHz,
            _populations.Sum(p => p?.Saturations ?? 0),
            _program.Nodes.Where(x => _activityByStep[x.Index].Count > 0).ToDictionary(x => x.Name, x => (IReadOnlyList<double>)_activityByStep[x.Index]))
        {
            SampleCycles = sampleCycles,
            StepEndCycles = ends.ToArray(),
            StepIntervalCycles = interval,
        };
    }
}
