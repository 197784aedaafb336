using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A kernel component that tells its client a token at a given cycle: the one event of work whose
/// end is known when it starts (a group of macro operations, timed when they are queued).
/// </summary>
public sealed class AlarmUnit : IComponent
{
    private readonly int _id;
    private readonly IUnitClient _client;

    /// <summary>Registers the alarm with <paramref name="scheduler"/>.</summary>
    public AlarmUnit(Scheduler scheduler, IUnitClient client)
    {
        _client = client;
        _id = scheduler.Register(this);
    }

    /// <summary>Reports <paramref name="token"/> to the client at <paramref name="cycle"/> (at least now).</summary>
    public void At(Scheduler scheduler, long cycle, long token) => scheduler.ScheduleAt(_id, cycle, 0, token);

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler) => _client.Completed(ev.Payload, scheduler);
}
