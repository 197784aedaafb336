using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// A chip run of one executor (<c>neuromorphic run NET.nir --arch</c>, a run configuration with <c>network: {nir}</c>,
/// <c>replay</c>, <c>bench cuba --hardware</c>) priced under the architecture's <c>power.gating</c>, by the rule every
/// workload uses (<see cref="PowerAccounting.Price"/>): the executor's ledger, with each class's busy time measured from the run's
/// units where the executor times them (<see cref="MeasuredBusy"/>), else its actions x their occupancy
/// (<see cref="UnitOccupancy"/>). The real-time period is the timesteps run x dt; the busy time the executor's (first
/// step's start to last step's end). Under <c>idle</c> the account is the executor's own, line for line.
/// </summary>
public static class ChipRunPower
{
    /// <summary>The run with its account priced under the policy, and the policy's summary.</summary>
    /// <param name="program">The mapping the run executed.</param>
    /// <param name="executor">The finished executor (its ledger).</param>
    /// <param name="result">What <see cref="ChipExecutor.Finish"/> returned.</param>
    /// <param name="dt">The network's timestep, seconds (the real-time period is <see cref="ChipRunResult.Timesteps"/> x dt).</param>
    /// <returns>The run with <see cref="ChipRunResult.Account"/> replaced, and the power summary.</returns>
    public static (ChipRunResult Result, PowerSummary Power) Price(ChipProgram program, ChipExecutor executor, ChipRunResult result, double dt)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(result);
        var chip = program.Chip;
        var instances = chip.Instances(program);
        // The busy time as the executor's own account takes it (ChipExecutor.Finish), so idle prices the same seconds.
        var window = new PowerWindow(result.Timesteps * dt, result.TotalCycles / chip.Spec.BaseClockHz);
        var power = PowerAccounting.Price(chip, executor.Ledger, instances, window, result.Units);
        return (result with { Account = power.Account }, power);
    }
}
