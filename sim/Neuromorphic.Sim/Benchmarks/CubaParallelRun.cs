using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Runs a <see cref="CubaSimulation"/> on several threads, partitioned by target range: each
/// participant owns a contiguous run of destination blocks (their neurons and their ge/gi) and
/// per step (1) resets its own neurons that spiked last step, (2) routes last step's spikes of every
/// participant into its blocks' buckets, (3) for each of its blocks adds the buckets into ge/gi, then
/// integrates the block while it is still in cache, collecting its new spikes in its own list. Spike lists are double-buffered by
/// step parity, so one barrier per step suffices, and no two participants write the same memory.
/// Every neuron sees the same operations in the same order as on one thread: bit-identical results.
/// </summary>
internal sealed class CubaParallelRun : ITimestepListener, IDisposable
{
    private const int Padding = 8; // longs per participant's counter: one cache line, no false sharing

    private readonly CubaSimulation _simulation;
    private readonly CubaNetwork _network;
    private readonly int _participants;
    private readonly int[] _firstBlock;
    private readonly int[][][] _spikes;  // [step parity][participant] -> that participant's spikes
    private readonly int[][] _fired;     // [step parity][participant] -> how many
    private readonly long[] _events;
    private readonly CubaSpikeRouter[] _routers;
    private readonly ForkJoinCrew? _crew;
    private readonly CubaSpikeSink? _sink;
    private readonly Action<double>? _progress;
    private readonly int _origin, _progressEvery, _steps;
    private int _step;
    private bool _integrate = true;
    private long _spikeTotal;

    public CubaParallelRun(CubaSimulation simulation, int threads, CubaSpikeSink? sink, Action<double>? progress, int steps)
    {
        _simulation = simulation;
        _network = simulation.Network;
        _participants = Math.Min(threads, _network.Blocks);
        _firstBlock = new int[_participants + 1];
        for (var p = 0; p <= _participants; p++) _firstBlock[p] = (int)((long)p * _network.Blocks / _participants);
        _spikes = new int[2][][];
        _fired = new int[2][];
        for (var parity = 0; parity < 2; parity++)
        {
            _spikes[parity] = new int[_participants][];
            _fired[parity] = new int[_participants];
            for (var p = 0; p < _participants; p++) _spikes[parity][p] = new int[NeuronEnd(p) - NeuronStart(p)];
        }
        _events = new long[_participants * Padding];
        _routers = new CubaSpikeRouter[_participants];
        for (var p = 0; p < _participants; p++) _routers[p] = simulation.CreateRouter(_firstBlock[p], _firstBlock[p + 1]);
        _sink = sink;
        _progress = progress;
        _steps = steps;
        _progressEvery = Math.Max(1, steps / 100);
        _origin = simulation.StepsDone;
        if (_participants > 1) _crew = new ForkJoinCrew(_participants, Work);
    }

    /// <summary>Bytes a run on <paramref name="threads"/> threads holds besides the simulation: two spike lists and each thread's buckets.</summary>
    public static long WorkingBytes(CubaNetwork network, int threads)
    {
        var buckets = network.Blocks > 1 ? 2L * network.Blocks * CubaSpikeRouter.BucketEntries * sizeof(ushort) : 0;
        return 2L * network.Parameters.Neurons * sizeof(int) + buckets;
    }

    /// <summary>Threads actually used (at most one per destination block).</summary>
    public int Participants => _participants;

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        _step = _origin + step;
        Round();
        _simulation.Integrated(_step);
        var parity = _step & 1;
        for (var p = 0; p < _participants; p++)
        {
            var fired = _fired[parity][p];
            _spikeTotal += fired;
            if (_sink is not null && fired > 0) _sink(_step, _spikes[parity][p].AsSpan(0, fired));
        }
        if (_progress is not null && (step + 1) % _progressEvery == 0) _progress((step + 1) / (double)_steps);
    }

    /// <summary>Delivers and resets the last step's spikes (no integration) and hands the totals to the simulation.</summary>
    public void Finish()
    {
        var steps = _step - _origin + (_steps > 0 ? 1 : 0);
        if (_steps > 0)
        {
            _integrate = false;
            _step++;
            Round();
        }
        long events = 0;
        for (var p = 0; p < _participants; p++) events += _events[p * Padding];
        _simulation.AddProgress(steps, _spikeTotal, events);
    }

    /// <inheritdoc />
    public void Dispose() => _crew?.Dispose();

    private void Round()
    {
        if (_crew is null) Work(0);
        else _crew.RunRound();
    }

    private void Work(int participant)
    {
        var step = _step;
        var current = step & 1;
        var previous = current ^ 1;
        _simulation.Reset(_spikes[previous][participant].AsSpan(0, _fired[previous][participant]));
        var coefficients = _simulation.Next;
        var own = _spikes[current][participant];
        var router = _routers[participant];
        long events = 0;
        for (var p = 0; p < _participants; p++)
            events += _simulation.Route(router, _spikes[previous][p].AsSpan(0, _fired[previous][p]));
        var fired = 0;
        for (var block = _firstBlock[participant]; block < _firstBlock[participant + 1]; block++)
        {
            router.Flush(block, coefficients.WeightE, coefficients.WeightI);
            if (!_integrate) continue;
            var from = _network.BlockStart(block);
            var to = Math.Min(_network.Parameters.Neurons, from + _network.BlockNeurons);
            fired += _simulation.IntegrateRange(coefficients, from, to, own.AsSpan(fired));
        }
        _fired[current][participant] = fired;
        _events[participant * Padding] += events;
    }

    private int NeuronStart(int participant) => _network.BlockStart(_firstBlock[participant]);

    private int NeuronEnd(int participant) =>
        Math.Min(_network.Parameters.Neurons, _network.BlockStart(_firstBlock[participant + 1]));
}
