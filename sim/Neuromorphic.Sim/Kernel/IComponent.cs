namespace Neuromorphic.Sim.Kernel;

/// <summary>Something that receives kernel events (a hardware block, a timestep driver, ...).</summary>
public interface IComponent
{
    /// <summary>
    /// Handles one event. Called by <see cref="Scheduler.Step"/> with <see cref="Scheduler.Now"/> equal to
    /// <c>ev.Cycle</c>; the component may schedule further events but must not run the scheduler itself.
    /// </summary>
    /// <param name="ev">The event being dispatched (passed by reference: events are dispatched without copies).</param>
    /// <param name="scheduler">The scheduler dispatching the event.</param>
    void OnEvent(in SimEvent ev, Scheduler scheduler);
}
