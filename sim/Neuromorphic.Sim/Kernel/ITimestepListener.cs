namespace Neuromorphic.Sim.Kernel;

/// <summary>Receives the start of each algorithmic timestep from a <see cref="TimestepDriver"/>.</summary>
public interface ITimestepListener
{
    /// <summary>
    /// Called at the start of a timestep, from inside the driver's tick event (so <see cref="Scheduler.Now"/> is the
    /// step's start cycle). Schedule the step's hardware events here; the step ends when they have all drained.
    /// </summary>
    /// <param name="step">Step index, 0-based.</param>
    /// <param name="scheduler">The scheduler to schedule hardware events on.</param>
    void OnTimestep(int step, Scheduler scheduler);
}
