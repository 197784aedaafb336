using System.Diagnostics;
using System.Runtime.InteropServices;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Runs a <see cref="CubaSimulation"/> on several threads, partitioned by target range: the destination
/// blocks are cut into groups, and each participant has a home run of consecutive groups (their
/// neurons and their ge/gi). Per step a participant claims groups one at a time, first from its home
/// run and, once that is empty, from the far end of another participant's, and for each (1) adds the
/// last step's spikes that no one added yet into the group's ge/gi, (2) integrates the group's neurons
/// while they are in cache, collecting its new spikes in its own list, and resets those, (3) routes
/// them towards every group into its own buckets and at once adds what it routed to the groups it
/// integrated so far this step (whose ge/gi were streamed moments ago and still sit in cache). Spikes
/// into groups it did not integrate this step wait in its buckets for the next step's claimer of those
/// groups. A participant takes its home groups in ascending order on even steps and descending on odd
/// ones, so a step starts with the group the last one ended with, whose state the caches still hold.
/// Claiming keeps the step's slowest participant from holding up the rest: a participant that starts
/// late or runs slow (preempted, or on a core that something else shares) has its remaining groups
/// taken by the others. Spike lists and buckets are double-buffered by step parity, so one barrier per
/// step suffices; within a step participants write only the groups they claimed (the claim words are
/// the one shared write, by compare-and-swap), and no spike's synapses are read twice.
/// Every neuron receives the same inputs between two of its integrations as on one thread, each adding
/// the step's one weight: bit-identical results whoever claims what.
/// </summary>
internal sealed class CubaParallelRun : ITimestepListener, IDisposable
{
    // Per-participant entries sit a cache line apart: an aligned 8- or 4-byte entry never straddles a line,
    // so no two participants' entries share one (no false sharing).
    private const int LongsPerLine = 8, IntsPerLine = 16;

    private readonly CubaSimulation _simulation;
    private readonly CubaNetwork _network;
    private readonly int _participants;
    private readonly int[] _homeGroup;   // [participant]: first home group; [participants]: the number of groups
    private readonly int[][][] _spikes;  // [step parity][participant] -> that participant's spikes, group by group in its claim order
    private readonly int[] _fired;       // [(step parity * participants + participant) * IntsPerLine] -> how many
    private readonly GroupSpikes[] _groupSpikes; // [group]: where the current step's spikes of the group sit
    private readonly int[][] _done;      // [participant]: the groups it integrated this step, in order; then a line of padding
    private readonly long[] _claims;     // [participant * LongsPerLine]: its home groups not yet claimed this step, first | end << 32
    private readonly long[] _events;     // [participant * LongsPerLine]: synaptic events it delivered
    private readonly long[] _taken;      // [participant * LongsPerLine]: groups it claimed from others' home runs
    private readonly long[] _began, _ended; // [participant * LongsPerLine]: when its work of this round began and ended (timestamps)
    private long _idleTicks;             // threads' time in rounds not spent working (late start, barrier), summed
    private readonly CubaSpikeRouter[][] _routers; // [step parity][participant]: that participant's spikes of steps of this parity
    private readonly int _groupBlocks, _groups;
    private readonly ForkJoinCrew? _crew;
    private readonly CubaSpikeSink? _sink;
    private readonly Action<double>? _progress;
    private readonly int _origin, _progressEvery, _steps;
    private readonly ICubaClaimHooks? _hooks; // tests only
    private int _step;
    private bool _integrate = true;      // false in Finish's round, which only delivers the last step's spikes
    private StepCoefficients _following; // weights of the inputs this step's spikes send
    private long _spikeTotal;

