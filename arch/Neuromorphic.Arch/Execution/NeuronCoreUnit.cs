using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// One tile's digital neuron core as a kernel component: batches (a population slice's neuron
/// updates, partial-sum additions, pooling) queue first come, first served; a batch of n
/// operations takes <c>ceil(n / lanes) + pipeline depth</c> core cycles, starting on a core clock
/// edge. So the core's time follows the neurons it updates, not the population's size. An empty
/// batch (no operation) is done at once, in the call that submits it, and takes no time. A batch is
/// taken when submitted to an idle core or when the batch before it ends; it waits (queue
/// statistics) from its submission until it is taken, and the core counts as busy from then to its
/// end, so the wait for the next clock edge of a batch taken between edges counts as busy, not as
/// waiting (NeuronCoreRulesPropertyTests).
/// </summary>
public sealed class NeuronCoreUnit : IComponent
{
    private readonly int _id, _pipeline;
    private readonly ExactDivisor _edge, _lanes;
    private readonly IUnitClient _client;
    private readonly Queue<(long Cycles, long Token, long Arrived)> _queue = new();
    private bool _busy;

    /// <summary>Registers the core with <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The kernel.</param>
    /// <param name="statistics">Where busy time and queue occupancy go.</param>
    /// <param name="lanes">Operations per core cycle.</param>
    /// <param name="pipelineCycles">Pipeline fill per batch, core cycles.</param>
    /// <param name="edgeCycles">Base cycles per core cycle.</param>
    /// <param name="client">Told when a batch is done.</param>
    public NeuronCoreUnit(Scheduler scheduler, UnitStatistics statistics, int lanes, int pipelineCycles, long edgeCycles, IUnitClient client)
    {
        Statistics = statistics;
        (_lanes, _pipeline, _edge, _client) = (new ExactDivisor(lanes), pipelineCycles, new ExactDivisor(Math.Max(1, edgeCycles)), client);
        _id = scheduler.Register(this);
    }

    /// <summary>Busy time and queued batches.</summary>
    public UnitStatistics Statistics { get; }

    /// <summary>Core cycles of a batch of <paramref name="operations"/> (0 for none).</summary>
    public long CyclesFor(long operations) => operations <= 0 ? 0 : _lanes.Ceiling(operations) + _pipeline;

    /// <summary>Queues a batch of <paramref name="operations"/>; <paramref name="token"/> is reported when it is done.</summary>
    public void Submit(Scheduler scheduler, long operations, long token)
    {
        var cycles = CyclesFor(operations);
        if (cycles == 0)
        {
            _client.Completed(token, scheduler);
            return;
        }
        var now = scheduler.Now;
        Statistics.Enqueue(now);
        if (_busy)
        {
            _queue.Enqueue((cycles, token, now));
            return;
        }
        // An idle core (its queue is empty) takes the batch at once: it joins the queue and leaves it now.
        Statistics.Dequeue(now, now);
        Start(scheduler, cycles, token);
    }

    private void Start(Scheduler scheduler, long cycles, long token) => scheduler.ScheduleAt(_id, Begin(scheduler.Now, cycles), 0, token);

    /// <summary>The core takes a batch of <paramref name="cycles"/> now: busy until the cycle returned, its end.</summary>
    private long Begin(long now, long cycles)
    {
        var start = _edge.NextMultiple(now);
        var duration = cycles * _edge.Value;
        _busy = true;
        Statistics.Busy(start + duration - now);
        return start + duration;
    }

    /// <summary>Whether the core works on no batch (so its queue is empty too).</summary>
    internal bool Idle => !_busy;

    /// <summary>
    /// <see cref="Submit"/> of a batch of <paramref name="cycles"/> (&gt; 0, <see cref="CyclesFor"/>) to an idle core,
    /// with the same statistics, but without its completion event: returns the cycle the batch ends, at which the
    /// caller (<see cref="CoreBatch"/>) must call <see cref="Finish"/>, in the place of that event.
    /// </summary>
    internal long SubmitIdle(Scheduler scheduler, long cycles)
    {
        if (_busy || cycles <= 0) throw new InvalidOperationException("SubmitIdle takes work for an idle core");
        var now = scheduler.Now;
        Statistics.Enqueue(now);
        Statistics.Dequeue(now, now);
        return Begin(now, cycles);
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler) => Finish(scheduler, ev.Payload);

    /// <summary>The batch of <paramref name="token"/> ends now: the core takes the next queued batch, if any, and tells its client.</summary>
    internal void Finish(Scheduler scheduler, long token)
    {
        _busy = false;
        if (_queue.Count > 0)
        {
            var (cycles, next, arrived) = _queue.Dequeue();
            Statistics.Dequeue(scheduler.Now, arrived);
            Start(scheduler, cycles, next);
        }
        _client.Completed(token, scheduler);
    }
}
