using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Runs the CUBA network with exact integration of its linear ODEs and Brian2's order of work in
/// a timestep: integrate (membranes held while refractory), threshold, deliver spikes to ge/gi
/// (visible from the next step's integration), reset. State is float32, updated as SIMD vectors;
/// spikes are delivered block by block along the compact synapse layout of <see cref="CubaNetwork"/>,
/// on one thread (<see cref="Step"/>) or several (<see cref="Run"/>). Nothing is allocated per step.
/// </summary>
public sealed class CubaSimulation : ITimestepListener
{
    /// <summary>Stored membranes at or above this mark are neurons held after a spike (<see cref="CubaIntegration.HeldMark"/>).</summary>
    internal const float HeldMark = CubaIntegration.HeldMark;

    private readonly CubaNetwork _network;
    private readonly float[] _v;              // membrane, or HeldMark + held steps left
    private readonly float[] _ge, _gi;        // stored scaled, see CubaDecayClock
    private readonly int[] _spikeCounts;
    private readonly int[] _spiking;          // indices of this step's spikes
    private readonly CubaDecayClock _clock;
    private CubaSpikeRouter? _router;         // all groups, for the one-thread phased path (made on first use)
    private readonly CubaMembrane _membrane;
    private readonly int _excitatory, _bucketCapacity;
    private int _fired;
    private StepCoefficients _next;           // coefficients of the next step to integrate

    /// <summary>Creates the state; initial membranes uniform in [Vr, Vt) from the stream "cuba.initial_v".</summary>
    public CubaSimulation(CubaNetwork network, ulong seed) : this(network, seed, 0)
    {
    }

    /// <summary>Creates the state with delivery buckets of <paramref name="bucketCapacity"/> entries (0: sized for the network; tests make them tiny).</summary>
    internal CubaSimulation(CubaNetwork network, ulong seed, int bucketCapacity)
    {
        _bucketCapacity = bucketCapacity;
        _network = network;
        var p = network.Parameters;
        var n = p.Neurons;
        _v = CubaLargeArrays.Allocate<float>(n, zeroed: false); // drawn below
        _ge = CubaLargeArrays.Allocate<float>(n, zeroed: true);
        _gi = CubaLargeArrays.Allocate<float>(n, zeroed: true);
        _spikeCounts = new int[n];
        _spiking = new int[n];
        var rng = DeterministicRandom.ForComponent(seed, "cuba.initial_v");
        for (var i = 0; i < n; i++) _v[i] = (float)(p.Reset + rng.NextDouble() * (p.Threshold - p.Reset));
        _clock = new CubaDecayClock(p);
        _next = _clock.For(0);
        _membrane = CubaMembrane.Of(p);
        _excitatory = p.Excitatory;
    }

    /// <summary>Tests only: steers which thread of <see cref="Run"/> integrates which groups; null (none) in production.</summary>
    internal ICubaClaimHooks? ClaimHooks { get; set; }

    /// <summary>Total spikes so far.</summary>
    public long Spikes { get; private set; }

    /// <summary>Synaptic events so far (spikes x their out-degree).</summary>
    public long SynapticEvents { get; private set; }

    /// <summary>
    /// Thread-seconds the threads of <see cref="Run"/> spent in steps without work so far: woken late, or
    /// waiting at a step's end for the others (0 on one thread). With the step's wall time and the
    /// threads, it tells an unbalanced or disturbed run from one bound by the memory they share.
    /// </summary>
    internal double IdleThreadSeconds { get; private set; }

    /// <summary>Groups of destination blocks a thread of <see cref="Run"/> integrated for another (from its home run) so far.</summary>
    internal long GroupsTaken { get; private set; }

    /// <summary>Timesteps simulated so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>Spikes per neuron so far.</summary>
    public ReadOnlySpan<int> SpikeCounts => _spikeCounts;

    /// <summary>Membrane potential of <paramref name="neuron"/> (mV).</summary>
    public float MembraneOf(int neuron) => _v[neuron] >= HeldMark ? _membrane.Reset : _v[neuron];

