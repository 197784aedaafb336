using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>Receives the completions of work handed to a hardware unit (a macro, a core, the NoC).</summary>
public interface IUnitClient
{
    /// <summary>The work identified by <paramref name="token"/> finished at <see cref="Scheduler.Now"/>.</summary>
    void Completed(long token, Scheduler scheduler);
}
