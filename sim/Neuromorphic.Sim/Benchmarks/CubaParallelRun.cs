using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Runs a <see cref="CubaSimulation"/> on several threads, partitioned by target range: each
/// participant owns a contiguous run of destination blocks (their neurons and their ge/gi), cut into
/// groups. Per step a participant, for each of its groups in turn, (1) adds the last step's spikes of
/// every other participant into the group's ge/gi, (2) integrates the group's neurons while they are
/// in cache, collecting its new spikes in its own list, and resets those, (3) routes them towards every
/// group into its own buckets and at once adds what it routed to its own groups integrated so far (this
/// one and the earlier ones, whose ge/gi were streamed moments ago and still sit in cache). Spikes
/// into other participants' groups wait in the buckets for their owners' next step. The groups are
/// taken in ascending order on even steps and descending on odd ones, so a step starts with the
/// group the last one ended with, whose state the caches still hold. Spike lists and
/// buckets are double-buffered by step parity, so one barrier per step suffices, no two participants
/// write the same memory, and no spike's synapses are read twice. Every neuron receives the same
/// inputs between two of its integrations as on one thread, each adding the step's one weight: bit-identical results.
/// </summary>
internal sealed class CubaParallelRun : ITimestepListener, IDisposable
{
    private const int Padding = 8; // longs per participant's counter: one cache line, no false sharing

    private readonly CubaSimulation _simulation;
    private readonly CubaNetwork _network;
    private readonly int _participants;
    private readonly int[] _firstBlock;
    private readonly int[][][] _spikes;  // [step parity][participant] -> that participant's spikes
    private readonly int[] _fired;       // [(step parity * participants + participant) * Padding] -> how many
    private readonly int[][][] _groupFired; // [step parity][participant][own group, ascending] -> how many of the spikes came from it; then padding
    private readonly long[] _events;
    private readonly CubaSpikeRouter[][] _routers; // [step parity][participant]: that participant's spikes of steps of this parity
    private readonly int _groupBlocks;
    private readonly ForkJoinCrew? _crew;
    private readonly CubaSpikeSink? _sink;
    private readonly Action<double>? _progress;
    private readonly int _origin, _progressEvery, _steps;
    private int _step;
    private bool _integrate = true;
    private StepCoefficients _following; // weights of the inputs this step's spikes send
    private long _spikeTotal;

    public CubaParallelRun(CubaSimulation simulation, int threads, CubaSpikeSink? sink, Action<double>? progress, int steps, int bucketCapacity)
    {
        _simulation = simulation;
        _network = simulation.Network;
        _participants = Math.Min(threads, _network.Blocks);
        _firstBlock = FirstBlocks(_network, _participants);
        _spikes = new int[2][][];
        _fired = new int[2 * _participants * Padding];
        for (var parity = 0; parity < 2; parity++)
        {
            _spikes[parity] = new int[_participants][];
            for (var p = 0; p < _participants; p++) _spikes[parity][p] = new int[NeuronEnd(p) - NeuronStart(p)];
        }
        _events = new long[_participants * Padding];
        _groupBlocks = CubaSpikeRouter.ChooseGroupBlocks(_network, _firstBlock.AsSpan(0, _participants));
        _groupFired = new int[2][][];
        for (var parity = 0; parity < 2; parity++)
        {
            _groupFired[parity] = new int[_participants][];
            // A cache line of padding after each thread's counts (allocated one after the other): no line holds two threads' counts.
            for (var p = 0; p < _participants; p++) _groupFired[parity][p] = new int[OwnGroups(p) + 16];
        }
        _routers = [new CubaSpikeRouter[_participants], new CubaSpikeRouter[_participants]];
        if (_network.Blocks > 1)
            for (var parity = 0; parity < 2; parity++)
                for (var p = 0; p < _participants; p++)
                    _routers[parity][p] = simulation.CreateRouter(_groupBlocks,
                        bucketCapacity > 0 ? bucketCapacity : CubaSpikeRouter.ChooseCapacity(_network, NeuronEnd(p) - NeuronStart(p), _groupBlocks));
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
        var participants = Math.Min(threads, network.Blocks);
        var first = FirstBlocks(network, participants);
        long buckets = 0;
        if (network.Blocks > 1)
        {
            var group = CubaSpikeRouter.ChooseGroupBlocks(network, first.AsSpan(0, participants));
            for (var p = 0; p < participants; p++)
            {
                var senders = Math.Min(network.Parameters.Neurons, network.BlockStart(first[p + 1])) - network.BlockStart(first[p]);
                buckets += 2 * CubaSpikeRouter.BytesFor(network, group, CubaSpikeRouter.ChooseCapacity(network, senders, group));
            }
        }
        return 2L * network.Parameters.Neurons * sizeof(int) + buckets;
    }

