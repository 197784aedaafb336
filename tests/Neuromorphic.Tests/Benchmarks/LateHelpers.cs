using Neuromorphic.Sim.Benchmarks;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>
/// On two steps in three the helper threads (participants other than 0) stop after their first group until
/// participant 0 has claimed every other group, so it integrates and delivers the rest of theirs (work taken
/// from others); on the third, every participant takes its own groups and no others.
/// </summary>
internal sealed class LateHelpers : ICubaClaimHooks
{
    public bool MayTakeOthers(int step) => step % 3 != 2;

    public void Starting(CubaParallelRun run, int participant, int step)
    {
        if (participant == 0 && MayTakeOthers(step))
            while (!run.AllBegun()) Thread.SpinWait(16);
    }

    public void Integrated(CubaParallelRun run, int participant, int step, int groups)
    {
        if (participant != 0 && groups == 1 && MayTakeOthers(step))
            while (!run.AllClaimed()) Thread.SpinWait(16);
    }
}
