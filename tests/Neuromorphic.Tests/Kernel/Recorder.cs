using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Tests.Kernel;

/// <summary>Test component that records every event it receives, with the scheduler's clock at dispatch.</summary>
internal sealed class Recorder : IComponent
{
    public List<(SimEvent Event, long Now)> Seen { get; } = [];

    public Action<SimEvent, Scheduler>? OnDispatch { get; set; }

    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        Seen.Add((ev, scheduler.Now));
        OnDispatch?.Invoke(ev, scheduler);
    }
}