    public CubaParallelRun(CubaSimulation simulation, int threads, CubaSpikeSink? sink, Action<double>? progress, int steps, int bucketCapacity)
    {
        _simulation = simulation;
        _network = simulation.Network;
        _hooks = simulation.ClaimHooks;
        _participants = Math.Min(threads, _network.Blocks);
        var firstBlock = FirstBlocks(_network, _participants);
        _groupBlocks = CubaSpikeRouter.ChooseGroupBlocks(_network, firstBlock.AsSpan(0, _participants));
        _groups = (_network.Blocks + _groupBlocks - 1) / _groupBlocks;
        _homeGroup = new int[_participants + 1];
        for (var p = 0; p < _participants; p++) _homeGroup[p] = firstBlock[p] / _groupBlocks;
        _homeGroup[_participants] = _groups;
        var neurons = _network.Parameters.Neurons;
        _spikes = new int[2][][];
        _fired = new int[2 * _participants * IntsPerLine];
        // A participant may claim every group, so each list has room for every neuron (uninitialised: the
        // pages a run never fills are never touched).
        for (var parity = 0; parity < 2; parity++)
        {
            _spikes[parity] = new int[_participants][];
            for (var p = 0; p < _participants; p++) _spikes[parity][p] = GC.AllocateUninitializedArray<int>(neurons);
        }
        _groupSpikes = new GroupSpikes[_groups];
        _done = new int[_participants][];
        for (var p = 0; p < _participants; p++) _done[p] = new int[_groups + IntsPerLine];
        _claims = new long[_participants * LongsPerLine];
        _events = new long[_participants * LongsPerLine];
        _taken = new long[_participants * LongsPerLine];
        _began = new long[_participants * LongsPerLine];
        _ended = new long[_participants * LongsPerLine];
        _routers = [new CubaSpikeRouter[_participants], new CubaSpikeRouter[_participants]];
        // Buckets sized for every sender, not only a participant's home ones: it may claim every group.
        if (_network.Blocks > 1)
            for (var parity = 0; parity < 2; parity++)
                for (var p = 0; p < _participants; p++)
                    _routers[parity][p] = simulation.CreateRouter(_groupBlocks,
                        bucketCapacity > 0 ? bucketCapacity : CubaSpikeRouter.ChooseCapacity(_network, neurons, _groupBlocks));
        _sink = sink;
        _progress = progress;
        _steps = steps;
        _progressEvery = Math.Max(1, steps / 100);
        _origin = simulation.StepsDone;
        if (_participants > 1) _crew = new ForkJoinCrew(_participants, Work);
    }

    /// <summary>Bytes a run on <paramref name="threads"/> threads holds besides the simulation: two spike lists per thread and each thread's buckets.</summary>
    public static long WorkingBytes(CubaNetwork network, int threads)
    {
        var participants = Math.Min(threads, network.Blocks);
        var first = FirstBlocks(network, participants);
        long buckets = 0;
        if (network.Blocks > 1)
        {
            var group = CubaSpikeRouter.ChooseGroupBlocks(network, first.AsSpan(0, participants));
            buckets = 2L * participants * CubaSpikeRouter.BytesFor(network, group, CubaSpikeRouter.ChooseCapacity(network, network.Parameters.Neurons, group));
        }
        return 2L * participants * network.Parameters.Neurons * sizeof(int) + buckets;
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
        for (var p = 0; p < _participants; p++) _spikeTotal += Fired(parity, p);
        if (_sink is not null) Sink(parity);
        if (_progress is not null && (step + 1) % _progressEvery == 0) _progress((step + 1) / (double)_steps);
    }

    /// <summary>Hands the spikes of the step of <paramref name="parity"/> to the sink, ascending: group by group, whoever integrated them.</summary>
    private void Sink(int parity)
    {
        foreach (ref readonly var record in _groupSpikes.AsSpan())
            if (record.Count > 0) _sink!(_step, _spikes[parity][record.Claimer].AsSpan(record.First, record.Count));
    }

    /// <summary>Delivers the last step's spikes (no integration) and hands the totals to the simulation.</summary>
    public void Finish()
    {
        if (_steps > 0)
        {
            _integrate = false;
            _step++;
            Round();
        }
        long events = 0, taken = 0;
        for (var p = 0; p < _participants; p++)
        {
            events += _events[p * LongsPerLine];
            taken += _taken[p * LongsPerLine];
        }
        _simulation.AddProgress(_steps, _spikeTotal, events);
        _simulation.AddBalance(_idleTicks / (double)Stopwatch.Frequency, taken);
    }

    /// <inheritdoc />
    public void Dispose() => _crew?.Dispose();

