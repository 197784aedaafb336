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
public sealed partial class ChipExecutor : ITimestepListener, IUnitClient, IStepClient
{
    private const long KindShift = 40;
    private const long SpikesArrived = 1, ReadsDone = 2, SumsArrived = 3, CoreDone = 4, AddsDone = 5;

    private readonly ChipProgram _program;
    private readonly Network _network;
    private readonly Ledger _ledger = new();
    private readonly Scheduler _scheduler = new();
    private readonly TimestepDriver _driver;
    private readonly NocUnit _noc;
    private readonly NeuronCoreUnit[] _cores;
    private readonly MacroRuntime[] _macros;
    private readonly MacroGroup[] _groups;
    private readonly int[][] _stepGroups;           // per crossbar node: the groups with work this step
    private readonly int[] _stepGroupCount;
    private readonly AlarmUnit _alarm;
    private readonly int _sumBits;
    private readonly CrossbarRuntime?[] _crossbars;
    private readonly FixedPointPopulation?[] _populations;
    private readonly DigitalRuntime?[] _digital;
    private readonly double[][] _outputs, _inputs;
    private readonly byte[][] _updated;
    private readonly int[] _order;
    private readonly bool[] _deferred;
    private readonly (int Source, bool Recurrent)[][] _sources;
    private readonly StepScheduler _steps;
    private readonly StepWorkQueue _work;
    private readonly List<int> _sampleFirstSteps = [];
    private readonly int[] _pendingWork;
    private readonly long[] _nodeStart, _busy, _reads, _chipSpikes, _softwareSpikes, _matches, _compared, _active, _outputElements, _updates;
    private readonly double[] _maxDiff;
    private readonly long[] _both, _either;
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
    private int _stamp;
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
    public ChipExecutor(ChipProgram program, double dt, ulong seed, bool golden = true, bool idealNeuronCore = false)
    {
        _program = program;
        _network = program.Network;
        var chip = program.Chip;
        var spec = chip.Spec;
        var n = _network.Nodes.Count;
        Dt = dt;
        _noise = DeterministicRandom.ForComponent(seed, "chip.read_noise");
        _noc = new NocUnit(_scheduler, spec.Noc, spec.BaseClockHz, _ledger);
        var coreEdge = Ratio(spec.BaseClockHz, spec.NeuronCore.ClockHz, "neuron core");
        _cores = Enumerable.Range(0, spec.Chip.Tiles).Select(t => new NeuronCoreUnit(_scheduler, new UnitStatistics($"tile{t}.neuron_core", "neuron_core"),
            spec.NeuronCore.Lanes, spec.NeuronCore.PipelineLatencyCycles, coreEdge, this)).ToArray();
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
        _steps = new StepScheduler(spec.Chip.Execution, _order, sameStep.Select(x => x.ToArray()).ToArray(), previousStep.Select(x => x.ToArray()).ToArray(), this);
        _pendingWork = new int[n];
        (_nodeStart, _busy, _reads, _chipSpikes, _softwareSpikes) = (new long[n], new long[n], new long[n], new long[n], new long[n]);
        (_matches, _compared, _active, _outputElements, _updates, _digitalWork) = (new long[n], new long[n], new long[n], new long[n], new long[n], new long[n]);
        _maxDiff = new double[n];
        (_both, _either) = (new long[n], new long[n]);
        _activityByStep = Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
        _nocHandles = _network.Nodes.Select(x => _noc.Handles(x.Name)).ToArray();
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
        _crossbars = new CrossbarRuntime?[n];
        _populations = new FixedPointPopulation?[n];
        _digital = new DigitalRuntime?[n];
        _updated = new byte[n][];
        var format = spec.NeuronCore.Format;
        MacroScratch? scratch = null;
        foreach (var node in program.Nodes)
        {
            var i = node.Index;
            _hAdd[i] = _ledger.Register(AccumulateCore.Component, node.Name, AccumulateCore.AccumulateAction);
            _hBufferWrite[i] = _ledger.Register(PartialSumAdder.BufferComponent, node.Name, PartialSumAdder.WriteBitAction);
            _hBufferRead[i] = _ledger.Register(PartialSumAdder.BufferComponent, node.Name, PartialSumAdder.ReadBitAction);
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
                    var timing = new MacroUnit(_scheduler, new UnitStatistics($"tile{tile.Tile}.macro{tile.Macro % spec.Chip.MacrosPerTile}", "macro"),
                        (spec.Macro.DriveCycles + spec.Macro.SettleCycles) * macroEdge,
                        function.ConversionCycles * chip.Mux.RoundsFor(tile.Array.PhysicalColumns),
                        spec.Macro.ShiftAddCycles * macroEdge, macroEdge, this);
                    var from = SourceTilesOf(node, tile, sourceTiles);
                    var to = TargetTilesOf(node, tile);
                    macros.Add(new MacroRuntime(macros.Count, i, c, tile, function, timing, from, to));
                    own.Add(macros[^1]);
                }
            }
            _crossbars[i] = new CrossbarRuntime(node, own.ToArray(), _inputs[i].Length, chip.LogicalColumnsPerMacro, spec.Macro.Crossbar.Rows);
        }
        _macros = macros.ToArray();
        // NoC traffic is aggregated per group: the macros of one node on one tile.
        _groups = _macros.GroupBy(m => (m.Node, m.Tile.Tile)).Select((g, k) => new MacroGroup(k, g.Key.Node, g.Key.Tile, g.ToArray())).ToArray();
        // Per macro: its group, its place in it (each macro's step work keeps both at hand).
        var (groupOf, memberOf) = (new MacroGroup[_macros.Length], new int[_macros.Length]);
        foreach (var g in _groups)
            for (var k = 0; k < g.Macros.Length; k++) (groupOf[g.Macros[k].Index], memberOf[g.Macros[k].Index]) = (g, k);
        _stepGroups = Enumerable.Range(0, n).Select(i => new int[_groups.Count(g => g.Node == i)]).ToArray();
        _stepGroupCount = new int[n];
        _alarm = new AlarmUnit(_scheduler, this);
        _sumBits = spec.Macro.AccumulatorBits + _addressBits;
        _driver = new TimestepDriver(_scheduler, this, cyclesPerStep: 0);
        if (golden) _golden = new NetworkExecutor<float>(_network, dt);
        _inputNodes = _network.Nodes.Select((x, k) => (x, k)).Where(p => p.x is InputNode).Select(p => p.k).ToArray();
        _inputOffsets = new int[_inputNodes.Length + 1];
        for (var k = 0; k < _inputNodes.Length; k++) _inputOffsets[k + 1] = _inputOffsets[k] + _outputs[_inputNodes[k]].Length;
        foreach (var o in _network.Outputs) { _chipOut[o.Name] = []; _softOut[o.Name] = []; }
        _activeOut = _outputs.Select(o => new int[o.Length]).ToArray();
        _activeIn = _inputs.Select(x => new int[x.Length]).ToArray();
        _inStamp = _inputs.Select(x => new int[x.Length]).ToArray();
        _activeOutCount = new int[n];
        _activeInCount = new int[n];
        _allUpdated = new bool[n];
        Array.Fill(_activeOutCount, -1);
        Array.Fill(_activeInCount, -1);
        _work = new StepWorkQueue(program.Nodes, _macros, groupOf, memberOf, _crossbars, _updated, _allUpdated, _digitalWork);
        _bySource = TakesInputsBySource();
    }

    /// <summary>The network's timestep, seconds.</summary>
    public double Dt { get; }

    /// <summary>Input channels (all input nodes, concatenated).</summary>
    public int InputChannels => _inputOffsets[^1];

    /// <summary>Discrete events the kernel has dispatched so far (timestep ticks included): the simulator's event work.</summary>
    public long KernelEvents => _scheduler.Dispatched;

    /// <summary>NoC packets sent so far (those within a tile included).</summary>
    public long NocPackets => _noc.Packets;

    /// <summary>The action counts so far.</summary>
    public Ledger Ledger => _ledger;

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
    public IReadOnlyDictionary<string, SpikeRaster> RunSample(SpikeRaster input, IReadOnlyDictionary<string, SpikeRaster>? recorded)
    {
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
        _steps.BeginSample(input.Timesteps);
        if (_steps.Mode == ExecutionMode.Pipelined) _driver.RunOverlapped(input.Timesteps);
        else
        {
            _driver.Run(input.Timesteps);
            if (input.Timesteps > 0) _probe?.StepEnded(input.Timesteps - 1, _scheduler.Now);
        }
        foreach (var (name, r) in sample) _chipOut[name].Add(r);
        LastSoftwareOutputs = _golden is null ? new Dictionary<string, SpikeRaster>() : software;
        if (_golden is not null) foreach (var (name, r) in software) _softOut[name].Add(r);
        _samples++;
        _stimulus = null;
        return sample;
    }

    private (Dictionary<string, SpikeRaster> Chip, Dictionary<string, SpikeRaster> Software) _current;
    private SpikeRaster?[] _recorded = [];
    private int _step;

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
            if (value is not null && _steps.Mode == ExecutionMode.Pipelined)
                throw new ChipExecutionException("waveforms (--vcd) are written step by step and need chip.execution: barrier; this architecture pipelines its timesteps");
            _probe = value;
            value?.Describe(_macros.Select(m => _network.Nodes[m.Node].Name).ToList());
        }
    }

    private IChipRunProbe? _probe;

    /// <summary>The current output of node <paramref name="name"/> (during a step: this step's; between steps: the last one's).</summary>
    public ReadOnlySpan<double> OutputOf(string name) => _outputs[_network.IndexOf(name)];

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        var t = step - _firstStep;
        // Only barrier runs have a probe (the setter refuses pipelined ones), so the previous step has ended here.
        if (t > 0) _probe?.StepEnded(t - 1, scheduler.Now);
        _step = t;
        var row = _stimulus!.Row(t);
        Function(row);
        _probe?.StepStarted(t, scheduler.Now);
        if (_golden is not null) Compare(row, t);
        foreach (var (name, raster) in _current.Chip)
        {
            var target = raster.MutableRow(t);
            var output = _outputs[_network.IndexOf(name)];
            for (var k = 0; k < output.Length; k++) target[k] = (float)output[k];
        }
        // Timing: the step's work is left for the nodes, which start it when the step scheduler says.
        _work.Capture();
        _steps.Admit(t, scheduler);
    }

    /// <inheritdoc />
    void IStepClient.StartNode(int node, int step, Scheduler scheduler) => Start(node, scheduler);

    /// <inheritdoc />
    void IStepClient.AdmitNext(Scheduler scheduler) => _driver.AdmitNext();

    /// <inheritdoc />
    void IStepClient.StepCompleted(int step, Scheduler scheduler)
    {
        // Barrier steps end when the kernel is idle (the driver's); overlapped ones when their last node is done.
        if (_steps.Mode != ExecutionMode.Pipelined) return;
        _driver.EndStep();
    }

    /// <summary>The function pass of one timestep: every node in evaluation order, on the chip's arithmetic.</summary>
    private void Function(ReadOnlySpan<float> row)
    {
        // Deferred crossbars first (they come first in the order), on their sources' outputs of the step before.
        var k0 = 0;
        for (; k0 < _order.Length && _deferred[_order[k0]]; k0++) Evaluate(_order[k0]);
        for (var k = 0; k < _inputNodes.Length; k++)
        {
            var i = _inputNodes[k];
            var target = _outputs[i];
            var list = _activeOut[i];
            var n = 0;
            for (var e = 0; e < target.Length; e++)
            {
                var x = row[_inputOffsets[k] + e];
                target[e] = x;
                if (x != 0) list[n++] = e;
            }
            _activeOutCount[i] = n;
        }
        for (var k = k0; k < _order.Length; k++) Evaluate(_order[k]);
    }

    /// <summary>One node of the function pass.</summary>
    private void Evaluate(int i)
    {
        {
            var node = _program.Nodes[i];
            if (node.Kind == ChipNodeKind.Input)
            {
                if (_recorded[i] is { } given) { Copy(given.Row(_step), _outputs[i]); _activeOutCount[i] = -1; }
                Count(i);
                return;
            }
            var input = _inputs[i];
            var bySource = node.Kind == ChipNodeKind.Population && InputsBySource(i);
            var through = node.Kind == ChipNodeKind.Crossbar ? ListedSource(i) : -1;
            if (!bySource && through < 0) Gather(i);
            var output = _outputs[i];
            var inputsKnown = _activeInCount[i] >= 0;
            var active = _activeIn[i].AsSpan(0, Math.Max(0, _activeInCount[i]));
            if (through >= 0)
            {
                // A crossbar reads its one listed source in place (ListedSource).
                (input, inputsKnown) = (_outputs[through], true);
                active = _activeOut[through].AsSpan(0, _activeOutCount[through]);
            }
            _activeOutCount[i] = -1;
            switch (node.Kind)
            {
                case ChipNodeKind.Crossbar:
                    var crossbar = _crossbars[i]!;
                    var source = _sources[i][0].Source;
                    if (inputsKnown && _sources[i].Length > 1) active.Sort();
                    crossbar.Step(input, active, inputsKnown, output, _program.Nodes[source].OutputTile, _noise, costOnly: false);
                    _ledger.Add(_hAdd[i], crossbar.Additions + crossbar.BiasAdditions);
                    if (crossbar.OutputSparse) SetActive(i, crossbar.Written);
                    break;
                case ChipNodeKind.Population when _recorded[i] is { } given:
                    // Replay: the recorded activity stands in for the dynamics' output. The core updates the
                    // neurons the dynamics, driven by the same inputs, have to update (on the chip that recorded
                    // the activity: exactly the run's updates).
                    var replayed = _populations[i]!.Step(input, active, inputsKnown, output, _updated[i]);
                    Copy(given.Row(_step), output);
                    _allUpdated[i] = replayed == _populations[i]!.Size;
                    _ledger.Add(_hUpdate[i], replayed);
                    _updates[i] += replayed;
                    long fired = 0;
                    foreach (var v in output) if (v != 0) fired++;
                    _ledger.Add(_hSpike[i], fired);
                    _chipSpikes[i] += fired;
                    break;
                case ChipNodeKind.Population:
                    var population = _populations[i]!;
                    var updated = bySource ? StepBySource(i, population, output) : population.Step(input, active, inputsKnown, output, _updated[i]);
                    _allUpdated[i] = updated == population.Size;
                    _ledger.Add(_hUpdate[i], updated);
                    _updates[i] += updated;
                    if (population.Spiking)
                    {
                        var spikes = population.Fired;
                        _ledger.Add(_hSpike[i], spikes.Length);
                        _chipSpikes[i] += spikes.Length;
                        SetActive(i, spikes);
                        SpikesOf?.Invoke(node.Name, _step, spikes);
                    }
                    break;
                case ChipNodeKind.Digital:
                    _digitalWork[i] = _digital[i]!.Forward(input, output);
                    _ledger.Add(_hAdd[i], _digitalWork[i]);
                    break;
                default:
                    input.CopyTo(output, 0);
                    if (inputsKnown) SetActive(i, active);
                    break;
            }
            Count(i);
        }
    }

    /// <summary>Receives each spiking population's spikes of every step (node, step of the sample, neurons ascending), if set.</summary>
    public Action<string, int, ReadOnlySpan<int>>? SpikesOf { get; set; }

    private void SetActive(int i, ReadOnlySpan<int> entries)
    {
        entries.CopyTo(_activeOut[i]);
        _activeOutCount[i] = entries.Length;
    }

    /// <summary>
    /// Sums node <paramref name="i"/>'s sources into its input. When every source says which of its
    /// outputs may be non-zero, only those are cleared and added (and listed, once each); otherwise the
    /// whole input is.
    /// </summary>
    private void Gather(int i)
    {
        var input = _inputs[i];
        var sources = _sources[i];
        var sparse = true;
        foreach (var (s, _) in sources) sparse &= _activeOutCount[s] >= 0;
        if (!sparse)
        {
            Array.Clear(input);
            foreach (var (s, _) in sources)
            {
                var from = _outputs[s];
                for (var e = 0; e < input.Length; e++) input[e] += from[e];
            }
            _activeInCount[i] = -1;
            return;
        }
        var list = _activeIn[i];
        if (_activeInCount[i] < 0) Array.Clear(input);
        else foreach (var e in list.AsSpan(0, _activeInCount[i])) input[e] = 0;
        var current = NextStamp();
        var stamp = _inStamp[i];
        var n = 0;
        foreach (var (s, _) in sources)
        {
            var from = _outputs[s];
            foreach (var e in _activeOut[s].AsSpan(0, _activeOutCount[s]))
            {
                if (stamp[e] != current) { stamp[e] = current; list[n++] = e; }
                input[e] += from[e];
            }
        }
        _activeInCount[i] = n;
    }

    private static void Copy(ReadOnlySpan<float> from, Span<double> to)
    {
        for (var k = 0; k < to.Length; k++) to[k] = from[k];
    }

    private void Count(int i)
    {
        var output = _outputs[i];
        long active = 0;
        if (_activeOutCount[i] >= 0)
            foreach (var e in _activeOut[i].AsSpan(0, _activeOutCount[i])) { if (output[e] != 0) active++; }
        else
            foreach (var v in output) if (v != 0) active++;
        _active[i] += active;
        _outputElements[i] += output.Length;
        var kind = _program.Nodes[i].Kind;
        if (kind is ChipNodeKind.Population or ChipNodeKind.Input) _activityByStep[i].Add(output.Length == 0 ? 0 : (double)active / output.Length);
    }

    private void Compare(ReadOnlySpan<float> row, int t)
    {
        _golden!.Step(row);
        foreach (var node in _program.Nodes)
        {
            var i = node.Index;
            if (node.Kind != ChipNodeKind.Population && node.Node is not OutputNode) continue;
            var chip = _outputs[i];
            var software = _golden.OutputOf(node.Name);
            var spiking = _populations[i]?.Spiking ?? true;
            for (var k = 0; k < chip.Length; k++)
            {
                if (spiking)
                {
                    if ((chip[k] != 0) == (software[k] != 0)) _matches[i]++;
                    if (chip[k] != 0 && software[k] != 0) _both[i]++;
                    if (chip[k] != 0 || software[k] != 0) _either[i]++;
                    if (software[k] != 0 && node.Kind == ChipNodeKind.Population) _softwareSpikes[i]++;
                }
                else _maxDiff[i] = Math.Max(_maxDiff[i], Math.Abs(chip[k] - software[k]));
            }
            _compared[i] += chip.Length;
            if (node.Node is OutputNode && _current.Software.TryGetValue(node.Name, out var raster)) software.CopyTo(raster.MutableRow(t));
        }
    }

    // ---- timing ----

    private void Start(int i, Scheduler s)
    {
        _nodeStart[i] = s.Now;
        var node = _program.Nodes[i];
        var work = _work.Start(i);
        switch (node.Kind)
        {
            case ChipNodeKind.Crossbar:
            {
                // The step's spikes go out as one packet per (source tile, group): each macro's list in flits of its own.
                var groups = _stepGroups[i];
                var count = 0;
                for (var k = 0; k < work.MacroCount; k++)
                {
                    var w = work.Macro(k);
                    if (w.Reads == 0) continue;
                    var g = w.Group;
                    if (g.ActiveCount == 0) groups[count++] = g.Index;
                    g.Active[g.ActiveCount++] = w;
                    AddPayloads(g, w, inbound: true);
                }
                _stepGroupCount[i] = count;
                _pendingWork[i] = count;
                for (var k = 0; k < count; k++)
                {
                    var g = _groups[groups[k]];
                    if (SendPackets(g, inbound: true, s) == 0) StartReads(g, s);
                }
                if (count == 0) Done(i, s);
                break;
            }
            case ChipNodeKind.Population:
                var population = _populations[i]!;
                var slices = node.Slices;
                _pendingWork[i] = slices.Count;
                for (var k = 0; k < slices.Count; k++) _cores[slices[k].Tile].Submit(s, work.SliceUpdates[k], Token(CoreDone, i));
                if (slices.Count == 0) Done(i, s);
                break;
            case ChipNodeKind.Digital:
                _pendingWork[i] = 1;
                _cores[node.OutputTile.Length > 0 ? node.OutputTile[0] : 0].Submit(s, work.Operations, Token(CoreDone, i));
                break;
            default:
                Done(i, s);
                break;
        }
    }

    private void Done(int i, Scheduler s)
    {
        _busy[i] += s.Now - _nodeStart[i];
        _work.Finish(i);
        _steps.Finished(i, s);
    }

    private static long Token(long kind, int index) => kind << (int)KindShift | (uint)index;

    /// <inheritdoc />
    public void Completed(long token, Scheduler s)
    {
        var kind = token >> (int)KindShift;
        var index = (int)(token & uint.MaxValue);
        switch (kind)
        {
            case SpikesArrived:
            {
                var g = _groups[index];
                if (--g.PendingPackets == 0) StartReads(g, s);
                break;
            }
            case ReadsDone:
            {
                var g = _groups[index];
                for (var a = 0; a < g.ActiveCount; a++)
                {
                    var w = g.Active[a];
                    var m = w.Macro;
                    _reads[m.Node] += w.Reads;
                    _probe?.MacroOperated(m.Index, m.RequestedAt, m.DoneAt, w.Reads, (long)w.Reads * m.Tile.Array.PhysicalColumns);
                    AddPayloads(g, w, inbound: false);
                }
                if (SendPackets(g, inbound: false, s) == 0) GroupDone(g, s);
                break;
            }
            case SumsArrived:
            {
                var g = _groups[index];
                if (--g.PendingPackets == 0) GroupDone(g, s);
                break;
            }
            case CoreDone:
                if (--_pendingWork[index] == 0) Done(index, s);
                break;
            case AddsDone:
                Done(index, s);
                break;
        }
    }

    /// <summary>The receiving tile's I/O buffer takes the packet's bits in and hands them on once each.</summary>
    private void Buffered(int node, long bits)
    {
        _ledger.Add(_hBufferWrite[node], bits);
        _ledger.Add(_hBufferRead[node], bits);
    }

    /// <summary>
    /// Adds one macro's payloads to the group's packets: its spikes per source tile (<paramref name="inbound"/>)
    /// or its partial sums per target tile, each in flits of its own.
    /// </summary>
    private void AddPayloads(MacroGroup g, MacroWork w, bool inbound)
    {
        var counts = inbound ? w.SpikesFrom : w.ValuesTo;
        var slots = inbound ? w.SourceSlots : w.TargetSlots;
        var bitsEach = inbound ? _addressBits : _sumBits;
        // Compacted word lines: each spike's entry for this macro is read from its source tile's row-address table.
        var rowTable = inbound ? _hRowTable[g.Node] : -1;
        var (groupBits, groupFlits) = (g.Bits, g.Flits);
        for (var k = 0; k < counts.Length; k++)
        {
            var count = counts[k];
            if (count == 0) continue;
            if (rowTable >= 0) _ledger.Add(rowTable, count);
            var bits = (long)count * bitsEach;
            var slot = slots[k];
            groupBits[slot] += bits;
            groupFlits[slot] += _noc.FlitsFor(bits);
        }
    }

    /// <summary>
    /// Sends the group's assembled packets: from each source tile to the group's tile (<paramref name="inbound"/>:
    /// spikes) or from it to each target tile (partial sums), and empties them. Returns how many it sent.
    /// </summary>
    private int SendPackets(MacroGroup g, bool inbound, Scheduler s)
    {
        var tiles = inbound ? g.SourceTiles : g.TargetTiles;
        var flits = g.Flits;
        var count = 0;
        for (var slot = 0; slot < tiles.Length; slot++) if (flits[slot] > 0) count++;
        g.PendingPackets = count;
        var token = Token(inbound ? SpikesArrived : SumsArrived, g.Index);
        for (var slot = 0; slot < tiles.Length; slot++)
        {
            if (flits[slot] == 0) continue;
            // Compacted word lines: the packet leaves once its spikes' row addresses are read, one table entry per cycle.
            var ready = inbound && _hRowTable[g.Node] >= 0 ? s.Now + g.Bits[slot] / _addressBits * _rowTableCycles : s.Now;
            var (from, to) = inbound ? (tiles[slot], g.Tile) : (g.Tile, tiles[slot]);
            _noc.SendFlits(s, from, to, flits[slot], ready, this, token, _nocHandles[g.Node]);
            Buffered(g.Node, g.Bits[slot]);
            // The packet is out: its slot is left empty for the next one (no clearing of the whole group's packets).
            (flits[slot], g.Bits[slot]) = (0, 0);
        }
        return count;
    }

    /// <summary>The group's spikes are in: its macros queue their reads (timed now), one event at the last one's end.</summary>
    private void StartReads(MacroGroup g, Scheduler s)
    {
        var end = s.Now;
        for (var a = 0; a < g.ActiveCount; a++)
        {
            var w = g.Active[a];
            var m = w.Macro;
            m.RequestedAt = s.Now;
            m.DoneAt = m.Timing.Reserve(s, w.Reads);
            end = Math.Max(end, m.DoneAt);
        }
        _alarm.At(s, end, Token(ReadsDone, g.Index));
    }

    private void GroupDone(MacroGroup g, Scheduler s)
    {
        g.ActiveCount = 0;
        MacroDone(g.Node, s);
    }

    private void MacroDone(int node, Scheduler s)
    {
        if (--_pendingWork[node] > 0) return;
        // Row blocks' partial sums and biases meet on the neuron core's adders.
        var adds = _work.Current(node).Operations;
        var tile = _program.Nodes[node].OutputTile.Length > 0 ? _program.Nodes[node].OutputTile[0] : 0;
        _cores[tile].Submit(s, adds, Token(AddsDone, node));
    }

    /// <summary>Prices the ledger and gathers the run's figures.</summary>
    public ChipRunResult Finish()
    {
        var chip = _program.Chip;
        var spec = chip.Spec;
        var starts = _driver.StepStartCycles;
        var ends = _driver.StepEndCycles;
        var latencies = starts.Zip(ends, (a, b) => b - a).ToArray();
        var total = ends.Count == 0 ? 0 : ends[^1] - starts[0];
        var (sampleCycles, interval) = StepThroughput.Measure(starts, ends, _sampleFirstSteps);
        var adcs = _macros.Length == 0 ? 0 : chip.Mux.AdcsFor(_macros[0].Tile.Array.PhysicalColumns);
        var account = EnergyAccount.Compute(_ledger, chip.Costs, chip.Instances(_program.MacrosUsed, _program.TilesUsed, adcs, _program.RowTableTiles),
            total / spec.BaseClockHz, ChipModel.BlockOf);
        var energyByLayer = account.Lines.Where(l => l.Layer != "").GroupBy(l => l.Layer).ToDictionary(g => g.Key, g => g.Sum(l => l.DynamicPj));
        var layers = _program.Nodes.Select(node =>
        {
            var i = node.Index;
            var golden = _golden is not null && _compared[i] > 0;
            return new ChipLayerReport(node.Name, node.Kind.ToString().ToLowerInvariant(), node.Macros, _reads[i], _chipSpikes[i],
                golden ? _softwareSpikes[i] : -1, golden ? (double)_matches[i] / _compared[i] : double.NaN, _maxDiff[i], _busy[i],
                energyByLayer.GetValueOrDefault(node.Name), _outputElements[i] == 0 ? 0 : (double)_active[i] / _outputElements[i], _updates[i],
                _both[i], _either[i]);
        }).ToList();
        var units = new List<UnitStatistics>();
        foreach (var m in _macros) { m.Timing.Close(total); units.Add(m.Timing.Statistics); }
        foreach (var c in _cores) { c.Statistics.Close(total); if (c.Statistics.Arrivals > 0) units.Add(c.Statistics); }
        foreach (var l in _noc.Links) { l.Close(total); if (l.Arrivals > 0) units.Add(l); }
        SpikeRaster Join(List<SpikeRaster> list) => list.Count == 1 ? list[0] : SpikeRaster.Concatenate(list);
        return new ChipRunResult(_samples, starts.Count,
            _chipOut.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => Join(p.Value)),
            _softOut.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => Join(p.Value)),
            latencies, total, layers, account, chip.Costs, units, spec.Chip.Execution.ToString().ToLowerInvariant(), spec.BaseClockHz,
            _populations.Sum(p => p?.Saturations ?? 0),
            _program.Nodes.Where(x => _activityByStep[x.Index].Count > 0).ToDictionary(x => x.Name, x => (IReadOnlyList<double>)_activityByStep[x.Index]))
        {
            SampleCycles = sampleCycles,
            StepIntervalCycles = interval,
        };
    }
}
