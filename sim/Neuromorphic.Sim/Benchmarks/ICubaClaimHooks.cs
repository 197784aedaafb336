namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Tests only: steers how the threads of a <see cref="CubaParallelRun"/> claim groups, to force the
/// patterns a quiet machine seldom produces (one thread integrating groups of another's home run, each
/// thread keeping to its own) and check that the spikes do not depend on them. Production runs have none
/// (<see cref="CubaSimulation.ClaimHooks"/> is null): the claiming loop then pays one null check per group.
/// </summary>
internal interface ICubaClaimHooks
{
    /// <summary>Whether participants may claim groups of other participants' home runs in <paramref name="step"/> (without hooks they always may).</summary>
    bool MayTakeOthers(int step);

    /// <summary>Called as <paramref name="participant"/> begins integrating <paramref name="step"/>, before its first claim.</summary>
    void Starting(CubaParallelRun run, int participant, int step);

    /// <summary>Called each time <paramref name="participant"/> has integrated and routed a group of <paramref name="step"/>; <paramref name="groups"/> it has so far.</summary>
    void Integrated(CubaParallelRun run, int participant, int step, int groups);
}