    /// <summary>Excitatory synaptic variable ge of <paramref name="neuron"/> (mV), as the next step will integrate it.</summary>
    public float ExcitatoryOf(int neuron) => (float)(_ge[neuron] * _next.ScaleE);

    /// <summary>Inhibitory synaptic variable gi of <paramref name="neuron"/> (mV), as the next step will integrate it.</summary>
    public float InhibitoryOf(int neuron) => (float)(_gi[neuron] * _next.ScaleI);

    /// <summary>Overwrites one neuron's state (tests drive single neurons against closed forms).</summary>
    internal void SetState(int neuron, float v, float ge, float gi) =>
        (_v[neuron], _ge[neuron], _gi[neuron]) = (v, (float)(ge / _next.ScaleE), (float)(gi / _next.ScaleI));

    /// <summary>
    /// Runs <paramref name="steps"/> timesteps, each a tick of the event kernel, on up to
    /// <paramref name="threads"/> threads (one per group of destination blocks; never more than the
    /// network has blocks). Spikes, counts and state are bit-identical for every thread count.
    /// </summary>
    /// <param name="steps">Timesteps to run.</param>
    /// <param name="threads">Threads, at least 1.</param>
    /// <param name="spikes">Receives each step's spikes (several ascending pieces per step with several threads), if not null.</param>
    /// <param name="progress">Receives the fraction done about every 1 % of the steps, if not null.</param>
    public void Run(int steps, int threads = 1, CubaSpikeSink? spikes = null, Action<double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (_fired != 0) throw new InvalidOperationException("a step begun with Integrate() must be finished with FinishStep() before Run");
        using var run = new CubaParallelRun(this, threads, spikes, progress, steps, _bucketCapacity);
        var scheduler = new Scheduler();
        new TimestepDriver(scheduler, run, cyclesPerStep: 1).Run(steps);
        run.Finish();
    }

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler) => Step();

    /// <summary>Advances the network by one timestep on the calling thread, delivering spikes along the synapses.</summary>
    public void Step()
    {
        Integrate();
        DeliverAlongSynapses();
        FinishStep();
    }

    /// <summary>
    /// First phase of a step (Brian2's groups and thresholds slots): integrates every membrane and
    /// finds this step's spikes (<see cref="Spiking"/>). A hardware model then delivers them its own
    /// way (<see cref="AddSynapticInput"/>) before <see cref="FinishStep"/>.
    /// </summary>
    public void Integrate()
    {
        _fired = IntegrateRange(_next, 0, _v.Length, _spiking.AsSpan());
        Integrated(StepsDone);
    }

    /// <summary>This step's spiking neurons, ascending (valid between <see cref="Integrate"/> and <see cref="FinishStep"/>).</summary>
    public ReadOnlySpan<int> Spiking => _spiking.AsSpan(0, _fired);

    /// <summary>Adds synaptic input to a neuron's ge and gi (mV), visible from the next step's integration.</summary>
    public void AddSynapticInput(int neuron, float excitatory, float inhibitory)
    {
        _ge[neuron] += (float)(excitatory / _next.ScaleE);
        _gi[neuron] += (float)(inhibitory / _next.ScaleI);
    }

    /// <summary>Delivers this step's spikes in software, block by block along the synapses.</summary>
    public void DeliverAlongSynapses()
    {
        if (_network.Blocks == 1)
        {
            SynapticEvents += Route(Spiking);
            return;
        }
        if (_router is null)
        {
            var group = CubaSpikeRouter.ChooseGroupBlocks(_network, [0]);
            _router = CreateRouter(group, _bucketCapacity > 0 ? _bucketCapacity : CubaSpikeRouter.ChooseCapacity(_network, _v.Length, group));
        }
        _router.Begin(_spiking);
        SynapticEvents += _router.Route(_fired);
        for (var group = 0; group < _router.Groups; group++) _router.Flush(group, _next.WeightE, _next.WeightI);
    }

    /// <summary>Last phase of a step (Brian2's resets slot): resets the spiking neurons and counts.</summary>
    public void FinishStep()
    {
        Reset(Spiking);
        Spikes += _fired;
        StepsDone++;
        _fired = 0;
    }

    /// <summary>Bytes held by the state arrays (membranes, ge, gi, spike counts and list, the phased path's delivery buckets once used).</summary>
    public long StateBytes =>
        4L * (_v.LongLength + _ge.LongLength + _gi.LongLength + _spikeCounts.LongLength + _spiking.LongLength) + (_router?.Bytes ?? 0);

    /// <summary>The connectivity.</summary>
    internal CubaNetwork Network => _network;

    /// <summary>Coefficients of the next step to integrate; its inputs are delivered with its weights.</summary>
    internal StepCoefficients Next => _next;

    /// <summary>Coefficients of step <paramref name="step"/> + 1, known before <paramref name="step"/> is integrated: its spikes' inputs carry their weights.</summary>
    internal StepCoefficients FollowingAfter(int step) => _clock.ForNextAfter(step);

    /// <summary>Records that <paramref name="step"/> was integrated everywhere: the next step's coefficients follow.</summary>
    internal void Integrated(int step)
    {
        _clock.Integrated(step);
        _next = _clock.For(step + 1);
    }

    /// <summary>Adds the results of steps run elsewhere (<see cref="CubaParallelRun"/>).</summary>
    internal void AddProgress(int steps, long spikes, long events)
    {
        StepsDone += steps;
        Spikes += spikes;
        SynapticEvents += events;
    }

    /// <summary>Adds how the threads of a run shared its steps (<see cref="CubaParallelRun"/>).</summary>
    internal void AddBalance(double idleThreadSeconds, long groupsTaken)
    {
        IdleThreadSeconds += idleThreadSeconds;
        GroupsTaken += groupsTaken;
    }

    /// <summary>A router of one sender's spikes into this simulation's ge and gi, with groups of <paramref name="groupBlocks"/> blocks.</summary>
    internal CubaSpikeRouter CreateRouter(int groupBlocks, int capacity) => new(_network, _ge, _gi, groupBlocks, capacity);

    /// <summary>
    /// Delivers ascending <paramref name="spikes"/> of a single-block network straight into ge
    /// (excitatory ones) and gi with the weights of the next step to integrate; returns the synaptic events.
    /// </summary>
    internal long Route(ReadOnlySpan<int> spikes)
    {
        var excitatory = CountBelow(spikes, _excitatory);
        return CubaDelivery.Whole(_network, spikes[..excitatory], _ge, _next.WeightE)
            + CubaDelivery.Whole(_network, spikes[excitatory..], _gi, _next.WeightI);
    }

    /// <summary>Brian2's reset of neurons that just spiked: membrane to Vr, held for the refractory period, counted.</summary>
    internal void Reset(ReadOnlySpan<int> spikes)
    {
        var held = _membrane.HeldAfterSpike;
        foreach (var i in spikes)
        {
            _v[i] = held;
            _spikeCounts[i]++;
        }
    }

    /// <summary>
    /// Integrates neurons [<paramref name="from"/>, <paramref name="to"/>) over one step with
    /// coefficients <paramref name="c"/> and writes the ones that spike, ascending, to
    /// <paramref name="spiking"/>; returns their number. Reads 12 bytes and writes 4 per neuron
    /// (8 more on the rare renormalising steps).
    /// </summary>
    internal int IntegrateRange(in StepCoefficients c, int from, int to, Span<int> spiking) =>
        CubaIntegration.Integrate(_v.AsSpan(from, to - from), _ge.AsSpan(from, to - from), _gi.AsSpan(from, to - from), c,
            _membrane, from, spiking);

    /// <summary>Number of entries of an ascending list below <paramref name="bound"/>.</summary>
    private static int CountBelow(ReadOnlySpan<int> ascending, int bound)
    {
        var found = ascending.BinarySearch(bound);
        return found >= 0 ? found : ~found;
    }
}

/// <summary>Receives a piece of one step's spikes (ascending neuron indices).</summary>
/// <param name="step">The step, 0-based.</param>
/// <param name="neurons">Spiking neurons; a step may arrive in several consecutive ascending pieces.</param>
public delegate void CubaSpikeSink(int step, ReadOnlySpan<int> neurons);
