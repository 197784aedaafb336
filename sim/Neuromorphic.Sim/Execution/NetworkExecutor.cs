using System.Numerics;
using System.Numerics.Tensors;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// The functional executor: compiles a <see cref="Network"/> into operators and runs it for T
/// timesteps on the event kernel (each timestep is a tick event of a <see cref="TimestepDriver"/>).
/// Within a step, nodes are evaluated in <see cref="ExecutionPlan"/> order; recurrent edges read
/// the previous step. A <see cref="Discretisation"/> picks whose semantics the NIR neurons and the
/// first step of recurrent edges follow (NIR's forward Euler by default). No allocation per step.
/// </summary>
/// <typeparam name="T">float (default) or double.</typeparam>
public sealed class NetworkExecutor<T> : ITimestepListener where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network _network;
    private readonly ExecutionPlan _plan;
    private readonly IOperator<T>?[] _operators; // null for inputs
    private readonly T[][] _outputs;             // this step's output per node
    private readonly T[][] _inputSums;           // scratch per node with several sources
    private readonly int[] _inputNodes;
    private readonly int[] _order; // the plan's order as an array: foreach over it allocates nothing
    private readonly int[] _inputOffsets;
    private SpikeRaster? _stimulus;
    private Action<int>? _afterStep;

    /// <summary>Compiles <paramref name="network"/> for a run at timestep <paramref name="dt"/> seconds.</summary>
    /// <param name="network">The graph.</param>
    /// <param name="dt">Timestep in seconds.</param>
    /// <param name="discretisation">Whose semantics; null for NIR's forward Euler (<see cref="Discretisation.Nir"/>).</param>
    public NetworkExecutor(Network network, double dt, Discretisation? discretisation = null)
    {
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "dt must be a positive number of seconds");
        _network = network;
        Dt = dt;
        Discretisation = discretisation ?? Discretisation.Nir;
        _plan = new ExecutionPlan(network);
        _order = _plan.Order.ToArray();
        var n = network.Nodes.Count;
        _operators = new IOperator<T>?[n];
        _outputs = new T[n][];
        _inputSums = new T[n][];
        for (var i = 0; i < n; i++)
        {
            var node = network.Nodes[i];
            _operators[i] = Compile(node, dt, Discretisation);
            _outputs[i] = new T[Shape.Size(node.OutputShape!)];
            _inputSums[i] = _plan.Sources[i].Length == 1 && !_plan.Sources[i][0].Recurrent
                ? [] : new T[Shape.Size(node.InputShape!)];
        }
        _inputNodes = network.Nodes.Select((node, i) => (node, i)).Where(p => p.node is InputNode).Select(p => p.i).ToArray();
        _inputOffsets = new int[_inputNodes.Length + 1];
        for (var k = 0; k < _inputNodes.Length; k++) _inputOffsets[k + 1] = _inputOffsets[k] + _outputs[_inputNodes[k]].Length;
    }

    /// <summary>The run's timestep in seconds.</summary>
    public double Dt { get; }

    /// <summary>Whose semantics the run follows.</summary>
    public Discretisation Discretisation { get; }

    /// <summary>Total input channels: the sizes of all input nodes, in node order, concatenated.</summary>
    public int InputChannels => _inputOffsets[^1];

    /// <summary>The evaluation plan.</summary>
    public ExecutionPlan Plan => _plan;

    /// <summary>Total spikes emitted by spiking populations since the last reset.</summary>
    public long Spikes { get; private set; }

    /// <summary>This step's output of a node.</summary>
    public ReadOnlySpan<T> OutputOf(string node) => _outputs[_network.IndexOf(node)];

    /// <summary>The runtime state of a neuron node.</summary>
    public INeuronDynamics<T> Population(string node) =>
        _operators[_network.IndexOf(node)] is NeuronOperator<T> op ? op.Dynamics
            : throw new ArgumentException($"node '{node}' is not a neuron population");

    /// <summary>
    /// Returns every operator and buffer to its initial state. Under semantics whose recurrence
    /// starts at rest (<see cref="Discretisation.RecurrenceStartsAtRest"/>), the outputs are then
    /// those of the graph at rest (step -1: no input, every state zero), so a recurrent edge carries
    /// e.g. the bias of an Affine on its loop into the first step.
    /// </summary>
    public void Reset()
    {
        foreach (var op in _operators) op?.Reset();
        foreach (var buffer in _outputs) Array.Clear(buffer);
        Spikes = 0;
        if (_plan.BackEdgeCount > 0 && Discretisation.RecurrenceStartsAtRest) SettleAtRest();
    }

    /// <summary>
    /// Evaluates the stateless nodes in plan order on the outputs of the graph at rest; stateful
    /// ones (neurons, delays) output zero, their value before any input.
    /// </summary>
    private void SettleAtRest()
    {
        foreach (var i in _order)
        {
            if (_operators[i] is not { Stateless: true } op) continue;
            op.Forward(InputOf(i), _outputs[i]);
        }
    }

    /// <summary>
    /// Resets, then runs one timestep per row of <paramref name="stimulus"/> on a fresh kernel,
    /// recording the outputs and what <paramref name="record"/> asks for.
    /// </summary>
    /// <param name="stimulus">One row of input channels per timestep.</param>
    /// <param name="record">What to record besides the outputs.</param>
    /// <param name="cyclesPerStep">Kernel cycles between timestep ticks.</param>
    /// <param name="progress">Called with the finished fraction about a hundred times over the run.</param>
    /// <exception cref="ArgumentException">If the stimulus width differs from <see cref="InputChannels"/> or a recorded node is unknown.</exception>
    public RunResult Run(SpikeRaster stimulus, RecordRequest? record = null, long cyclesPerStep = 1, Action<double>? progress = null)
    {
        record ??= RecordRequest.OutputsOnly;
        if (stimulus.Channels != InputChannels)
            throw new ArgumentException($"the input has {stimulus.Channels} channels but the network's inputs take {InputChannels}");
        foreach (var name in record.Activity.Concat(record.Membranes))
            if (!_network.Contains(name)) throw new ArgumentException($"cannot record node '{name}': no such node");
        foreach (var name in record.Membranes)
            if (_network[name] is not NeuronNode) throw new ArgumentException($"cannot record the membrane of '{name}': not a neuron population");

        var steps = stimulus.Timesteps;
        var outputs = _network.Outputs.ToDictionary(o => o.Name, o => new SpikeRaster(steps, _outputs[_network.IndexOf(o.Name)].Length));
        var activity = record.Activity.Distinct().ToDictionary(a => a, a => new SpikeRaster(steps, _outputs[_network.IndexOf(a)].Length));
        var membranes = record.Membranes.Distinct().ToDictionary(m => m, m => new SpikeRaster(steps, Population(m).Size));

        Reset();
        _stimulus = stimulus;
        var reportEvery = Math.Max(1, steps / 100);
        _afterStep = step =>
        {
            if (progress is not null && (step + 1) % reportEvery == 0) progress((step + 1) / (double)steps);
            foreach (var (name, raster) in outputs) Copy(_outputs[_network.IndexOf(name)], raster.MutableRow(step));
            foreach (var (name, raster) in activity) Copy(_outputs[_network.IndexOf(name)], raster.MutableRow(step));
            foreach (var (name, raster) in membranes) Copy(Population(name).Membrane, raster.MutableRow(step));
        };
        var scheduler = new Scheduler();
        var driver = new TimestepDriver(scheduler, this, cyclesPerStep);
        try { driver.Run(steps); }
        finally { _stimulus = null; _afterStep = null; }
        return new RunResult(outputs, activity, membranes, Spikes, driver.StepStartCycles.ToArray());
    }

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        if (_stimulus is null) throw new InvalidOperationException("OnTimestep outside Run");
        Step(_stimulus.Row(step));
        _afterStep?.Invoke(step);
    }

    /// <summary>Advances the whole network by one timestep with this step's input channels.</summary>
    public void Step(ReadOnlySpan<float> inputChannels)
    {
        for (var k = 0; k < _inputNodes.Length; k++)
        {
            var target = _outputs[_inputNodes[k]];
            Copy(inputChannels.Slice(_inputOffsets[k], target.Length), target);
        }
        foreach (var i in _order)
        {
            var op = _operators[i];
            if (op is null) continue;
            op.Forward(InputOf(i), _outputs[i]);
            if (op is NeuronOperator<T> neurons && neurons.Dynamics.Spiking)
                Spikes += (long)double.CreateTruncating(TensorPrimitives.Sum<T>(_outputs[i]));
        }
    }

    /// <summary>The summed outputs of a node's sources (this step's, or the previous step's over recurrent edges).</summary>
    private ReadOnlySpan<T> InputOf(int node)
    {
        var sources = _plan.Sources[node];
        if (_inputSums[node].Length == 0 && sources.Length == 1) return _outputs[sources[0].Source];
        var sum = _inputSums[node];
        Array.Clear(sum);
        foreach (var (source, _) in sources) TensorPrimitives.Add(sum, _outputs[source], sum);
        return sum;
    }

    private static void Copy(ReadOnlySpan<float> from, Span<T> to)
    {
        for (var i = 0; i < from.Length; i++) to[i] = T.CreateChecked(from[i]);
    }

    private static void Copy(ReadOnlySpan<T> from, Span<float> to)
    {
        for (var i = 0; i < from.Length; i++) to[i] = float.CreateTruncating(from[i]);
    }

    private static IOperator<T>? Compile(Node node, double dt, Discretisation discretisation) => node switch
    {
        InputNode => null,
        OutputNode or FlattenNode => new CopyOperator<T>(),
        NeuronNode n => new NeuronOperator<T>(n.Model.CreateDynamics<T>(dt, discretisation)),
        DenseNode d => new DenseOperator<T>(d),
        SparseNode s => new SparseOperator<T>(s),
        ConvNode c => new ConvOperator<T>(c),
        PoolNode p => new PoolOperator<T>(p),
        ScaleNode s => new ScaleOperator<T>(s.Scale),
        ThresholdNode t => new ThresholdOperator<T>(t.Threshold),
        DelayNode d => new DelayOperator<T>(d.DelaySeconds, dt),
        _ => throw new NetworkException(node.Name, $"node type {node.GetType().Name} cannot be executed"),
    };
}
