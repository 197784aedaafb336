using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// What the power policy makes of a run: energy at real time (the policy's leakage over the workload's
/// real-time period) and at full throughput (inferences back to back: leakage over the busy time), the
/// leakage power, both times, and the area of the powered instances by component class.
/// </summary>
/// <param name="Gating">The architecture's policy.</param>
/// <param name="RealTimeSeconds">The workload's real-time period, whole run.</param>
/// <param name="BusySeconds">The hardware's busy time, whole run.</param>
/// <param name="Account">The run priced at real time under the policy (its total is the run's energy).</param>
/// <param name="FullThroughputJ">The run's energy with the inferences back to back.</param>
/// <param name="AreaUm2ByComponent">Area of the powered instances by component class, um^2.</param>
public sealed record PowerSummary(PowerGating Gating, double RealTimeSeconds, double BusySeconds, EnergyAccount Account, double FullThroughputJ,
    IReadOnlyDictionary<string, double> AreaUm2ByComponent)
{
    /// <summary>Energy at real time, J.</summary>
    public double RealTimeJ => Account.TotalPj * 1e-12;

    /// <summary>Chip area of the powered instances, um^2.</summary>
    public double AreaUm2 => AreaUm2ByComponent.Values.Sum();

    /// <summary>The policy's name as in the architecture file.</summary>
    public string GatingName => Gating switch { PowerGating.None => "none", PowerGating.Idle => "idle", _ => "per_unit" };

    /// <summary>
    /// Adds the power and area metrics to a run record (per inference over <paramref name="inferences"/>); under
    /// <see cref="PowerGating.PerUnit"/> also each class's powered time (other policies power every class alike, and
    /// their records stay as they were).
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="inferences">Inferences in the run (1 for a benchmark).</param>
    /// <returns>The record.</returns>
    public RunRecord AddTo(RunRecord record, long inferences)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AddFigures(record.Text("power_gating", GatingName), inferences);
    }

    /// <summary>
    /// <see cref="AddTo"/> without <c>power_gating</c>, for records that name the policy themselves (a NIR graph's chip
    /// run, a replay): leakage power and energy, both times, energy at real time and at full throughput, area, and under
    /// <see cref="PowerGating.PerUnit"/> each class's powered time (<see cref="AddPoweredTimes"/>).
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="inferences">Inferences in the run (1 for a benchmark).</param>
    /// <returns>The record.</returns>
    public RunRecord AddFigures(RunRecord record, long inferences)
    {
        ArgumentNullException.ThrowIfNull(record);
        var n = Math.Max(1, inferences);
        record
            .Number("leakage_power_W", Account.LeakagePowerW)
            .Number("leakage_energy_J", Account.LeakagePj * 1e-12)
            .Number("real_time_period_s", RealTimeSeconds / n)
            .Number("busy_time_s", BusySeconds / n)
            .Number("energy_per_inference_real_time_J", RealTimeJ / n)
            .Number("energy_per_inference_full_throughput_J", FullThroughputJ / n)
            .Map("area_by_component_um2", AreaUm2ByComponent);
        return AddPoweredTimes(record, inferences);
    }

    /// <summary>
    /// Under <see cref="PowerGating.PerUnit"/>, adds each class's powered time per inference over
    /// <paramref name="inferences"/> (and the lower bounds of <see cref="LowerBoundSeconds"/>); other policies power every
    /// class alike and add nothing.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="inferences">Inferences in the run (1 for a benchmark).</param>
    /// <returns>The record.</returns>
    public RunRecord AddPoweredTimes(RunRecord record, long inferences)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Gating != PowerGating.PerUnit) return record;
        var n = Math.Max(1, inferences);
        record.Map("powered_time_by_component_s", Account.PoweredSeconds.Select(p => KeyValuePair.Create(p.Key, p.Value / n)));
        return LowerBoundSeconds.Count == 0 ? record
            : record.Map("powered_time_lower_bound_by_component_s", LowerBoundSeconds.Select(p => KeyValuePair.Create(p.Key, p.Value / n)));
    }

    /// <summary>
    /// Under <see cref="PowerGating.PerUnit"/>, for the classes whose powered time is an upper bound of measured units'
    /// union (a router, an I/O buffer: <see cref="MeasuredBusy"/>), the lower bound: seconds per instance, whole run.
    /// </summary>
    public IReadOnlyDictionary<string, double> LowerBoundSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>Prices a run's ledger under the architecture's power policy; the one rule every workload uses.</summary>
public static class PowerAccounting
{
    /// <summary>
    /// Prices <paramref name="ledger"/> with <paramref name="chip"/>'s costs and policy. Under
    /// <see cref="PowerGating.PerUnit"/> each class leaks over its own busy time: measured from
    /// <paramref name="units"/> for the classes the chip executor times (<see cref="MeasuredBusy"/>), otherwise its
    /// counted actions x their occupancy (<see cref="UnitOccupancy"/>).
    /// </summary>
    /// <param name="chip">The chip (cost table, power policy).</param>
    /// <param name="ledger">The run's action counts.</param>
    /// <param name="instances">Powered instances of each component class.</param>
    /// <param name="window">The workload's real-time period and the hardware's busy time (whole run).</param>
    /// <param name="units">The chip executor's units of the run (<see cref="Execution.ChipRunResult.Units"/>); null when no unit was timed.</param>
    /// <param name="after">Work the run timed after the executor's steps (the LSM readout), or null: its classes are measured by it,
    /// the units' per-tile sums are capped at the steps' busy time instead of the window's, and the full-throughput
    /// account leaks over its back-to-back busy time.</param>
    /// <returns>The summary; its <see cref="PowerSummary.Account"/> is the run's energy account.</returns>
    public static PowerSummary Price(ChipModel chip, Ledger ledger, IReadOnlyDictionary<string, long> instances, PowerWindow window,
        IEnumerable<Execution.UnitStatistics>? units = null, WorkAfterSteps? after = null)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var gating = chip.Spec.Power;
        var busy = UnitOccupancy.Of(chip);
        // The executor's units work within its steps: their sums are capped at the steps' time.
        var unitsSpan = after?.StepsBusySeconds ?? window.BusySeconds;
        if (units is not null) busy = busy.WithMeasured(MeasuredBusy.PerInstanceSeconds(chip, units, instances, unitsSpan));
        if (after is not null) busy = busy.WithMeasured(after.SecondsPerInstance);
        var account = EnergyAccount.Compute(ledger, chip.Costs, instances, gating, window, busy, ChipModel.BlockOf);
        // Back to back, work after one inference's steps overlaps the next one's: the caller says how long the run is then busy.
        var backToBack = after is null ? window.FullThroughput : new PowerWindow(after.BackToBackBusySeconds, after.BackToBackBusySeconds);
        var throughput = EnergyAccount.Compute(ledger, chip.Costs, instances, gating, backToBack, busy, ChipModel.BlockOf);
        var area = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (component, count) in instances)
            if (chip.Costs.InstanceOf(component) is { } c && count > 0) area[component] = c.AreaUm2 * count;
        var lower = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (units is not null && gating == PowerGating.PerUnit)
            foreach (var (component, seconds) in MeasuredBusy.LowerBoundSeconds(chip, units, instances))
                if (account.PoweredSeconds.ContainsKey(component)) lower[component] = Math.Min(unitsSpan, seconds);
        return new PowerSummary(gating, window.RealTimeSeconds, window.BusySeconds, account, throughput.TotalPj * 1e-12, area) { LowerBoundSeconds = lower };
    }
}