    private void Round()
    {
        // Every participant's home groups are up for claiming again (published by the round's start).
        for (var p = 0; p < _participants; p++) _claims[p * LongsPerLine] = Range(_homeGroup[p], _homeGroup[p + 1]);
        if (_crew is null)
        {
            Work(0);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        _crew.RunRound();
        var round = Stopwatch.GetTimestamp() - start;
        for (var p = 0; p < _participants; p++) _idleTicks += round - (_ended[p * LongsPerLine] - _began[p * LongsPerLine]);
    }

    private void Work(int participant)
    {
        _began[participant * LongsPerLine] = Stopwatch.GetTimestamp();
        var current = _step & 1;
        var previous = current ^ 1;
        var descending = current == 1;
        var hooks = _hooks;
        var mayTakeOthers = hooks?.MayTakeOthers(_step) ?? true;
        if (_integrate) hooks?.Starting(this, participant, _step);
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
        var done = _done[participant];
        var integrated = 0;
        var fired = 0;
        var taken = 0;
        while (Claim(participant, descending, mayTakeOthers, out var group))
        {
            if (group < _homeGroup[participant] || group >= _homeGroup[participant + 1]) taken++;
            if (router is not null)
                for (var p = 0; p < _participants; p++) _routers[previous][p].Flush(group, coefficients.WeightE, coefficients.WeightI);
            if (!_integrate) continue;
            fired += IntegrateGroup(participant, group, coefficients, own, fired);
            done[integrated++] = group;
            if (router is not null)
            {
                events += router.Route(fired);
                // Every group this participant integrated so far this step takes what it routed there.
                for (var k = 0; k < integrated; k++) router.Flush(done[k], _following.WeightE, _following.WeightI);
            }
            hooks?.Integrated(this, participant, _step, integrated);
        }
        if (_integrate) Fired(current, participant) = fired;
        _events[participant * LongsPerLine] += events;
        _taken[participant * LongsPerLine] += taken;
        _ended[participant * LongsPerLine] = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Integrates the neurons of <paramref name="group"/>, writes its spikes to <paramref name="own"/> from
    /// <paramref name="at"/> on, records where they sit (for the sink) and resets them; returns how many.
    /// </summary>
    private int IntegrateGroup(int participant, int group, in StepCoefficients coefficients, int[] own, int at)
    {
        var block = group * _groupBlocks;
        var from = _network.BlockStart(block);
        var to = Math.Min(_network.Parameters.Neurons, _network.BlockStart(Math.Min(_network.Blocks, block + _groupBlocks)));
        var count = _simulation.IntegrateRange(coefficients, from, to, own.AsSpan(at));
        _groupSpikes[group] = new GroupSpikes(participant, at, count);
        _simulation.Reset(own.AsSpan(at, count));
        return count;
    }

    /// <summary>
    /// Claims the next group for <paramref name="participant"/>: from its home groups in the step's
    /// order, or, when none are left, the last (in their owner's order) of another participant that has
    /// begun the step. (One that has not begun is waiting for a processor that the machine gives to
    /// something else; taking all its groups then would leave its share of the processors unused once
    /// it runs, so they wait for it.)
    /// </summary>
    private bool Claim(int participant, bool descending, bool mayTakeOthers, out int group)
    {
        for (var k = 0; k < (mayTakeOthers ? _participants : 1); k++)
        {
            var owner = participant + k;
            if (owner >= _participants) owner -= _participants;
            ref var range = ref _claims[owner * LongsPerLine];
            if (k > 0 && Volatile.Read(ref range) == Range(_homeGroup[owner], _homeGroup[owner + 1])) continue;
            // The owner takes the near end of its groups; others take the far end.
            if (TakeFrom(ref range, fromEnd: descending == (k == 0), out group)) return true;
        }
        group = -1;
        return false;
    }

    private static bool TakeFrom(ref long range, bool fromEnd, out int group)
    {
        while (true)
        {
            var seen = Volatile.Read(ref range);
            int first = (int)seen, end = (int)(seen >> 32);
            if (first >= end)
            {
                group = -1;
                return false;
            }
            var taken = fromEnd ? Range(first, end - 1) : Range(first + 1, end);
            if (Interlocked.CompareExchange(ref range, taken, seen) == seen)
            {
                group = fromEnd ? end - 1 : first;
                return true;
            }
        }
    }

    /// <summary>Groups [<paramref name="first"/>, <paramref name="end"/>) as one word: a claim changes both ends at once.</summary>
    private static long Range(int first, int end) => (uint)first | (long)end << 32;

    /// <summary>Whether every participant but 0 has claimed a group of the round (for <see cref="ICubaClaimHooks"/>).</summary>
    internal bool AllBegun()
    {
        for (var p = 1; p < _participants; p++)
            if (Volatile.Read(ref _claims[p * LongsPerLine]) == Range(_homeGroup[p], _homeGroup[p + 1])) return false;
        return true;
    }

    /// <summary>Whether every group of the round is claimed (for <see cref="ICubaClaimHooks"/>).</summary>
    internal bool AllClaimed()
    {
        for (var p = 0; p < _participants; p++)
        {
            var range = Volatile.Read(ref _claims[p * LongsPerLine]);
            if ((int)range < (int)(range >> 32)) return false;
        }
        return true;
    }

    private ref int Fired(int parity, int participant) => ref _fired[(parity * _participants + participant) * IntsPerLine];

    private static int[] FirstBlocks(CubaNetwork network, int participants)
    {
        var first = new int[participants + 1];
        for (var p = 0; p <= participants; p++) first[p] = (int)((long)p * network.Blocks / participants);
        return first;
    }

    /// <summary>Where a group's spikes of the current step sit: in the list of the participant that integrated it.</summary>
    /// <remarks>
    /// 128 bytes apart: participants record neighbouring groups at the same time, and the array's data is
    /// 8-byte aligned, not line-aligned, so a 12-byte record 64 bytes from the next could cross into its line.
    /// </remarks>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    private readonly record struct GroupSpikes(int Claimer, int First, int Count);
}
