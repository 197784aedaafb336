using System.Numerics;
using System.Runtime.InteropServices;
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
    private readonly CubaNetwork _network;
    private readonly float[] _v, _ge, _gi;
    private readonly int[] _refractoryUntil; // first step at which the neuron integrates again
    private readonly int[] _spikeCounts;
    private readonly int[] _spiking;          // indices of this step's spikes
    private readonly float _em, _ke, _ki, _ee, _ei, _leak, _threshold, _reset, _we, _wi;
    private readonly int _refractorySteps, _excitatory;
    private int _fired;

    /// <summary>Creates the state; initial membranes uniform in [Vr, Vt) from the stream "cuba.initial_v".</summary>
    public CubaSimulation(CubaNetwork network, ulong seed)
    {
        _network = network;
        var p = network.Parameters;
        var n = p.Neurons;
        _v = new float[n];
        _ge = new float[n];
        _gi = new float[n];
        _refractoryUntil = new int[n];
        _spikeCounts = new int[n];
        _spiking = new int[n];
        var rng = DeterministicRandom.ForComponent(seed, "cuba.initial_v");
        for (var i = 0; i < n; i++) _v[i] = (float)(p.Reset + rng.NextDouble() * (p.Threshold - p.Reset));

        // Exact solution over one step of tau_m dv/dt = -(v - El) + ge + gi with ge, gi decaying:
        // v' = El + (v - El) e^(-dt/tau_m) + ge K_e + gi K_i, K_x = tau_x / (tau_x - tau_m) (e^(-dt/tau_x) - e^(-dt/tau_m)).
        var em = Math.Exp(-p.Dt / p.TauMembrane);
        var ee = Math.Exp(-p.Dt / p.TauExcitatory);
        var ei = Math.Exp(-p.Dt / p.TauInhibitory);
        _em = (float)em;
        _ee = (float)ee;
        _ei = (float)ei;
        _ke = (float)(p.TauExcitatory / (p.TauExcitatory - p.TauMembrane) * (ee - em));
        _ki = (float)(p.TauInhibitory / (p.TauInhibitory - p.TauMembrane) * (ei - em));
        _leak = (float)p.Leak;
        _threshold = (float)p.Threshold;
        _reset = (float)p.Reset;
        _we = (float)p.WeightExcitatory;
        _wi = (float)p.WeightInhibitory;
        _refractorySteps = p.RefractorySteps;
        _excitatory = p.Excitatory;
    }

    /// <summary>Total spikes so far.</summary>
    public long Spikes { get; private set; }

    /// <summary>Synaptic events so far (spikes x their out-degree).</summary>
    public long SynapticEvents { get; private set; }

    /// <summary>Timesteps simulated so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>Spikes per neuron so far.</summary>
    public ReadOnlySpan<int> SpikeCounts => _spikeCounts;

    /// <summary>Membrane potential of <paramref name="neuron"/> (mV).</summary>
    public float MembraneOf(int neuron) => _v[neuron];

    /// <summary>Excitatory synaptic variable ge of <paramref name="neuron"/> (mV), as the next step will integrate it.</summary>
    public float ExcitatoryOf(int neuron) => _ge[neuron];

    /// <summary>Inhibitory synaptic variable gi of <paramref name="neuron"/> (mV), as the next step will integrate it.</summary>
    public float InhibitoryOf(int neuron) => _gi[neuron];

    /// <summary>Overwrites one neuron's state (tests drive single neurons against closed forms).</summary>
    internal void SetState(int neuron, float v, float ge, float gi) => (_v[neuron], _ge[neuron], _gi[neuron]) = (v, ge, gi);

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
        using var run = new CubaParallelRun(this, threads, spikes, progress, steps);
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
    public void Integrate() => _fired = IntegrateRange(StepsDone, 0, _v.Length, _spiking.AsSpan());

    /// <summary>This step's spiking neurons, ascending (valid between <see cref="Integrate"/> and <see cref="FinishStep"/>).</summary>
    public ReadOnlySpan<int> Spiking => _spiking.AsSpan(0, _fired);

    /// <summary>Adds synaptic input to a neuron's ge and gi (mV), visible from the next step's integration.</summary>
    public void AddSynapticInput(int neuron, float excitatory, float inhibitory)
    {
        _ge[neuron] += excitatory;
        _gi[neuron] += inhibitory;
    }

    /// <summary>Delivers this step's spikes in software, block by block along the synapses.</summary>
    public void DeliverAlongSynapses()
    {
        long events = 0;
        for (var block = 0; block < _network.Blocks; block++) events += DeliverToBlock(block, Spiking);
        SynapticEvents += events;
    }

    /// <summary>Last phase of a step (Brian2's resets slot): resets the spiking neurons and counts.</summary>
    public void FinishStep()
    {
        Reset(Spiking, StepsDone);
        Spikes += _fired;
        StepsDone++;
        _fired = 0;
    }

    /// <summary>Number of excitatory neurons (they come first).</summary>
    internal int ExcitatoryCount => _excitatory;

    /// <summary>The connectivity.</summary>
    internal CubaNetwork Network => _network;

    /// <summary>Adds the results of steps run elsewhere (<see cref="CubaParallelRun"/>).</summary>
    internal void AddProgress(int steps, long spikes, long events)
    {
        StepsDone += steps;
        Spikes += spikes;
        SynapticEvents += events;
    }

    /// <summary>
    /// Delivers ascending <paramref name="spikes"/> into one destination block: the excitatory ones
    /// (which come first) to ge, the others to gi. Returns the synaptic events.
    /// </summary>
    internal long DeliverToBlock(int block, ReadOnlySpan<int> spikes)
    {
        var excitatory = CountBelow(spikes, _excitatory);
        return CubaDelivery.Block(_network, block, spikes[..excitatory], _ge, _we)
            + CubaDelivery.Block(_network, block, spikes[excitatory..], _gi, _wi);
    }

    /// <summary>Brian2's reset of the neurons that spiked at <paramref name="step"/>: membrane to Vr, held for the refractory period, counted.</summary>
    internal void Reset(ReadOnlySpan<int> spikes, int step)
    {
        var until = step + _refractorySteps;
        foreach (var i in spikes)
        {
            _v[i] = _reset;
            _refractoryUntil[i] = until;
            _spikeCounts[i]++;
        }
    }

    /// <summary>
    /// Integrates neurons [<paramref name="from"/>, <paramref name="to"/>) over step
    /// <paramref name="step"/> and writes the ones that spike, ascending, to <paramref name="spiking"/>;
    /// returns their number.
    /// </summary>
    internal int IntegrateRange(int step, int from, int to, Span<int> spiking)
    {
        var fired = 0;
        var i = from;
        // Hoist the arrays into locals and load through references: no bounds checks or field
        // reloads in the loop, which is the whole cost of a step when few neurons spike.
        ref var v0 = ref MemoryMarshal.GetArrayDataReference(_v);
        ref var ge0 = ref MemoryMarshal.GetArrayDataReference(_ge);
        ref var gi0 = ref MemoryMarshal.GetArrayDataReference(_gi);
        ref var ref0 = ref MemoryMarshal.GetArrayDataReference(_refractoryUntil);
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var now = new Vector<int>(step);
            var leak = new Vector<float>(_leak);
            var threshold = new Vector<float>(_threshold);
            var em = new Vector<float>(_em);
            var ke = new Vector<float>(_ke);
            var ki = new Vector<float>(_ki);
            var ee = new Vector<float>(_ee);
            var ei = new Vector<float>(_ei);
            for (; i <= to - width; i += width)
            {
                var offset = (nuint)i;
                var v = Vector.LoadUnsafe(ref v0, offset);
                var ge = Vector.LoadUnsafe(ref ge0, offset);
                var gi = Vector.LoadUnsafe(ref gi0, offset);
                var active = Vector.LessThanOrEqual(Vector.LoadUnsafe(ref ref0, offset), now);
                var integrated = leak + (v - leak) * em + ge * ke + gi * ki;
                v = Vector.ConditionalSelect(active, integrated, v);
                v.StoreUnsafe(ref v0, offset);
                (ge * ee).StoreUnsafe(ref ge0, offset);
                (gi * ei).StoreUnsafe(ref gi0, offset);
                var fire = Vector.GreaterThan(v, threshold) & active;
                if (fire == Vector<int>.Zero) continue;
                for (var lane = 0; lane < width; lane++)
                    if (fire[lane] != 0) spiking[fired++] = i + lane;
            }
        }
        for (; i < to; i++)
        {
            var active = _refractoryUntil[i] <= step;
            if (active) _v[i] = _leak + (_v[i] - _leak) * _em + _ge[i] * _ke + _gi[i] * _ki;
            _ge[i] *= _ee;
            _gi[i] *= _ei;
            if (active && _v[i] > _threshold) spiking[fired++] = i;
        }
        return fired;
    }

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
