namespace Neuromorphic.Hw.Costs;

/// <summary>The two times a run's leakage can be charged over.</summary>
/// <param name="RealTimeSeconds">The workload's real-time period: how long the inputs take to arrive (samples x sample duration; a benchmark's simulated time).</param>
/// <param name="BusySeconds">How long the hardware was busy (the sum of the inferences' hardware latencies).</param>
public readonly record struct PowerWindow(double RealTimeSeconds, double BusySeconds)
{
    /// <summary>Inferences back to back at full throughput: the real-time period shrinks to the busy time.</summary>
    public PowerWindow FullThroughput => new(BusySeconds, BusySeconds);

    /// <summary>
    /// Seconds an instance of a component class is powered under <paramref name="gating"/>, given the
    /// class's own busy seconds per instance (<paramref name="unitBusySeconds"/>, for <see cref="PowerGating.PerUnit"/>,
    /// <see cref="UnitBusy"/>): none &gt;= idle &gt;= per unit, and per unit never exceeds the busy time.
    /// </summary>
    /// <param name="gating">The policy.</param>
    /// <param name="unitBusySeconds">The class's busy time per instance.</param>
    /// <returns>Seconds.</returns>
    public double PoweredSeconds(PowerGating gating, double unitBusySeconds) => gating switch
    {
        PowerGating.None => Math.Max(RealTimeSeconds, BusySeconds),
        PowerGating.Idle => BusySeconds,
        _ => Math.Min(BusySeconds, unitBusySeconds),
    };
}