    /// <summary>Threads actually used (at most one per destination block).</summary>
    public int Participants => _participants;

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        _step = _origin + step;
        _following = _simulation.FollowingAfter(_step);
        Round();
        _simulation.Integrated(_step);
        var parity = _step & 1;
        for (var p = 0; p < _participants; p++)
        {
            var fired = Fired(parity, p);
            _spikeTotal += fired;
            if (_sink is not null && fired > 0) Sink(parity, p, fired);
        }
        if (_progress is not null && (step + 1) % _progressEvery == 0) _progress((step + 1) / (double)_steps);
    }

    /// <summary>Hands a participant's spikes of the step of <paramref name="parity"/> to the sink, ascending: group by group, whichever order they were integrated in.</summary>
    private void Sink(int parity, int participant, int fired)
    {
        var counts = _groupFired[parity][participant].AsSpan(0, OwnGroups(participant));
        var descending = parity == 1;
        var end = descending ? fired : 0; // descending: the list holds the last group first
        for (var g = 0; g < counts.Length; g++)
        {
            var start = descending ? end - counts[g] : end;
            if (!descending) end += counts[g];
            if (counts[g] > 0) _sink!(_step, _spikes[parity][participant].AsSpan(start, counts[g]));
            if (descending) end = start;
        }
    }

    /// <summary>Delivers the last step's spikes (no integration) and hands the totals to the simulation.</summary>
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
        var current = _step & 1;
        var previous = current ^ 1;
        var coefficients = _simulation.Next;
        var own = _spikes[current][participant];
        long events = 0;
        if (_network.Blocks == 1)
        {
            // One block, one participant: the last step's spikes go straight into ge/gi.
            var last = _spikes[previous][0].AsSpan(0, Fired(previous, 0));
            events += _simulation.Route(last);
        }
        var router = _network.Blocks > 1 ? _routers[current][participant] : null;
        if (_integrate) router?.Begin(own);
        var counts = _groupFired[current][participant].AsSpan(0, OwnGroups(participant));
        var firstGroup = _firstBlock[participant] / _groupBlocks;
        var endBlock = _firstBlock[participant + 1];
        var descending = current == 1;
        var fired = 0;
        for (var turn = 0; turn < counts.Length; turn++)
        {
            var ordinal = descending ? counts.Length - 1 - turn : turn;
            var group = firstGroup + ordinal;
            if (router is not null)
                for (var p = 0; p < _participants; p++)
                    if (p != participant) _routers[previous][p].Flush(group, coefficients.WeightE, coefficients.WeightI);
            if (!_integrate) continue;
            var block = group * _groupBlocks;
            var from = _network.BlockStart(block);
            var to = Math.Min(_network.Parameters.Neurons, _network.BlockStart(Math.Min(endBlock, block + _groupBlocks)));
            var before = fired;
            fired += _simulation.IntegrateRange(coefficients, from, to, own.AsSpan(fired));
            counts[ordinal] = fired - before;
            _simulation.Reset(own.AsSpan(before, fired - before));
            if (router is null) continue;
            events += router.Route(fired);
            // Every own group integrated so far this step takes what was routed to it.
            var (low, high) = descending ? (ordinal, counts.Length - 1) : (0, ordinal);
            for (var done = low; done <= high; done++) router.Flush(firstGroup + done, _following.WeightE, _following.WeightI);
        }
        if (_integrate) Fired(current, participant) = fired;
        _events[participant * Padding] += events;
    }

    private ref int Fired(int parity, int participant) => ref _fired[(parity * _participants + participant) * Padding];

    private static int[] FirstBlocks(CubaNetwork network, int participants)
    {
        var first = new int[participants + 1];
        for (var p = 0; p <= participants; p++) first[p] = (int)((long)p * network.Blocks / participants);
        return first;
    }

    private int OwnGroups(int participant) =>
        (_firstBlock[participant + 1] - _firstBlock[participant] + _groupBlocks - 1) / _groupBlocks;

    private int NeuronStart(int participant) => _network.BlockStart(_firstBlock[participant]);

    private int NeuronEnd(int participant) =>
        Math.Min(_network.Parameters.Neurons, _network.BlockStart(_firstBlock[participant + 1]));
}
